package io.junction.bus;

/** Where a bus hands the deliveries that reach this node. Called on any thread, in seq order per channel. */
@FunctionalInterface
public interface DeliveryListener {
    void deliver(Delivery delivery);
}
