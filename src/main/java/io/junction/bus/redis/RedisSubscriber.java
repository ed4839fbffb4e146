package io.junction.bus.redis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;

import org.jboss.logging.Logger;

import io.junction.bus.Delivery;
import io.junction.bus.DeliveryListener;
import io.junction.bus.HistorySlice;
import io.junction.bus.Offset;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * The node's one pub/sub connection to Redis. It subscribes to exactly the channels that have
 * subscribers on this node, confirms a subscription only when Redis has confirmed it, numbers what
 * arrives against what came before, and fills any gap from history: after a reconnect, or when a
 * {@code seq} is skipped. All its state lives on one Vert.x context.
 */
final class RedisSubscriber {

    private static final Logger LOG = Logger.getLogger(RedisSubscriber.class);
    private static final int SUBSCRIBE_CHUNK = 256;

    private final Redis redis;
    private final Vertx vertx;
    private final Context context;
    private final RedisKeys keys;
    private final BiFunction<String, Offset, Uni<HistorySlice>> history;
    private final long backoffMin;
    private final long backoffMax;
    private final Map<String, ChannelState> channels = new HashMap<>();
    private final Map<String, List<Promise<Void>>> confirming = new HashMap<>();
    private final List<Runnable> reconnectListeners = new CopyOnWriteArrayList<>();
    private volatile DeliveryListener listener = d -> {
    };
    private volatile boolean connected;
    private RedisConnection connection;
    private long backoff;
    private boolean stopped;
    private boolean everConnected;

    RedisSubscriber(Redis redis, Vertx vertx, RedisKeys keys, BiFunction<String, Offset, Uni<HistorySlice>> history,
            long backoffMinMillis, long backoffMaxMillis) {
        this.redis = redis;
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.keys = keys;
        this.history = history;
        this.backoffMin = backoffMinMillis;
        this.backoffMax = backoffMaxMillis;
        this.backoff = backoffMinMillis;
    }

    void listen(DeliveryListener listener) {
        this.listener = listener;
    }

    /** Called after every reconnect, once the node's channels are subscribed again. */
    void onReconnect(Runnable action) {
        reconnectListeners.add(action);
    }

    boolean isConnected() {
        return connected;
    }

    void start() {
        context.runOnContext(v -> connect());
    }

    void stop() {
        context.runOnContext(v -> {
            stopped = true;
            connected = false;
            if (connection != null) {
                connection.close();
                connection = null;
            }
        });
    }

    Future<Void> join(String channel) {
        Promise<Void> confirmed = Promise.promise();
        context.runOnContext(v -> {
            if (connection == null) {
                confirmed.fail(new IllegalStateException("Redis is not reachable"));
                return;
            }
            channels.computeIfAbsent(channel, ChannelState::new);
            confirming.computeIfAbsent(channel, c -> new ArrayList<>()).add(confirmed);
            subscribe(connection, List.of(channel));
        });
        return confirmed.future();
    }

    void leave(String channel) {
        context.runOnContext(v -> {
            channels.remove(channel);
            if (connection != null) {
                connection.send(Request.cmd(Command.UNSUBSCRIBE).arg(keys.pubsub(channel)));
            }
        });
    }

    private void connect() {
        if (stopped) {
            return;
        }
        redis.connect().onComplete(result -> {
            if (result.failed()) {
                LOG.debugf("Redis pub/sub connection failed: %s", result.cause().toString());
                retryLater();
                return;
            }
            RedisConnection conn = result.result();
            if (stopped) {
                conn.close();
                return;
            }
            connection = conn;
            backoff = backoffMin;
            conn.handler(this::onMessage);
            conn.exceptionHandler(failure -> lost(conn, failure));
            conn.endHandler(v -> lost(conn, null));
            resubscribe(conn);
        });
    }

    private void resubscribe(RedisConnection conn) {
        List<String> wanted = new ArrayList<>(channels.keySet());
        List<Future<Void>> confirmations = new ArrayList<>(wanted.size());
        for (String channel : wanted) {
            Promise<Void> p = Promise.promise();
            confirming.computeIfAbsent(channel, c -> new ArrayList<>()).add(p);
            confirmations.add(p.future());
        }
        for (int i = 0; i < wanted.size(); i += SUBSCRIBE_CHUNK) {
            subscribe(conn, wanted.subList(i, Math.min(wanted.size(), i + SUBSCRIBE_CHUNK)));
        }
        Future.all(confirmations).onComplete(all -> {
            if (connection != conn) {
                return;
            }
            if (all.failed()) {
                lost(conn, all.cause());
                return;
            }
            connected = true;
            if (everConnected) {
                LOG.infof("Redis pub/sub connection is back; %d channels subscribed again", wanted.size());
                for (String channel : wanted) {
                    ChannelState state = channels.get(channel);
                    if (state != null && state.epoch != null) {
                        fill(state, null);
                    }
                }
                reconnectListeners.forEach(Runnable::run);
            }
            everConnected = true;
        });
    }

    private void subscribe(RedisConnection conn, List<String> channelNames) {
        Request request = Request.cmd(Command.SUBSCRIBE);
        for (String channel : channelNames) {
            request.arg(keys.pubsub(channel));
        }
        conn.send(request).onComplete(result -> {
            if (result.failed()) {
                for (String channel : channelNames) {
                    failConfirmations(channel, result.cause());
                }
            } else {
                // Over RESP2 the confirmation can come back as the reply itself; over RESP3 the reply
                // only says the command was written and the confirmation arrives as a push message.
                onMessage(result.result());
            }
        });
    }

