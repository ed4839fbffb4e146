package io.junction.observability;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.junction.bus.Bus;
import io.junction.config.NodeIdentity;
import io.junction.lifecycle.GracefulShutdown;

/**
 * Ready only while the bus can take events and the pod is not stopping: a pod that cannot fan out,
 * or is about to go, should get no new clients.
 */
@Readiness
@ApplicationScoped
public class BusHealthCheck implements HealthCheck {

    private final Bus bus;
    private final NodeIdentity node;

    private final GracefulShutdown shutdown;

    BusHealthCheck(Bus bus, NodeIdentity node, GracefulShutdown shutdown) {
        this.bus = bus;
        this.node = node;
        this.shutdown = shutdown;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("bus")
                .status(bus.isReady() && !shutdown.draining())
                .withData("draining", shutdown.draining())
                .withData("bus", bus.name())
                .withData("node", node.id())
                .build();
    }
}
