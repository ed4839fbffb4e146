package io.junction.config;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The name this process answers to in {@code welcome.node}, logs and presence: the configured
 * {@code junction.node-id}, else the pod name Kubernetes puts in HOSTNAME, else a random name.
 */
@ApplicationScoped
public class NodeIdentity {

    private final String id;

    NodeIdentity(JunctionConfig config) {
        this.id = config.nodeId()
                .or(() -> java.util.Optional.ofNullable(System.getenv("HOSTNAME")))
                .filter(s -> !s.isBlank())
                .orElseGet(() -> "node-" + UUID.randomUUID().toString().substring(0, 8));
    }

    public String id() {
        return id;
    }
}
