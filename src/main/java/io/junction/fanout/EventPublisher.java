package io.junction.fanout;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.junction.bus.Bus;
import io.junction.config.JunctionConfig;
import io.junction.config.JunctionConfig.AckMode;
import io.junction.event.Event;
import io.junction.event.InvalidEventException;
import io.junction.observability.GatewayMetrics;
import io.junction.outbox.OutboxProducer;
import io.junction.outbox.OutboxStore;
import io.junction.sns.TopicRegistry;
import io.smallrye.mutiny.Uni;

/**
 * The one way in for events, from HTTP and from WebSocket clients alike. {@link #accept} completes
 * when the event is as safe as the ack mode promises, which is the moment the caller may answer
 * {@code 202}/{@code ack}; fan-out to sessions and the SNS publish happen after.
 * <ul>
 * <li>durable (Redis): an event with a channel goes through the bus's publish script, which also
 * appends it to the outbox when it names a topic — one atomic step; a topic-only event is appended
 * to the outbox stream.</li>
 * <li>accepted (embedded): a topic event enters the bounded in-memory outbox (or is refused when it
 * is full), then a channel event is handed to the bus.</li>
 * </ul>
 */
@ApplicationScoped
public class EventPublisher {

    private final Bus bus;
    private final GatewayMetrics metrics;
    private final TopicRegistry topics;
    private final Instance<OutboxStore> outbox;
    private final AckMode ackMode;

    EventPublisher(Bus bus, GatewayMetrics metrics, TopicRegistry topics, Instance<OutboxStore> outbox, JunctionConfig config) {
        this.bus = bus;
        this.metrics = metrics;
        this.topics = topics;
        this.outbox = outbox;
        this.ackMode = OutboxProducer.ackMode(config);
    }

    public AckMode ackMode() {
        return ackMode;
    }

    /** Refuses what cannot be delivered as asked, before anything is acknowledged. */
    public void check(Event event) {
        if (event.topic() != null && !topics.isDeclared(event.topic())) {
            throw InvalidEventException.badRequest("topic '" + event.topic() + "' is not declared on this server"
                    + (topics.enabled() ? "; declared topics: " + topics.declared()
                            : "; SNS publishing is not configured, so only 'channel' can be used"));
        }
    }

    public Uni<Void> accept(Event event) {
        try {
            check(event);
        } catch (InvalidEventException e) {
            return Uni.createFrom().failure(e);
        }
        if (event.channel() != null && !bus.isReady()) {
            return Uni.createFrom().failure(new PublishRefusedException("the " + bus.name() + " bus is not reachable", 1));
        }
        Uni<Void> taken;
        if (ackMode == AckMode.durable) {
            taken = event.channel() != null ? bus.publish(event).replaceWithVoid() : outbox.get().append(event);
        } else {
            Uni<Void> queued = event.topic() != null ? outbox.get().append(event) : Uni.createFrom().voidItem();
            taken = event.channel() == null ? queued : queued.chain(() -> bus.publish(event).replaceWithVoid());
        }
        return taken
                .onFailure(failure -> !(failure instanceof InvalidEventException) && !(failure instanceof PublishRefusedException))
                .transform(failure -> new PublishRefusedException("the event could not be stored (" + failure.getMessage()
                        + "); it was not accepted", 1))
                .invoke(metrics::eventAccepted);
    }
}
