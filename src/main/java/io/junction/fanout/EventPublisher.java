package io.junction.fanout;

import jakarta.enterprise.context.ApplicationScoped;

import io.junction.bus.Bus;
import io.junction.event.Event;
import io.junction.event.InvalidEventException;
import io.junction.observability.GatewayMetrics;
import io.smallrye.mutiny.Uni;

/**
 * The one way in for events, from HTTP and from WebSocket clients alike. {@link #accept} completes
 * when the event is as safe as the ack mode promises, which is the moment the caller may answer
 * {@code 202}/{@code ack}; fan-out to sessions happens after, on the event loops.
 */
@ApplicationScoped
public class EventPublisher {

    private final Bus bus;
    private final GatewayMetrics metrics;

    EventPublisher(Bus bus, GatewayMetrics metrics) {
        this.bus = bus;
        this.metrics = metrics;
    }

    /** Refuses what cannot be delivered as asked, before anything is acknowledged. */
    public void check(Event event) {
        if (event.topic() != null) {
            throw InvalidEventException.badRequest("topic '" + event.topic() + "' is not declared on this server;"
                    + " SNS publishing is not configured, so only 'channel' can be used");
        }
    }

    public Uni<Void> accept(Event event) {
        try {
            check(event);
        } catch (InvalidEventException e) {
            return Uni.createFrom().failure(e);
        }
        if (!bus.isReady()) {
            return Uni.createFrom().failure(new PublishRefusedException("the " + bus.name() + " bus is not reachable", 1));
        }
        return bus.publish(event)
                .onFailure(failure -> !(failure instanceof InvalidEventException)).transform(failure ->
                        new PublishRefusedException("the " + bus.name() + " bus could not take the event (" + failure.getMessage()
                                + "); it was not accepted", 1))
                .invoke(metrics::eventAccepted)
                .replaceWithVoid();
    }
}
