package io.junction.lifecycle;

import java.time.Duration;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.junction.config.JunctionConfig;
import io.junction.realtime.Hub;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;

/**
 * What a pod does when Kubernetes stops it (SIGTERM): turn not-ready, refuse new WebSocket
 * connections, and close every session with 1012 ("service restart") so that clients reconnect to
 * another pod and resume with {@code since}. In-flight HTTP requests finish within
 * {@code quarkus.shutdown.timeout}. Runs at the start of the shutdown delay, before the HTTP
 * server stops, so the close frames reach the clients.
 */
@ApplicationScoped
public class GracefulShutdown {

    public static final short SERVICE_RESTART = 1012;
    private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);

    private final Hub hub;
    private final Duration drainTimeout;
    private volatile boolean draining;

    GracefulShutdown(Hub hub, JunctionConfig config) {
        this.hub = hub;
        this.drainTimeout = config.shutdown().drainTimeout();
    }

    public boolean draining() {
        return draining;
    }

    /**
     * The start of shutdown ({@code quarkus.shutdown.delay-enabled}): before Quarkus waits for
     * in-flight HTTP requests, which would otherwise include every open WebSocket.
     */
    void onStopping(@Observes ShutdownDelayInitiatedEvent event) {
        drain();
    }

    /** Where the shutdown delay is turned off, the same steps, as early as the shutdown lets us. */
    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        drain();
    }

    private synchronized void drain() {
        if (draining) {
            return;
        }
        draining = true;
        int open = hub.openSessions();
        LOG.infof("shutting down: closing %d WebSocket sessions with 1012 so they resume on another pod", open);
        hub.closeAll(SERVICE_RESTART, "service restart");
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        // The main thread, not an event loop: waiting here holds nothing up but the exit itself.
        while (hub.openSessions() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (hub.openSessions() > 0) {
            LOG.warnf("%d sessions still open after %s; exiting anyway", hub.openSessions(), drainTimeout);
        }
    }
}
