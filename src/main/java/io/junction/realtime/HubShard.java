package io.junction.realtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.junction.bus.Delivery;
import io.netty.channel.EventLoop;

/**
 * The sessions of one event loop, by channel. Only that loop touches it, so a delivery costs one
 * task hand-off per loop and then plain writes: no locks, no per-subscriber tasks.
 */
final class HubShard {

    private final EventLoop loop;
    private final Map<String, List<Subscription>> channels = new HashMap<>();
    private final java.util.Set<ClientSession> sessionSet = new java.util.HashSet<>();
    // Written only by this loop, read by the metrics scrape: a slightly stale figure is fine.
    private volatile long framesDelivered;
    private volatile int sessions;
    private volatile int subscriptions;

    HubShard(EventLoop loop) {
        this.loop = loop;
    }

    EventLoop loop() {
        return loop;
    }

    void execute(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    void deliver(Delivery delivery) {
        List<Subscription> subs = channels.get(delivery.channel());
        if (subs == null) {
            return;
        }
        long written = 0;
        for (int i = 0, n = subs.size(); i < n; i++) {
            if (subs.get(i).offer(delivery)) {
                written++;
            }
        }
        framesDelivered += written;
    }

    void add(Subscription subscription) {
        channels.computeIfAbsent(subscription.channel, c -> new ArrayList<>()).add(subscription);
        subscriptions++;
    }

    void remove(Subscription subscription) {
        List<Subscription> subs = channels.get(subscription.channel);
        if (subs != null && subs.remove(subscription)) {
            subscriptions--;
            if (subs.isEmpty()) {
                channels.remove(subscription.channel);
            }
        }
    }

    void sessionOpened(ClientSession session) {
        sessionSet.add(session);
        sessions++;
    }

    void sessionClosed(ClientSession session) {
        if (sessionSet.remove(session)) {
            sessions--;
        }
    }

    /** Closes every session of this loop with the given code; runs on the loop. */
    void closeAll(short code, String reason) {
        for (ClientSession session : List.copyOf(sessionSet)) {
            session.close(code, reason);
        }
    }

    void countFrame() {
        framesDelivered++;
    }

    long framesDelivered() {
        return framesDelivered;
    }

    int sessions() {
        return sessions;
    }

    int subscriptions() {
        return subscriptions;
    }
}
