package io.junction.realtime;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.junction.config.JunctionConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Who may open a WebSocket here: the pod's total, the per-address share, and the browser origins
 * allowed. Checked when a connection opens; a refused connection is closed before it costs more.
 */
@ApplicationScoped
public class ConnectionLimits {

    public enum Verdict {
        OK,
        TOO_MANY,
        ORIGIN_NOT_ALLOWED
    }

    private final int maxTotal;
    private final int maxPerIp;
    private final Set<String> origins;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> perIp = new ConcurrentHashMap<>();
    private final Counter refused;
    private final Counter slowClosed;
    private final Counter rateClosed;

    ConnectionLimits(JunctionConfig config, MeterRegistry registry) {
        this.maxTotal = config.websocket().maxConnections();
        this.maxPerIp = config.websocket().maxConnectionsPerIp();
        this.origins = Set.copyOf(config.websocket().allowedOrigins().orElse(List.of()));
        this.refused = Counter.builder("junction.connections.refused").description("WebSocket connections refused by a limit")
                .register(registry);
        this.slowClosed = Counter.builder("junction.connections.closed.slow")
                .description("Clients closed with 1013 because they could not keep up").register(registry);
        this.rateClosed = Counter.builder("junction.connections.closed.rate")
                .description("Clients closed with 1008 for ignoring the message rate limit").register(registry);
    }

    /** Takes a place for a new connection, or says why not. */
    Verdict admit(String ip, String origin) {
        if (origin != null && !origins.isEmpty() && !origins.contains(origin)) {
            refused.increment();
            return Verdict.ORIGIN_NOT_ALLOWED;
        }
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            refused.increment();
            return Verdict.TOO_MANY;
        }
        if (maxPerIp > 0 && ip != null && perIp.computeIfAbsent(ip, k -> new AtomicInteger()).incrementAndGet() > maxPerIp) {
            release(ip);
            refused.increment();
            return Verdict.TOO_MANY;
        }
        return Verdict.OK;
    }

    /** Gives back the place of a connection that was admitted. */
    void release(String ip) {
        total.decrementAndGet();
        if (maxPerIp > 0 && ip != null) {
            perIp.computeIfPresent(ip, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
    }

    void slowClientClosed() {
        slowClosed.increment();
    }

    void rateAbuserClosed() {
        rateClosed.increment();
    }
}
