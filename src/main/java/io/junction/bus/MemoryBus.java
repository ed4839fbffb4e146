package io.junction.bus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import io.junction.config.JunctionConfig;
import io.junction.event.Event;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * The one-pod bus: every event stays in this process. It numbers events per channel and keeps the
 * newest of them (by count and age) so that {@code since} recovery works in the embedded mode too.
 * Also the unit-test double for the Redis bus, with the same contract.
 */
@ApplicationScoped
@Typed(MemoryBus.class)
public class MemoryBus implements Bus {

    private final ConcurrentHashMap<String, ChannelLog> channels = new ConcurrentHashMap<>();
    private final Set<String> joined = ConcurrentHashMap.newKeySet();
    private final int historySize;
    private final long historyTtlMillis;
    private volatile DeliveryListener listener = d -> {
    };

    private final Vertx vertx;
    private final ChannelPatterns noHistory;
    private long sweeper = -1;

    private final LongSupplier clock;

    @Inject
    MemoryBus(JunctionConfig config, Vertx vertx) {
        this(config, vertx, System::currentTimeMillis);
    }

    MemoryBus(JunctionConfig config, Vertx vertx, LongSupplier clock) {
        this.clock = clock;
        this.historySize = Math.max(0, config.history().size());
        this.historyTtlMillis = config.history().ttl().toMillis();
        this.vertx = vertx;
        this.noHistory = new ChannelPatterns(config.history().disabledChannels().orElse(List.of()));
    }

    @PostConstruct
    void start() {
        long every = Math.max(1_000, Math.min(60_000, historyTtlMillis));
        sweeper = vertx.setPeriodic(every, id -> sweep());
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(sweeper);
    }

    @Override
    public void listen(DeliveryListener listener) {
        this.listener = listener;
    }

    @Override
    public Uni<Offset> publish(Event event) {
        long now = clock.getAsLong();
        while (true) {
            ChannelLog log = channels.computeIfAbsent(event.channel(), c -> new ChannelLog());
            // The lock makes numbering and hand-off one step, so every node-local listener sees a
            // channel's events in seq order even when several event loops publish to it at once.
            synchronized (log) {
                if (log.retired) {
                    continue;
                }
                Delivery delivery = log.append(event, now);
                listener.deliver(delivery);
                return Uni.createFrom().item(delivery.offset());
            }
        }
    }

    @Override
    public Uni<Void> join(String channel) {
        joined.add(channel);
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> leave(String channel) {
        joined.remove(channel);
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<HistorySlice> history(String channel, Offset since, int limit) {
        long now = clock.getAsLong();
        while (true) {
            ChannelLog log = channels.computeIfAbsent(channel, c -> new ChannelLog());
            synchronized (log) {
                if (log.retired) {
                    continue;
                }
                return Uni.createFrom().item(log.slice(since, limit, now));
            }
        }
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public String name() {
        return "memory";
    }

    /**
     * Drops expired history and forgets channels that nobody here subscribes to and that hold nothing
     * any more. A forgotten channel starts again under a new epoch, so old offsets are not misread.
     */
    public void sweep() {
        long now = clock.getAsLong();
        for (Iterator<java.util.Map.Entry<String, ChannelLog>> it = channels.entrySet().iterator(); it.hasNext();) {
            var entry = it.next();
            ChannelLog log = entry.getValue();
            synchronized (log) {
                log.expire(now);
                if (log.kept.isEmpty() && !joined.contains(entry.getKey())) {
                    log.retired = true;
                    it.remove();
                }
            }
        }
    }

    int channelCount() {
        return channels.size();
    }

    private final class ChannelLog {
        final String epoch = Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36);
        final ArrayDeque<Delivery> kept = new ArrayDeque<>();
        long seq;
        boolean retired;

        Delivery append(Event event, long now) {
            seq++;
            Delivery delivery = Delivery.of(event.channel(), new Offset(epoch, seq), event.envelope(), now);
            if (historySize > 0 && !noHistory.matches(event.channel())) {
                kept.addLast(delivery);
                while (kept.size() > historySize) {
                    kept.removeFirst();
                }
            }
            expire(now);
            return delivery;
        }

        void expire(long now) {
            while (!kept.isEmpty() && now - kept.peekFirst().acceptedAtMillis() > historyTtlMillis) {
                kept.removeFirst();
            }
        }

        HistorySlice slice(Offset since, int limit, long now) {
            expire(now);
            long oldest = kept.isEmpty() ? seq + 1 : kept.peekFirst().seq();
            List<Delivery> events = new ArrayList<>(Math.min(limit, kept.size()));
            if (since == null) {
                int skip = Math.max(0, kept.size() - limit);
                for (Delivery d : kept) {
                    if (skip-- > 0) {
                        continue;
                    }
                    events.add(d);
                }
            } else if (since.epoch().equals(epoch)) {
                for (Delivery d : kept) {
                    if (d.seq() > since.seq()) {
                        events.add(d);
                        if (events.size() == limit) {
                            break;
                        }
                    }
                }
            }
            return new HistorySlice(epoch, seq, oldest, List.copyOf(events));
        }
    }
}
