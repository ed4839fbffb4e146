package io.junction.presence;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Typed;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.junction.bus.redis.RedisBus;
import io.junction.bus.redis.RedisKeys;
import io.junction.config.JunctionConfig;
import io.junction.config.NodeIdentity;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.UniHelper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Presence across pods. Each channel has a Redis hash of its subscribers; each entry names the
 * node run that added it, and every node run keeps a liveness key alive with a heartbeat. A node
 * that crashes stops beating, so its entries are left out of answers and removed when next read:
 * no node has to clean up after another.
 */
@ApplicationScoped
@Typed(RedisPresence.class)
public class RedisPresence implements Presence {

    private static final Logger LOG = Logger.getLogger(RedisPresence.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Redis redis;
    private final Vertx vertx;
    private final RedisBus bus;
    private final RedisKeys keys;
    private final NodeIdentity node;
    private final String incarnation = UUID.randomUUID().toString().substring(0, 8);
    private final long heartbeatMillis;
    /** What this node added, to put back after Redis lost it. */
    private final ConcurrentHashMap<String, Map<String, PresenceEntry>> mine = new ConcurrentHashMap<>();
    private long timer = -1;

    RedisPresence(Instance<Redis> redis, Vertx vertx, RedisBus bus, NodeIdentity node, JunctionConfig config) {
        // Through Instance: a directly injected client is created at start-up even with the memory
        // bus, and fails there when quarkus.redis.hosts is not set.
        this.redis = redis.get();
        this.vertx = vertx;
        this.bus = bus;
        this.keys = bus.keys();
        this.node = node;
        this.heartbeatMillis = config.redis().heartbeat().toMillis();
    }

    @PostConstruct
    void start() {
        beat();
        timer = vertx.setPeriodic(heartbeatMillis, id -> beat());
        bus.onReconnect(this::restore);
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(timer);
        redis.send(Request.cmd(Command.DEL).arg(aliveKey()));
    }

    @Override
    public void add(String channel, PresenceEntry entry) {
        mine.computeIfAbsent(channel, c -> new ConcurrentHashMap<>()).put(entry.session(), entry);
        write(channel, entry);
    }

    @Override
    public void remove(String channel, String session) {
        mine.computeIfPresent(channel, (c, sessions) -> {
            sessions.remove(session);
            return sessions.isEmpty() ? null : sessions;
        });
        redis.send(Request.cmd(Command.HDEL).arg(keys.presence(channel)).arg(session))
                .onFailure(f -> LOG.debugf("presence remove on %s failed: %s", channel, f));
    }

    @Override
    public Uni<List<PresenceEntry>> list(String channel) {
        String key = keys.presence(channel);
        Future<List<PresenceEntry>> answer = redis.send(Request.cmd(Command.HGETALL).arg(key)).compose(all -> {
            List<Stored> stored = parse(all);
            Set<String> aliveKeys = new LinkedHashSet<>();
            for (Stored s : stored) {
                aliveKeys.add(s.aliveKey);
            }
            if (aliveKeys.isEmpty()) {
                return Future.succeededFuture(List.of());
            }
            Request mget = Request.cmd(Command.MGET);
            aliveKeys.forEach(mget::arg);
            List<String> order = new ArrayList<>(aliveKeys);
            return redis.send(mget).map(values -> {
                Map<String, Boolean> alive = new HashMap<>();
                for (int i = 0; i < order.size(); i++) {
                    alive.put(order.get(i), values.get(i) != null);
                }
                long now = System.currentTimeMillis();
                List<PresenceEntry> live = new ArrayList<>();
                Request cleanup = Request.cmd(Command.HDEL).arg(key);
                boolean stale = false;
                for (Stored s : stored) {
                    // A node's first heartbeat may land just after its first entries: young entries count.
                    if (alive.get(s.aliveKey) || now - s.entry.joinedAt() < 3 * heartbeatMillis) {
                        live.add(s.entry);
                    } else {
                        cleanup.arg(s.entry.session());
                        stale = true;
                    }
                }
                if (stale) {
                    redis.send(cleanup);
                }
                live.sort(Comparator.comparingLong(PresenceEntry::joinedAt).thenComparing(PresenceEntry::session));
                return live;
            });
        });
        return UniHelper.toUni(answer);
    }

    private void beat() {
        redis.send(Request.cmd(Command.SET).arg(aliveKey()).arg("1").arg("PX").arg(3 * heartbeatMillis))
                .onFailure(f -> LOG.debugf("presence heartbeat failed: %s", f));
    }

    private void restore() {
        beat();
        mine.forEach((channel, sessions) -> sessions.values().forEach(entry -> write(channel, entry)));
    }

    private void write(String channel, PresenceEntry entry) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("session", entry.session());
        if (entry.user() != null) {
            json.put("user", entry.user());
        }
        json.put("node", entry.node());
        json.put("alive", aliveKey());
        json.put("joinedAt", entry.joinedAt());
        redis.send(Request.cmd(Command.HSET).arg(keys.presence(channel)).arg(entry.session()).arg(json.toString()))
                .onFailure(f -> LOG.debugf("presence add on %s failed: %s", channel, f));
    }

    private String aliveKey() {
        return keys.nodeAlive(node.id(), incarnation);
    }

    private static List<Stored> parse(Response all) {
        List<Stored> out = new ArrayList<>();
        if (all == null) {
            return out;
        }
        for (String field : all.getKeys()) {
            try {
                JsonNode json = MAPPER.readTree(all.get(field).toString());
                out.add(new Stored(json.path("alive").asText(), new PresenceEntry(json.path("session").asText(),
                        json.hasNonNull("user") ? json.get("user").asText() : null, json.path("node").asText(),
                        json.path("joinedAt").asLong())));
            } catch (Exception e) {
                LOG.debugf("ignoring an unreadable presence entry %s", field);
            }
        }
        return out;
    }

    private record Stored(String aliveKey, PresenceEntry entry) {
    }
}
