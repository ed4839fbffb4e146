package io.junction.observability;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import io.junction.realtime.Hub;

/**
 * Liveness answers from the event loop that serves it; if that loop is stuck the probe times out,
 * which is the failure worth a restart. A lost Redis is not: that is readiness.
 */
@Liveness
@ApplicationScoped
public class AliveCheck implements HealthCheck {

    private final Hub hub;

    AliveCheck(Hub hub) {
        this.hub = hub;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("junction").up().withData("sessions", hub.openSessions()).build();
    }
}
