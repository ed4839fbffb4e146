package io.junction.realtime;

import static io.junction.support.Http.post;
import static io.junction.support.Http.publish;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.junction.support.Deadline;
import io.junction.support.Metrics;
import io.junction.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;

/** Each WebSocket limit, hit on purpose, answered with its documented error or close code. */
@QuarkusTest
@TestProfile(LimitsTest.SmallLimits.class)
class LimitsTest {

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("junction.websocket.max-subscriptions", "3", "junction.websocket.message-rate", "5",
                    "junction.websocket.message-burst", "5", "junction.websocket.max-connections-per-ip", "4",
                    "junction.websocket.allowed-origins", "https://app.example.com",
                    "junction.websocket.max-outbound-bytes", "65536");
        }
    }

    @TestHTTPResource("/ws")
    URI ws;

    @Test
    void subscriptionsPerConnectionAreLimited() {
        try (WsClient c = WsClient.welcomed(ws)) {
            for (int i = 0; i < 3; i++) {
                c.subscribe("limit:" + i);
            }
            int id = c.send(new JsonObject().put("op", "subscribe").put("channel", "limit:3"));
            JsonObject error = c.expect("error");
            assertThat(error.getInteger("id")).isEqualTo(id);
            assertThat(error.getString("code")).isEqualTo("forbidden");
            assertThat(error.getString("message")).contains("at most 3 subscriptions");
        }
    }

    @Test
    void aClientOverTheMessageRateIsToldThenClosedWith1008() {
        try (WsClient c = WsClient.welcomed(ws)) {
            for (int i = 0; i < 40; i++) {
                c.sendRaw("{\"op\":\"ping\"}");
            }
            assertThat(c.awaitClose()).isEqualTo(1008);
            List<JsonObject> before = c.drain();
            assertThat(before).as("frames before the close").anyMatch(f -> "error".equals(f.getString("op"))
                    && "rate_limited".equals(f.getString("code")));
            assertThat(before).filteredOn(f -> "error".equals(f.getString("op"))).extracting(f -> f.getString("code"))
                    .containsOnly("rate_limited");
        }
    }

    @Test
    void connectionsPerAddressAreLimited() {
        Deadline.await("earlier tests' connections to be gone", Duration.ofSeconds(10),
                () -> Metrics.value("junction_connections_open") == 0);
        List<WsClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                open.add(WsClient.welcomed(ws));
            }
            try (WsClient fifth = WsClient.connect(ws)) {
                assertThat(fifth.awaitClose()).isEqualTo(1013);
            }
        } finally {
            open.forEach(WsClient::close);
        }
    }

    @Test
    void browsersFromOtherOriginsAreRefused() {
        try (WsClient evil = WsClient.connect(ws, Map.of("Origin", "https://evil.example"))) {
            assertThat(evil.awaitClose()).isEqualTo(1008);
        }
        try (WsClient app = WsClient.connect(ws, Map.of("Origin", "https://app.example.com"))) {
            assertThat(app.expect("welcome").getString("session")).isNotBlank();
        }
    }

    @Test
    void aClientThatNeverReadsIsClosedWith1013WhileOthersOnTheChannelGetEveryEvent() {
        try (WsClient normal = WsClient.welcomed(ws); WsClient slow = WsClient.neverReading(ws)) {
            normal.subscribe("firehose");
            slow.sendRaw("{\"op\":\"subscribe\",\"channel\":\"firehose\"}");
            Deadline.await("both clients to be subscribed", Duration.ofSeconds(10), () -> RestAssured.given()
                    .get("/api/channels/firehose/presence").then().extract().<List<String>>path("clients.session").size() == 2);
            double slowBefore = Metrics.value("junction_connections_closed_slow_total");
            String pad = "x".repeat(60 * 1024);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                ids.add(publish(new JsonObject().put("type", "big").put("channel", "firehose").put("data", pad)));
                // A 60 KiB event per iteration: the normal client reads as it goes.
                assertThat(normal.expect("event").getJsonObject("event").getString("id")).isEqualTo(ids.get(i));
            }
            Deadline.await("the slow client to be closed", Duration.ofSeconds(10),
                    () -> Metrics.value("junction_connections_closed_slow_total") > slowBefore);
            slow.resume();
            assertThat(slow.awaitClose()).isEqualTo(1013);
            post("/api/events", "application/json", new JsonObject().put("type", "after").put("channel", "firehose").encode())
                    .statusCode(202);
            assertThat(normal.expect("event").getJsonObject("event").getString("type")).isEqualTo("after");
        }
    }
}
