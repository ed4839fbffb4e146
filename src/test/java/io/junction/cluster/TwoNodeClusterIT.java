package io.junction.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.junction.support.Deadline;
import io.junction.support.JunctionProcess;
import io.junction.support.RedisServer;
import io.junction.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Two packaged Junction processes against one real Redis: what a client on one pod sees of events
 * posted to another, across reconnects, presence, and a Redis that dies and comes back empty.
 */
class TwoNodeClusterIT {

    static RedisServer redis;
    static JunctionProcess a;
    static JunctionProcess b;

    @BeforeAll
    static void start() {
        redis = new RedisServer().start();
        Map<String, String> env = Map.of("JUNCTION_BUS", "redis", "QUARKUS_REDIS_HOSTS", redis.url(),
                "JUNCTION_REDIS_RECONNECT_MIN", "400MS", "JUNCTION_REDIS_RECONNECT_MAX", "1S", "JUNCTION_REDIS_HEARTBEAT", "1S");
        // A reconnect pause of at least 200 ms: events posted right after a lost connection are
        // certain to be missed by pub/sub and must come back through the history refill.
        a = new JunctionProcess("node-a", env).start();
        b = new JunctionProcess("node-b", env).start();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] { a, b, redis }) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @Test
    void aClientOnNodeBReceivesEventsPostedToNodeA() {
        try (WsClient client = WsClient.connect(b.ws())) {
            assertThat(client.expect("welcome").getString("node")).isEqualTo("node-b");
            // Posting right after each 'subscribed' catches a subscription confirmed before Redis confirmed it.
            for (int i = 0; i < 25; i++) {
                String channel = "cross:" + i;
                client.subscribe(channel);
                String id = publish(a, channel, "hello");
                JsonObject frame = client.expect("event");
                assertThat(frame.getString("channel")).isEqualTo(channel);
                assertThat(frame.getJsonObject("event").getString("id")).isEqualTo(id);
            }
        }
    }

    @Test
    void eachNodeDeliversAnEventOnceToEachOfItsClients() {
        try (WsClient onA = WsClient.welcomed(a.ws()); WsClient onB = WsClient.welcomed(b.ws());
                WsClient alsoOnB = WsClient.welcomed(b.ws())) {
            for (WsClient c : List.of(onA, onB, alsoOnB)) {
                c.subscribe("once");
            }
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ids.add(publish(i % 2 == 0 ? a : b, "once", "n" + i));
            }
            for (WsClient c : List.of(onA, onB, alsoOnB)) {
                assertThat(c.events(10)).extracting(f -> f.getJsonObject("event").getString("id")).containsExactlyElementsOf(ids);
            }
            // Nothing more: a marker posted now is the very next frame everywhere.
            String marker = publish(a, "once", "marker");
            for (WsClient c : List.of(onA, onB, alsoOnB)) {
                assertThat(c.expect("event").getJsonObject("event").getString("id")).isEqualTo(marker);
            }
        }
    }

    @Test
    void aClientThatReconnectsToTheOtherNodeWithSinceGetsExactlyWhatItMissed() {
        String offset;
        try (WsClient first = WsClient.welcomed(a.ws())) {
            first.subscribe("resume:x");
            publish(b, "resume:x", "seen");
            offset = first.expect("event").getString("offset");
        }
        List<String> missed = List.of(publish(a, "resume:x", "m1"), publish(b, "resume:x", "m2"),
                publish(a, "resume:x", "m3"));
        try (WsClient again = WsClient.welcomed(b.ws())) {
            again.send(new JsonObject().put("op", "subscribe").put("channel", "resume:x").put("since", offset));
            List<JsonObject> replayed = again.events(3);
            assertThat(replayed).extracting(f -> f.getJsonObject("event").getString("id")).containsExactlyElementsOf(missed);
            assertThat(replayed).extracting(f -> f.getLong("seq")).isSorted();
            JsonObject subscribed = again.expect("subscribed");
            assertThat(subscribed.getBoolean("recovered")).isTrue();
            String live = publish(a, "resume:x", "live");
            JsonObject next = again.expect("event");
            assertThat(next.getJsonObject("event").getString("id")).isEqualTo(live);
            assertThat(next.getLong("seq")).isEqualTo(replayed.get(2).getLong("seq") + 1);
        }
    }

    @Test
    void presenceOnEitherNodeListsTheSessionsOfBoth() {
        try (WsClient onA = WsClient.connect(a.ws()); WsClient onB = WsClient.connect(b.ws())) {
            String sessionA = onA.expect("welcome").getString("session");
            String sessionB = onB.expect("welcome").getString("session");
            onA.subscribe("room:presence");
            onB.subscribe("room:presence");
            for (JunctionProcess node : List.of(a, b)) {
                Deadline.await("presence on " + node.name() + " to list both sessions", Duration.ofSeconds(5), () -> {
                    JsonArray clients = new JsonObject(node.get("/api/channels/room:presence/presence").body())
                            .getJsonArray("clients");
                    List<String> pairs = new ArrayList<>();
                    for (int i = 0; i < clients.size(); i++) {
                        pairs.add(clients.getJsonObject(i).getString("session") + "@" + clients.getJsonObject(i).getString("node"));
                    }
                    return pairs.size() == 2 && pairs.containsAll(List.of(sessionA + "@node-a", sessionB + "@node-b"));
                });
            }
        }
    }

    @Test
    void aLostPubSubConnectionIsRefilledFromHistoryWithNoGapAndNoDuplicate() {
        try (WsClient onB = WsClient.welcomed(b.ws())) {
            onB.subscribe("refill");
            List<String> ids = new ArrayList<>();
            ids.add(publish(a, "refill", "before"));
            assertThat(onB.expect("event").getJsonObject("event").getString("id")).isEqualTo(ids.get(0));
            // Both nodes lose their pub/sub connections; events posted meanwhile reach Redis through
            // the publish pool, and must reach the client when node B is back.
            assertThat(redis.command("CLIENT KILL TYPE pubsub")).startsWith(":");
            for (int i = 0; i < 5; i++) {
                ids.add(publishWhenAccepted(a, "refill", "during" + i));
            }
            List<JsonObject> received = onB.events(5);
            assertThat(received).extracting(f -> f.getJsonObject("event").getString("id"))
                    .containsExactlyElementsOf(ids.subList(1, 6));
            String after = publishWhenAccepted(a, "refill", "after");
            assertThat(onB.expect("event").getJsonObject("event").getString("id")).isEqualTo(after);
        }
    }

    @Test
    void redisDyingAndComingBackEmptyRestoresFanOutWithoutRestartingJunction() {
        try (WsClient onA = WsClient.welcomed(a.ws()); WsClient onB = WsClient.welcomed(b.ws())) {
            onA.subscribe("survivor");
            onB.subscribe("survivor");
            String before = publish(a, "survivor", "before");
            String epochBefore = onB.expect("event").getString("offset").split(":")[0];
            onA.expect("event");

            redis.kill();
            Deadline.await("node A to report not ready", Duration.ofSeconds(10), () -> a.status("/q/health/ready") == 503);
            HttpResponse<String> refused = a.post("/api/events", event("survivor", "while-down").encode());
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("retry-after")).isPresent();
            assertThat(refused.headers().firstValue("content-type")).hasValue("application/problem+json");

            redis.start();
            for (JunctionProcess node : List.of(a, b)) {
                Deadline.await(node.name() + " to be ready again", Duration.ofSeconds(20), () -> node.status("/q/health/ready") == 200);
            }
            String after = publishWhenAccepted(b, "survivor", "after");
            for (WsClient c : List.of(onA, onB)) {
                JsonObject frame = c.expect("event");
                assertThat(frame.getJsonObject("event").getString("id")).isEqualTo(after);
                // The history died with Redis: the new epoch tells clients so, instead of a silent skip.
                assertThat(frame.getString("offset").split(":")[0]).isNotEqualTo(epochBefore);
            }
            assertThat(before).isNotEqualTo(after);
        }
    }

    static JsonObject event(String channel, String type) {
        return new JsonObject().put("type", type).put("channel", channel).put("data", new JsonObject().put("t", type));
    }

    static String publish(JunctionProcess node, String channel, String type) {
        HttpResponse<String> response = node.post("/api/events", event(channel, type).encode());
        assertThat(response.statusCode()).as("POST to %s: %s", node.name(), response.body()).isEqualTo(202);
        return new JsonObject(response.body()).getString("id");
    }

    /** Posts until accepted: a node may briefly refuse (503) while its Redis connections come back. */
    static String publishWhenAccepted(JunctionProcess node, String channel, String type) {
        String[] id = new String[1];
        Deadline.await("an event to be accepted by " + node.name(), Duration.ofSeconds(20), () -> {
            HttpResponse<String> response = node.post("/api/events", event(channel, type).encode());
            if (response.statusCode() == 202) {
                id[0] = new JsonObject(response.body()).getString("id");
                return true;
            }
            assertThat(response.statusCode()).isEqualTo(503);
            return false;
        });
        return id[0];
    }
}