    private void onMessage(Response message) {
        if (message == null || message.size() < 3) {
            return;
        }
        String kind = message.get(0).toString();
        switch (kind) {
            case "message" -> onEvent(message.get(1).toString(), message.get(2).toBuffer());
            case "subscribe" -> {
                String channel = keys.channelOf(message.get(1).toString());
                List<Promise<Void>> waiting = channel == null ? null : confirming.remove(channel);
                if (waiting != null) {
                    waiting.forEach(Promise::tryComplete);
                }
            }
            default -> {
            }
        }
    }

    private void onEvent(String pubsubChannel, Buffer payload) {
        String channel = keys.channelOf(pubsubChannel);
        ChannelState state = channel == null ? null : channels.get(channel);
        if (state == null) {
            return;
        }
        int newline = -1;
        for (int i = 0, n = Math.min(payload.length(), 64); i < n; i++) {
            if (payload.getByte(i) == '\n') {
                newline = i;
                break;
            }
        }
        if (newline < 0) {
            LOG.warnf("ignoring a malformed message on %s", pubsubChannel);
            return;
        }
        Offset parsed;
        try {
            parsed = Offset.parse(payload.getString(0, newline));
        } catch (IllegalArgumentException e) {
            LOG.warnf("ignoring a message with a malformed offset on %s", pubsubChannel);
            return;
        }
        // One epoch instance per channel, so sessions compare epochs by identity.
        String epoch = parsed.epoch().equals(state.epoch) ? state.epoch : parsed.epoch();
        Delivery delivery = new Delivery(channel, new Offset(epoch, parsed.seq()), payload.getBytes(newline + 1, payload.length()),
                null, System.currentTimeMillis());
        if (state.filling != null) {
            state.filling.add(delivery);
        } else if (epoch == state.epoch && delivery.seq() > state.lastSeq + 1) {
            fill(state, delivery);
        } else {
            accept(state, delivery);
        }
    }

    /** Reads what this node missed of a channel from history, holding live events back meanwhile. */
    private void fill(ChannelState state, Delivery trigger) {
        if (state.filling == null) {
            state.filling = new ArrayList<>();
        } else {
            if (trigger != null) {
                state.filling.add(trigger);
            }
            return;
        }
        if (trigger != null) {
            state.filling.add(trigger);
        }
        Offset from = new Offset(state.epoch, state.lastSeq);
        history.apply(state.channel, from).subscribe().with(
                slice -> context.runOnContext(v -> finishFill(state, from, slice)),
                failure -> context.runOnContext(v -> {
                    LOG.warnf("could not read the history of %s to fill a gap: %s", state.channel, failure.toString());
                    finishFill(state, from, null);
                }));
    }

    private void finishFill(ChannelState state, Offset from, HistorySlice slice) {
        if (channels.get(state.channel) != state) {
            return;
        }
        List<Delivery> held = state.filling;
        state.filling = null;
        if (slice != null) {
            if (!slice.reachesBackTo(from)) {
                LOG.warnf("channel %s: history no longer holds every event after %s (epoch now %s, oldest kept %d);"
                        + " clients connected here see a jump in seq", state.channel, from, slice.epoch(), slice.oldest());
            }
            int recovered = 0;
            for (Delivery missed : slice.events()) {
                if (accept(state, missed)) {
                    recovered++;
                }
            }
            if (recovered > 0) {
                LOG.infof("channel %s: %d events this node missed were delivered from history", state.channel, recovered);
            }
        }
        for (Delivery live : held) {
            accept(state, live);
        }
    }

    private boolean accept(ChannelState state, Delivery delivery) {
        if (!delivery.epoch().equals(state.epoch)) {
            state.epoch = delivery.epoch();
        } else if (delivery.seq() <= state.lastSeq) {
            return false;
        }
        state.lastSeq = delivery.seq();
        listener.deliver(delivery);
        return true;
    }

    private void lost(RedisConnection conn, Throwable failure) {
        if (connection != conn) {
            return;
        }
        connection = null;
        connected = false;
        LOG.warnf("Redis pub/sub connection lost (%s); reconnecting", failure == null ? "closed" : failure.toString());
        for (String channel : List.copyOf(confirming.keySet())) {
            failConfirmations(channel, new IllegalStateException("Redis connection lost"));
        }
        conn.close();
        retryLater();
    }

    private void retryLater() {
        if (stopped) {
            return;
        }
        long delay = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        backoff = Math.min(backoffMax, backoff * 2);
        vertx.setTimer(Math.max(1, delay), id -> context.runOnContext(v -> connect()));
    }

    private void failConfirmations(String channel, Throwable failure) {
        List<Promise<Void>> waiting = confirming.remove(channel);
        if (waiting != null) {
            waiting.forEach(p -> p.tryFail(failure));
        }
    }

    private static final class ChannelState {
        final String channel;
        String epoch;
        long lastSeq;
        List<Delivery> filling;

        ChannelState(String channel) {
            this.channel = channel;
        }
    }
}
