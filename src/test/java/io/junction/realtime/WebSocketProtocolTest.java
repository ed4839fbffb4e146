package io.junction.realtime;

import static io.junction.support.Http.event;
import static io.junction.support.Http.publish;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.junction.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** The WebSocket table of the wire contract, over a real socket against the running server. */
@QuarkusTest
class WebSocketProtocolTest {

    @TestHTTPResource("/ws")
    URI ws;

    @Test
    void welcomeIsTheFirstFrame() {
        try (WsClient c = WsClient.connect(ws)) {
            JsonObject welcome = c.next();
            assertThat(welcome.getString("op")).isEqualTo("welcome");
            assertThat(welcome.getInteger("v")).isEqualTo(1);
            assertThat(welcome.getString("session")).isNotBlank();
            assertThat(welcome.getString("node")).isNotBlank();
            assertThat(welcome.getLong("heartbeat")).isPositive();
        }
    }

    @Test
    void sessionsHaveTheirOwnIds() {
        try (WsClient a = WsClient.connect(ws); WsClient b = WsClient.connect(ws)) {
            assertThat(a.next().getString("session")).isNotEqualTo(b.next().getString("session"));
        }
    }

    @Test
    void pingIsAnsweredWithPongCarryingTheSameId() {
        try (WsClient c = WsClient.welcomed(ws)) {
            int id = c.send(new JsonObject().put("op", "ping"));
            JsonObject pong = c.expect("pong");
            assertThat(pong.getInteger("id")).isEqualTo(id);
        }
    }

