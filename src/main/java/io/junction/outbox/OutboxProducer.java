package io.junction.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import io.junction.config.JunctionConfig;
import io.junction.config.JunctionConfig.AckMode;
import io.junction.config.NodeIdentity;
import io.vertx.redis.client.Redis;

/** The outbox that the ack mode asks for; created only when SNS publishing is on. */
@ApplicationScoped
public class OutboxProducer {

    /** The ack mode in force: the configured one, else durable with the Redis bus and accepted without. */
    public static AckMode ackMode(JunctionConfig config) {
        AckMode mode = config.ackMode().orElse(config.bus() == JunctionConfig.BusKind.redis ? AckMode.durable : AckMode.accepted);
        if (mode == AckMode.durable && config.bus() != JunctionConfig.BusKind.redis) {
            throw new IllegalStateException("junction.ack-mode=durable keeps the outbox in Redis: set junction.bus=redis"
                    + " (and quarkus.redis.hosts), or use junction.ack-mode=accepted");
        }
        return mode;
    }

    @Produces
    @ApplicationScoped
    OutboxStore outbox(JunctionConfig config, Instance<Redis> redis, NodeIdentity node) {
        return switch (ackMode(config)) {
            case durable -> new RedisOutboxStore(redis.get(), config.redis().keyPrefix(), node.id(), config.outbox().claimIdle());
            case accepted -> new MemoryOutboxStore(config.outbox().memoryCapacity());
        };
    }
}
