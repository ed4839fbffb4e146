package io.junction.observability;

import jakarta.enterprise.context.ApplicationScoped;

import io.junction.realtime.Hub;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * The gateway's own meters, on {@code /q/metrics}. Hot-path figures are kept as plain counters by
 * their owners and read here at scrape time, so delivering a frame never touches a shared atomic.
 */
@Startup
@ApplicationScoped
public class GatewayMetrics {

    private final Counter eventsAccepted;
    // Meters hold their source weakly; this keeps it.
    private final Hub hub;

    GatewayMetrics(MeterRegistry registry, Hub hub) {
        this.hub = hub;
        this.eventsAccepted = Counter.builder("junction.events.accepted")
                .description("Events acknowledged to publishers (HTTP 202 or WebSocket ack)")
                .register(registry);
        Gauge.builder("junction.connections.open", hub, Hub::openSessions)
                .description("Open WebSocket sessions on this node")
                .register(registry);
        Gauge.builder("junction.subscriptions.active", hub, Hub::activeSubscriptions)
                .description("Channel subscriptions of the sessions on this node")
                .register(registry);
        Gauge.builder("junction.channels.active", hub, Hub::channelsWithSubscribers)
                .description("Channels with at least one subscriber on this node")
                .register(registry);
        FunctionCounter.builder("junction.frames.delivered", hub, Hub::framesDelivered)
                .description("Event frames written to WebSocket clients on this node")
                .register(registry);
    }

    public void eventAccepted(Object ignored) {
        eventsAccepted.increment();
    }
}
