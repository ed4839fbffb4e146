package io.junction.bus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import io.junction.bus.redis.RedisBus;
import io.junction.config.JunctionConfig;

/** Picks the bus named by {@code junction.bus}; only the chosen one is ever created. */
@ApplicationScoped
public class BusProducer {

    @Produces
    @ApplicationScoped
    Bus bus(JunctionConfig config, Instance<MemoryBus> memory, Instance<RedisBus> redis) {
        return switch (config.bus()) {
            case memory -> memory.get();
            case redis -> redis.get();
        };
    }
}
