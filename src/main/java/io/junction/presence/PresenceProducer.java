package io.junction.presence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import io.junction.config.JunctionConfig;

/** Presence follows the bus: one pod needs only its own memory, many pods share it through Redis. */
@ApplicationScoped
public class PresenceProducer {

    @Produces
    @ApplicationScoped
    Presence presence(JunctionConfig config, Instance<MemoryPresence> memory, Instance<RedisPresence> redis) {
        return switch (config.bus()) {
            case memory -> memory.get();
            case redis -> redis.get();
        };
    }
}
