package io.junction.realtime;

import java.util.ArrayList;
import java.util.List;

import io.junction.bus.Delivery;
import io.junction.bus.Offset;

/**
 * A session's subscription to one channel, owned by the session's event loop. While it joins,
 * live deliveries wait in {@code pending} so that the replayed history and the live stream meet
 * with no gap and no duplicate; after that, {@code lastSeq} drops anything already sent (a bus that
 * refills a gap after losing its connection may hand over an event twice).
 */
final class Subscription {

    final ClientSession session;
    final String channel;
    List<Delivery> pending = new ArrayList<>();
    long lastSeq;
    String epoch;
    boolean cancelled;

    Subscription(ClientSession session, String channel) {
        this.session = session;
        this.channel = channel;
    }

    Offset offset() {
        return new Offset(epoch, lastSeq);
    }

    boolean joining() {
        return pending != null;
    }

    /** Sends a live delivery; returns whether a frame was written. */
    boolean offer(Delivery delivery) {
        if (pending != null) {
            pending.add(delivery);
            return false;
        }
        // String.equals is an identity check first, and buses hand out one epoch instance per channel.
        if (!delivery.epoch().equals(epoch)) {
            // The channel's history began a new life (Redis restarted empty): numbering starts over.
            epoch = delivery.epoch();
        } else if (delivery.seq() <= lastSeq) {
            return false;
        }
        lastSeq = delivery.seq();
        session.send(delivery.frame());
        return true;
    }
}
