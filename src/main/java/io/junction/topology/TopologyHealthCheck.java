package io.junction.topology;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.junction.config.JunctionConfig;

/**
 * With a declared topology, a pod is ready only once it is confirmed (or, with
 * {@code junction.topology.readiness=degraded}, ready and reported as degraded). The first
 * reconcile's wait for an http subscription's confirmation is the exception: the pod is ready then,
 * because SNS's confirmation POST comes through the load balancer, which routes only to ready pods.
 */
@Readiness
@ApplicationScoped
public class TopologyHealthCheck implements HealthCheck {

    private final TopologyReconciler reconciler;
    private final boolean required;

    TopologyHealthCheck(TopologyReconciler reconciler, JunctionConfig config) {
        this.reconciler = reconciler;
        this.required = !"degraded".equals(config.topology().readiness());
    }

    @Override
    public HealthCheckResponse call() {
        if (!reconciler.declaresAnything()) {
            return HealthCheckResponse.named("topology").up().withData("declared", 0).build();
        }
        TopologyReport last = reconciler.last();
        String awaiting = reconciler.awaitingConfirmation();
        if (last == null && awaiting != null) {
            // SNS reaches the confirmation endpoint only through ready pods.
            return HealthCheckResponse.named("topology").up().withData("state", "awaiting-confirmation")
                    .withData("subscription", awaiting).build();
        }
        if (last == null && !reconciler.reconcilesOnStart()) {
            return HealthCheckResponse.named("topology").up().withData("state", "not reconciled (reconcile-on-start=false)")
                    .build();
        }
        boolean confirmed = last != null && last.confirmed();
        return HealthCheckResponse.named("topology").status(confirmed || !required)
                .withData("confirmed", confirmed)
                .withData("state", last == null ? "reconciling" : confirmed ? "confirmed" : "degraded")
                .build();
    }
}
