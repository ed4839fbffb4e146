package io.junction.realtime;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.junction.auth.Identity;
import io.junction.bus.Bus;
import io.junction.bus.Delivery;
import io.junction.bus.HistorySlice;
import io.junction.bus.Offset;
import io.junction.config.JunctionConfig;
import io.junction.config.NodeIdentity;
import io.junction.presence.Presence;
import io.junction.presence.PresenceEntry;
import io.netty.channel.EventLoop;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;

/**
 * The node's sessions and who listens to what. Receives deliveries from the {@link Bus} and hands
 * each to the event loops that hold subscribers of its channel; joins a channel on the bus when
 * its first local subscriber arrives and leaves it when the last one goes.
 */
@ApplicationScoped
public class Hub {

    private static final Logger LOG = Logger.getLogger(Hub.class);

    private final Bus bus;
    private final Presence presence;
    private final NodeIdentity node;
    private final int historySize;
    private final ConcurrentHashMap<EventLoop, HubShard> shardsByLoop = new ConcurrentHashMap<>();
    private final List<HubShard> shards = new CopyOnWriteArrayList<>();
    /** Local subscriber count per channel; a channel is joined on the bus while its count is above zero. */
    private final ConcurrentHashMap<String, Interest> interest = new ConcurrentHashMap<>();

    private final JunctionConfig.WebSocket websocket;
    private final ConnectionLimits limits;

    Hub(Bus bus, Presence presence, NodeIdentity node, JunctionConfig config, ConnectionLimits limits) {
        this.websocket = config.websocket();
        this.limits = limits;
        this.bus = bus;
        this.presence = presence;
        this.node = node;
        this.historySize = Math.max(1, config.history().size());
    }

    void start(@Observes StartupEvent event) {
        bus.listen(this::deliver);
    }

    /** Called by the bus on any thread. Channels nobody here listens to stop at one map lookup. */
    void deliver(Delivery delivery) {
        if (!interest.containsKey(delivery.channel())) {
            return;
        }
        // Always queued, never run inline: the bus may call this under a per-channel lock, and the
        // writes to thousands of sockets must not happen while other publishers wait on it.
        for (HubShard shard : shards) {
            shard.loop().execute(() -> shard.deliver(delivery));
        }
    }

    ClientSession open(WebSocketConnection connection, Identity identity) {
        HubShard shard = currentShard();
        ClientSession session = new ClientSession(connection.id(), identity, connection, shard,
                new RateLimiter(websocket.messageRate(), websocket.messageBurst()), websocket.maxOutboundBytes(),
                limits::slowClientClosed);
        shard.sessionOpened(session);
        return session;
    }

    /** Idempotent: a session may be closed by the client, by a limit and by shutdown alike. */
    void close(ClientSession session) {
        session.markClosed();
        for (Subscription sub : List.copyOf(session.subscriptions.values())) {
            drop(sub);
        }
        session.shard().sessionClosed(session);
    }

    /**
     * Asks every session on this node to close with {@code code}; the closes happen on the sessions'
     * event loops, after any frame already written to them.
     */
    public void closeAll(short code, String reason) {
        for (HubShard shard : shards) {
            shard.execute(() -> shard.closeAll(code, reason));
        }
    }

    /**
     * Subscribes a session, replaying what it missed after {@code since}. Order on the wire:
     * replayed events, then {@code subscribed}, then live events, with no gap and no duplicate.
     */
    void subscribe(ClientSession session, String channel, Offset since, Long replyId) {
        Subscription existing = session.subscriptions.get(channel);
        if (existing != null && !existing.joining()) {
            // Already live: say where it stands rather than replaying or subscribing twice.
            session.send(ControlFrames.subscribed(replyId, channel, existing.offset().toString(), true));
            return;
        }
        if (existing != null) {
            session.send(ControlFrames.error(replyId, ErrorCode.bad_request, "a subscribe to '" + channel
                    + "' is still in progress"));
            return;
        }
        if (!session.identity().maySubscribe(channel)) {
            session.send(ControlFrames.error(replyId, ErrorCode.forbidden, "this token may not subscribe to '" + channel + "'"));
            return;
        }
        if (session.subscriptions.size() >= websocket.maxSubscriptions()) {
            session.send(ControlFrames.error(replyId, ErrorCode.forbidden, "at most " + websocket.maxSubscriptions()
                    + " subscriptions per connection; unsubscribe from a channel first"));
            return;
        }
        Subscription sub = new Subscription(session, channel);
        session.subscriptions.put(channel, sub);
        HubShard shard = session.shard();
        shard.add(sub);
        presence.add(channel, new PresenceEntry(session.id(), session.user(), node.id(), System.currentTimeMillis()));
        addInterest(channel)
                .chain(() -> bus.history(channel, since, since == null ? 0 : historySize))
                .subscribe().with(
                        slice -> shard.execute(() -> finishJoin(sub, since, slice, replyId)),
                        failure -> shard.execute(() -> failJoin(sub, replyId, failure)));
    }

