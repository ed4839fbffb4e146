package io.junction.observability;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.junction.bus.Bus;
import io.junction.config.NodeIdentity;

/** Ready only while the bus can take events: a pod that cannot fan out should get no new clients. */
@Readiness
@ApplicationScoped
public class BusHealthCheck implements HealthCheck {

    private final Bus bus;
    private final NodeIdentity node;

    BusHealthCheck(Bus bus, NodeIdentity node) {
        this.bus = bus;
        this.node = node;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("bus")
                .status(bus.isReady())
                .withData("bus", bus.name())
                .withData("node", node.id())
                .build();
    }
}