    @Test
    void anEventPostedOverHttpReachesTheSubscriberWithItsEnvelope() {
        try (WsClient c = WsClient.welcomed(ws)) {
            JsonObject subscribed = c.subscribe("team:7");
            assertThat(subscribed.getString("channel")).isEqualTo("team:7");
            assertThat(subscribed.getBoolean("recovered")).isTrue();
            assertThat(subscribed.getString("offset")).isNotBlank();

            String id = publish(new JsonObject().put("type", "user_invited").put("channel", "team:7")
                    .put("data", new JsonObject().put("email", "a@b.c")));

            JsonObject frame = c.expect("event");
            assertThat(frame.getString("channel")).isEqualTo("team:7");
            assertThat(frame.getString("offset")).isNotBlank();
            assertThat(frame.getLong("seq")).isPositive();
            JsonObject envelope = frame.getJsonObject("event");
            assertThat(envelope.getString("id")).isEqualTo(id);
            assertThat(envelope.getString("specversion")).isEqualTo("1.0");
            assertThat(envelope.getString("type")).isEqualTo("user_invited");
            assertThat(envelope.getString("source")).isEqualTo("/junction/api");
            assertThat(envelope.getString("time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(envelope.getString("channel")).isEqualTo("team:7");
            assertThat(envelope.getJsonObject("data").getString("email")).isEqualTo("a@b.c");
        }
    }

    @Test
    void seqGrowsByOnePerEventOfTheChannel() {
        try (WsClient c = WsClient.welcomed(ws)) {
            c.subscribe("seq-check");
            for (int i = 0; i < 5; i++) {
                publish(event("seq-check", "tick"));
            }
            List<JsonObject> events = c.events(5);
            long first = events.get(0).getLong("seq");
            for (int i = 0; i < 5; i++) {
                assertThat(events.get(i).getLong("seq")).isEqualTo(first + i);
            }
        }
    }

    @Test
    void clientsOnDifferentChannelsSeeOnlyTheirOwnEvents() {
        try (WsClient a = WsClient.welcomed(ws); WsClient b = WsClient.welcomed(ws)) {
            a.subscribe("room:a");
            b.subscribe("room:b");
            String forA = publish(event("room:a", "for_a"));
            String forB = publish(event("room:b", "for_b"));
            // Each client's next frame is its own event: the other's, posted before or after, never shows up.
            assertThat(a.expect("event").getJsonObject("event").getString("id")).isEqualTo(forA);
            assertThat(b.expect("event").getJsonObject("event").getString("id")).isEqualTo(forB);
            String secondForA = publish(event("room:a", "for_a"));
            assertThat(a.expect("event").getJsonObject("event").getString("id")).isEqualTo(secondForA);
        }
    }

    @Test
    void everySubscriberOfAChannelGetsTheEventOnce() {
        try (WsClient a = WsClient.welcomed(ws); WsClient b = WsClient.welcomed(ws); WsClient c = WsClient.welcomed(ws)) {
            for (WsClient client : List.of(a, b, c)) {
                client.subscribe("crowd");
            }
            String first = publish(event("crowd", "one"));
            String second = publish(event("crowd", "two"));
            for (WsClient client : List.of(a, b, c)) {
                assertThat(client.expect("event").getJsonObject("event").getString("id")).isEqualTo(first);
                assertThat(client.expect("event").getJsonObject("event").getString("id")).isEqualTo(second);
            }
        }
    }

    @Test
    void unsubscribeStopsDelivery() {
        try (WsClient c = WsClient.welcomed(ws)) {
            c.subscribe("leaving");
            c.subscribe("staying");
            int id = c.send(new JsonObject().put("op", "unsubscribe").put("channel", "leaving"));
            JsonObject reply = c.expect("unsubscribed");
            assertThat(reply.getInteger("id")).isEqualTo(id);
            assertThat(reply.getString("channel")).isEqualTo("leaving");

            publish(event("leaving", "gone"));
            String marker = publish(event("staying", "marker"));
            // Events reach a session in the order they were accepted, so had the first one been
            // delivered it would come before the marker.
            assertThat(c.expect("event").getJsonObject("event").getString("id")).isEqualTo(marker);
        }
    }

    @Test
    void subscribingTwiceDoesNotDuplicateEvents() {
        try (WsClient c = WsClient.welcomed(ws)) {
            c.subscribe("twice");
            c.subscribe("twice");
            String first = publish(event("twice", "one"));
            String second = publish(event("twice", "two"));
            assertThat(c.expect("event").getJsonObject("event").getString("id")).isEqualTo(first);
            assertThat(c.expect("event").getJsonObject("event").getString("id")).isEqualTo(second);
        }
    }

    @Test
    void clientPublishIsAckedWithTheEventIdAndDelivered() {
        try (WsClient publisher = WsClient.welcomed(ws); WsClient listener = WsClient.welcomed(ws)) {
            listener.subscribe("chat:1");
            int id = publisher.send(new JsonObject().put("op", "publish").put("channel", "chat:1").put("type", "said")
                    .put("data", new JsonObject().put("text", "hi")));
            JsonObject ack = publisher.expect("ack");
            assertThat(ack.getInteger("id")).isEqualTo(id);
            JsonObject envelope = listener.expect("event").getJsonObject("event");
            assertThat(envelope.getString("id")).isEqualTo(ack.getString("event"));
            assertThat(envelope.getString("source")).isEqualTo("/junction/ws");
            assertThat(envelope.getJsonObject("data").getString("text")).isEqualTo("hi");
        }
    }

    @Test
    void aClientThatReconnectsWithSinceGetsExactlyWhatItMissedInOrderThenLive() {
        String offset;
        try (WsClient first = WsClient.welcomed(ws)) {
            first.subscribe("resume:1");
            publish(event("resume:1", "seen"));
            offset = first.expect("event").getString("offset");
        }
        List<String> missed = List.of(publish(event("resume:1", "m1")), publish(event("resume:1", "m2")),
                publish(event("resume:1", "m3")));

        try (WsClient again = WsClient.welcomed(ws)) {
            int id = again.send(new JsonObject().put("op", "subscribe").put("channel", "resume:1").put("since", offset));
            List<JsonObject> replayed = again.events(3);
            assertThat(replayed).extracting(f -> f.getJsonObject("event").getString("id")).containsExactlyElementsOf(missed);
            JsonObject subscribed = again.expect("subscribed");
            assertThat(subscribed.getInteger("id")).isEqualTo(id);
            assertThat(subscribed.getBoolean("recovered")).isTrue();
            assertThat(subscribed.getString("offset")).isEqualTo(replayed.get(2).getString("offset"));

            String live = publish(event("resume:1", "live"));
            JsonObject next = again.expect("event");
            assertThat(next.getJsonObject("event").getString("id")).isEqualTo(live);
            assertThat(next.getLong("seq")).isEqualTo(replayed.get(2).getLong("seq") + 1);
        }
    }

    @Test
    void sinceFromAnotherHistoryEpochSaysNotRecovered() {
        try (WsClient c = WsClient.welcomed(ws)) {
            publish(event("epoch:1", "before"));
            int id = c.send(new JsonObject().put("op", "subscribe").put("channel", "epoch:1").put("since", "gone0epoch:3"));
            JsonObject reply = c.expect("subscribed");
            assertThat(reply.getInteger("id")).isEqualTo(id);
            assertThat(reply.getBoolean("recovered")).isFalse();
            String live = publish(event("epoch:1", "after"));
            assertThat(c.expect("event").getJsonObject("event").getString("id")).isEqualTo(live);
        }
    }
}
