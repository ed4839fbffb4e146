package io.junction.bus.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Typed;

import io.junction.bus.Bus;
import io.junction.bus.ChannelPatterns;
import io.junction.bus.Delivery;
import io.junction.bus.DeliveryListener;
import io.junction.bus.HistorySlice;
import io.junction.bus.Offset;
import io.junction.config.JunctionConfig;
import io.junction.event.Event;
import io.junction.outbox.OutboxProducer;
import io.junction.outbox.RedisOutboxStore;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.UniHelper;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;

/**
 * The many-pod bus. A publish is one script call: number the event in its channel, keep it in the
 * channel's stream, and PUBLISH the finished frame to the pods that subscribe to the channel.
 * Each pod holds one pub/sub connection ({@link RedisSubscriber}) for the channels its sessions use.
 */
@ApplicationScoped
@Typed(RedisBus.class)
public class RedisBus implements Bus {

    /** A channel's numbering outlives its kept events, so a client that missed nothing still resumes. */
    private static final Duration MIN_META_TTL = Duration.ofHours(24);

    private final Redis redis;
    private final Vertx vertx;
    private final RedisKeys keys;
    private final RedisScript publishScript = RedisScript.load("/redis/epoch.lua", "/redis/publish.lua");
    private final RedisScript historyScript = RedisScript.load("/redis/epoch.lua", "/redis/history.lua");
    private final int historySize;
    private final long historyTtlMillis;
    private final long metaTtlMillis;
    private final ChannelPatterns noHistory;
    private final JunctionConfig.Redis settings;
    private RedisSubscriber subscriber;
    /** The durable outbox stream, when publishes must also append topic events to it. */
    private final String outboxStream;

    RedisBus(Instance<Redis> redis, Vertx vertx, JunctionConfig config) {
        // Through Instance: a directly injected client is created at start-up even with the memory
        // bus, and fails there when quarkus.redis.hosts is not set.
        this.redis = redis.get();
        this.vertx = vertx;
        this.settings = config.redis();
        this.keys = new RedisKeys(settings.keyPrefix());
        this.historySize = Math.max(0, config.history().size());
        this.historyTtlMillis = config.history().ttl().toMillis();
        this.metaTtlMillis = Math.max(historyTtlMillis, MIN_META_TTL.toMillis());
        this.noHistory = new ChannelPatterns(config.history().disabledChannels().orElse(List.of()));
        this.outboxStream = config.sns().enabled() && OutboxProducer.ackMode(config) == JunctionConfig.AckMode.durable
                ? RedisOutboxStore.streamKey(settings.keyPrefix())
                : null;
    }

    @PostConstruct
    void start() {
        subscriber = new RedisSubscriber(redis, vertx, keys, (channel, from) -> history(channel, from, Math.max(1, historySize)),
                settings.reconnectMin().toMillis(), settings.reconnectMax().toMillis());
        subscriber.start();
    }

    @PreDestroy
    void stop() {
        subscriber.stop();
    }

    public RedisKeys keys() {
        return keys;
    }

    /** Runs after each reconnect of the pub/sub connection, once every channel is subscribed again. */
    public void onReconnect(Runnable action) {
        subscriber.onReconnect(action);
    }

    @Override
    public void listen(DeliveryListener listener) {
        subscriber.listen(listener);
    }

    @Override
    public Uni<Offset> publish(Event event) {
        String channel = event.channel();
        int maxlen = noHistory.matches(channel) ? 0 : historySize;
        boolean toOutbox = outboxStream != null && event.topic() != null;
        List<Object> args = new ArrayList<>(List.of(keys.meta(channel), keys.history(channel)));
        if (toOutbox) {
            args.add(outboxStream);
        }
        args.addAll(List.of(event.envelope(), channel, maxlen, metaTtlMillis, historyTtlMillis, keys.pubsub(channel)));
        if (toOutbox) {
            // The event's outbox fields ride along, so numbering, history, fan-out and the outbox entry
            // are one atomic step: an acknowledged event is never in one place and missing from another.
            args.addAll(RedisOutboxStore.fields(event));
        }
        return UniHelper.toUni(publishScript.call(redis, toOutbox ? 3 : 2, args.toArray()))
                .map(r -> new Offset(r.get(0).toString(), r.get(1).toLong()));
    }

    @Override
    public Uni<Void> join(String channel) {
        return UniHelper.toUni(subscriber.join(channel));
    }

    @Override
    public Uni<Void> leave(String channel) {
        subscriber.leave(channel);
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<HistorySlice> history(String channel, Offset since, int limit) {
        String mode = since == null ? "latest" : Long.toString(since.seq());
        return UniHelper.toUni(historyScript.call(redis, 2, keys.meta(channel), keys.history(channel), mode, limit,
                historyTtlMillis, metaTtlMillis))
                .map(r -> slice(channel, since, r));
    }

    private static HistorySlice slice(String channel, Offset since, Response r) {
        String epoch = r.get(0).toString();
        long top = r.get(1).toLong();
        long oldest = r.get(2).toLong();
        Response entries = r.get(3);
        List<Delivery> events = new ArrayList<>(entries == null ? 0 : entries.size());
        // Entries of another epoch than the one asked about are not the events the caller missed.
        if (entries != null && (since == null || since.epoch().equals(epoch))) {
            for (int i = 0; i < entries.size(); i++) {
                Response entry = entries.get(i);
                String id = entry.get(0).toString();
                long seq = Long.parseLong(id, 0, id.indexOf('-'), 10);
                Response fields = entry.get(1);
                events.add(Delivery.of(channel, new Offset(epoch, seq), fields.get(1).toBytes(), fields.get(3).toLong()));
            }
            if (since == null) {
                Collections.reverse(events);
            }
        }
        return new HistorySlice(epoch, top, oldest, List.copyOf(events));
    }

    @Override
    public boolean isReady() {
        return subscriber.isConnected();
    }

    @Override
    public String name() {
        return "redis";
    }
}
