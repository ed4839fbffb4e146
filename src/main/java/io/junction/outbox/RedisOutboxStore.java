package io.junction.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.junction.event.Event;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.UniHelper;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * The durable outbox: a Redis Stream that every pod appends to and that one consumer group, shared
 * by all pods, reads. An entry is acknowledged (and deleted) only after SNS confirmed it; an entry a
 * pod took and did not finish (the pod died) is taken over by another pod once it has been idle for
 * {@code claim-idle}. Blocking calls here run on the relay's own thread, never on an event loop.
 */
public final class RedisOutboxStore implements OutboxStore {

    private static final Logger LOG = Logger.getLogger(RedisOutboxStore.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String GROUP = "relay";

    private final Redis redis;
    private final String stream;
    private final String deadStream;
    private final String consumer;
    private final long claimIdleMillis;
    private long lastClaim;
    private boolean groupReady;
    private volatile Depth depth = new Depth(0, 0, 0);

    public RedisOutboxStore(Redis redis, String keyPrefix, String node, Duration claimIdle) {
        this.redis = redis;
        this.stream = streamKey(keyPrefix);
        this.deadStream = keyPrefix + ":outbox:dead";
        this.consumer = node + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.claimIdleMillis = claimIdle.toMillis();
    }

    public static String streamKey(String keyPrefix) {
        return keyPrefix + ":outbox";
    }

    /** The stream fields of an entry; the Redis bus writes the same ones from its publish script. */
    public static List<String> fields(Event event) {
        return fields(event.id(), event.topic(), event.type(), event.group(), event.channel(), event.attributes());
    }

    private static List<String> fields(String id, String topic, String type, String group, String channel,
            Map<String, String> attributes) {
        List<String> f = new ArrayList<>(List.of("id", id, "topic", topic, "type", type));
        if (group != null) {
            f.addAll(List.of("group", group));
        }
        if (channel != null) {
            f.addAll(List.of("channel", channel));
        }
        if (!attributes.isEmpty()) {
            ObjectNode attrs = JsonNodeFactory.instance.objectNode();
            attributes.forEach(attrs::put);
            f.addAll(List.of("attrs", attrs.toString()));
        }
        return f;
    }

    @Override
    public Uni<Void> append(Event event) {
        Request xadd = Request.cmd(Command.XADD).arg(stream).arg("*");
        fields(event).forEach(xadd::arg);
        xadd.arg("e").arg(event.envelope()).arg("t").arg(System.currentTimeMillis());
        return UniHelper.toUni(redis.send(xadd)).replaceWithVoid();
    }

    @Override
    public List<OutboxEntry> take(int max, Duration wait) {
        List<OutboxEntry> out = new ArrayList<>();
        try {
            ensureGroup();
            long now = System.currentTimeMillis();
            if (now - lastClaim > claimIdleMillis / 2) {
                lastClaim = now;
                Response claimed = call(Request.cmd(Command.XAUTOCLAIM).arg(stream).arg(GROUP).arg(consumer)
                        .arg(claimIdleMillis).arg("0-0").arg("COUNT").arg(max));
                List<OutboxEntry> taken = entries(claimed.get(1));
                if (!taken.isEmpty()) {
                    LOG.infof("took over %d outbox entries that another pod left unfinished", taken.size());
                }
                out.addAll(taken);
            }
            if (out.size() < max) {
                Response read = call(Request.cmd(Command.XREADGROUP).arg("GROUP").arg(GROUP).arg(consumer)
                        .arg("COUNT").arg(max - out.size()).arg("BLOCK").arg(out.isEmpty() ? wait.toMillis() : 1)
                        .arg("STREAMS").arg(stream).arg(">"));
                if (read != null) {
                    // RESP3 answers a map of stream → entries, RESP2 an array of [stream, entries].
                    Response perStream = read.containsKey(stream) ? read.get(stream) : read.get(0).get(1);
                    out.addAll(entries(perStream));
                }
            }
            refreshDepth();
        } catch (Exception e) {
            if (String.valueOf(e.getMessage()).contains("NOGROUP")) {
                groupReady = false;
            }
            LOG.debugf("outbox read failed: %s", e.toString());
            pause(wait);
        }
        return out;
    }

    @Override
    public void done(List<OutboxEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        Request ack = Request.cmd(Command.XACK).arg(stream).arg(GROUP);
        Request del = Request.cmd(Command.XDEL).arg(stream);
        for (OutboxEntry e : entries) {
            ack.arg(e.ref());
            del.arg(e.ref());
        }
        try {
            call(ack);
            call(del);
        } catch (Exception e) {
            // Published but not acknowledged: another pod may publish it again; ids stay the same.
            LOG.warnf("could not acknowledge %d published outbox entries: %s", entries.size(), e.toString());
        }
    }

    @Override
    public void dead(OutboxEntry entry, String reason) {
        Request xadd = Request.cmd(Command.XADD).arg(deadStream).arg("*");
        fields(entry.eventId(), entry.topic(), entry.type(), entry.group(), entry.channel(), entry.attributes())
                .forEach(xadd::arg);
        xadd.arg("e").arg(entry.envelope()).arg("t").arg(entry.acceptedAt()).arg("reason").arg(reason)
                .arg("failedAt").arg(System.currentTimeMillis());
        try {
            call(xadd);
            done(List.of(entry));
        } catch (Exception e) {
            LOG.warnf("could not move outbox entry %s to the dead letters: %s", entry.ref(), e.toString());
        }
    }

    @Override
    public List<DeadLetter> deadLetters(int limit) {
        try {
            Response range = call(Request.cmd(Command.XRANGE).arg(deadStream).arg("-").arg("+").arg("COUNT").arg(limit));
            List<DeadLetter> out = new ArrayList<>();
            for (int i = 0; range != null && i < range.size(); i++) {
                Response entry = range.get(i);
                Map<String, Response> f = fieldMap(entry.get(1));
                OutboxEntry e = entry(entry.get(0).toString(), f);
                out.add(new DeadLetter(e.ref(), e, f.get("reason").toString(), f.get("failedAt").toLong()));
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("could not read the dead letters: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean retryDead(String ref) {
        try {
            Response range = call(Request.cmd(Command.XRANGE).arg(deadStream).arg(ref).arg(ref));
            if (range == null || range.size() == 0) {
                return false;
            }
            Request xadd = Request.cmd(Command.XADD).arg(stream).arg("*");
            Response fields = range.get(0).get(1);
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                String name = fields.get(i).toString();
                if (!name.equals("reason") && !name.equals("failedAt")) {
                    xadd.arg(name).arg(fields.get(i + 1).toBytes());
                }
            }
            call(xadd);
            call(Request.cmd(Command.XDEL).arg(deadStream).arg(ref));
            return true;
        } catch (Exception e) {
            throw new IllegalStateException("could not retry dead letter " + ref + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Depth depth() {
        return depth;
    }

    private void refreshDepth() throws Exception {
        long length = call(Request.cmd(Command.XLEN).arg(stream)).toLong();
        long dead = call(Request.cmd(Command.XLEN).arg(deadStream)).toLong();
        long oldest = 0;
        if (length > 0) {
            Response first = call(Request.cmd(Command.XRANGE).arg(stream).arg("-").arg("+").arg("COUNT").arg(1));
            if (first != null && first.size() > 0) {
                Response t = fieldMap(first.get(0).get(1)).get("t");
                oldest = t == null ? 0 : Math.max(0, System.currentTimeMillis() - t.toLong());
            }
        }
        depth = new Depth(length, oldest, dead);
    }

    private void ensureGroup() throws Exception {
        if (groupReady) {
            return;
        }
        try {
            // From the start of the stream: entries appended before any relay ran are published too.
            call(Request.cmd(Command.XGROUP).arg("CREATE").arg(stream).arg(GROUP).arg("0").arg("MKSTREAM"));
        } catch (Exception e) {
            if (!String.valueOf(e.getMessage()).contains("BUSYGROUP")) {
                throw e;
            }
        }
        groupReady = true;
    }

    private List<OutboxEntry> entries(Response list) {
        List<OutboxEntry> out = new ArrayList<>();
        for (int i = 0; list != null && i < list.size(); i++) {
            Response entry = list.get(i);
            if (entry == null || entry.get(1) == null) {
                continue; // deleted while pending
            }
            out.add(entry(entry.get(0).toString(), fieldMap(entry.get(1))));
        }
        return out;
    }

    private static OutboxEntry entry(String ref, Map<String, Response> f) {
        Map<String, String> attributes = Map.of();
        if (f.containsKey("attrs")) {
            try {
                JsonNode attrs = MAPPER.readTree(f.get("attrs").toString());
                Map<String, String> m = new LinkedHashMap<>();
                attrs.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
                attributes = Map.copyOf(m);
            } catch (Exception e) {
                LOG.warnf("outbox entry %s has unreadable attributes; publishing without them", ref);
            }
        }
        return new OutboxEntry(ref, text(f, "id"), text(f, "topic"), text(f, "type"), text(f, "group"), text(f, "channel"),
                attributes, f.get("e").toBytes(), f.containsKey("t") ? f.get("t").toLong() : 0, 0);
    }

    private static String text(Map<String, Response> f, String name) {
        Response r = f.get(name);
        return r == null ? null : r.toString();
    }

    private static Map<String, Response> fieldMap(Response fields) {
        Map<String, Response> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            m.put(fields.get(i).toString(), fields.get(i + 1));
        }
        return m;
    }

    private Response call(Request request) throws Exception {
        Future<Response> f = redis.send(request);
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(Math.max(50, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