    void unsubscribe(ClientSession session, String channel, Long replyId) {
        Subscription sub = session.subscriptions.get(channel);
        if (sub == null) {
            session.send(ControlFrames.error(replyId, ErrorCode.not_found, "not subscribed to '" + channel + "'"));
            return;
        }
        drop(sub);
        session.send(ControlFrames.unsubscribed(replyId, channel));
    }

    private void finishJoin(Subscription sub, Offset since, HistorySlice slice, Long replyId) {
        if (sub.cancelled) {
            return;
        }
        ClientSession session = sub.session;
        boolean recovered;
        if (since == null) {
            recovered = true;
        } else {
            recovered = slice.reachesBackTo(since);
            if (recovered) {
                for (Delivery missed : slice.events()) {
                    session.send(missed.frame());
                    session.shard().countFrame();
                }
            }
        }
        sub.epoch = slice.epoch();
        sub.lastSeq = slice.top();
        session.send(ControlFrames.subscribed(replyId, sub.channel, slice.topOffset().toString(), recovered));
        List<Delivery> waiting = sub.pending;
        sub.pending = null;
        for (Delivery live : waiting) {
            if (sub.offer(live)) {
                session.shard().countFrame();
            }
        }
    }

    private void failJoin(Subscription sub, Long replyId, Throwable failure) {
        if (sub.cancelled) {
            return;
        }
        LOG.warnf("subscribe of session %s to %s failed: %s", sub.session.id(), sub.channel, failure.toString());
        drop(sub);
        sub.session.send(ControlFrames.error(replyId, ErrorCode.internal, "could not subscribe to '" + sub.channel
                + "' now; try again"));
    }

    private void drop(Subscription sub) {
        sub.cancelled = true;
        sub.session.subscriptions.remove(sub.channel, sub);
        sub.session.shard().remove(sub);
        presence.remove(sub.channel, sub.session.id());
        removeInterest(sub.channel);
    }

    private Uni<Void> addInterest(String channel) {
        Interest now = interest.compute(channel, (c, i) -> {
            if (i == null) {
                return new Interest(bus.join(c).memoize().indefinitely());
            }
            i.count++;
            return i;
        });
        return now.joined;
    }

    private void removeInterest(String channel) {
        interest.computeIfPresent(channel, (c, i) -> {
            if (--i.count == 0) {
                // Told to the bus inside the map's atomic step, so a leave and a join racing for one
                // channel reach the bus in the order they happened here.
                bus.leave(c).subscribe().with(ok -> {
                }, failure -> LOG.debugf("leaving %s on the bus failed: %s", c, failure));
                return null;
            }
            return i;
        });
    }

    private HubShard currentShard() {
        ContextInternal context = (ContextInternal) Vertx.currentContext();
        if (context == null) {
            throw new IllegalStateException("sessions open on a Vert.x event loop");
        }
        EventLoop loop = context.nettyEventLoop();
        return shardsByLoop.computeIfAbsent(loop, l -> {
            HubShard shard = new HubShard(l);
            shards.add(shard);
            return shard;
        });
    }

    public int openSessions() {
        int n = 0;
        for (HubShard s : shards) {
            n += s.sessions();
        }
        return n;
    }

    public int activeSubscriptions() {
        int n = 0;
        for (HubShard s : shards) {
            n += s.subscriptions();
        }
        return n;
    }

    public long framesDelivered() {
        long n = 0;
        for (HubShard s : shards) {
            n += s.framesDelivered();
        }
        return n;
    }

    public int channelsWithSubscribers() {
        return interest.size();
    }

    private static final class Interest {
        final Uni<Void> joined;
        int count = 1;

        Interest(Uni<Void> joined) {
            this.joined = joined;
        }
    }
}
