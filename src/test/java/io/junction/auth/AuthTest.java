package io.junction.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.junction.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/** With authentication on: who may connect, subscribe, publish, and call the HTTP API. */
@QuarkusTest
@TestProfile(AuthTest.Secured.class)
class AuthTest {

    static final String PUBLISHER_KEY = "pk-publisher-secret";
    static final String READER_KEY = "pk-reader-secret";
    static final String OPS_KEY = "pk-ops-secret";

    public static class Secured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            TestTokens.ensureKeys();
            return Map.of("junction.auth.anonymous", "false",
                    "mp.jwt.verify.publickey.location", TestTokens.PUBLIC.toAbsolutePath().toUri().toString(),
                    "mp.jwt.verify.issuer", TestTokens.ISSUER, "mp.jwt.verify.audiences", TestTokens.AUDIENCE,
                    "junction.auth.api-keys.publisher.sha256", hex(PUBLISHER_KEY),
                    "junction.auth.api-keys.reader.sha256", hex(READER_KEY),
                    "junction.auth.api-keys.reader.scopes", "read",
                    "junction.auth.api-keys.ops.sha256", hex(OPS_KEY),
                    "junction.auth.api-keys.ops.scopes", "admin");
        }

        static String hex(String key) {
            return HexFormat.of().formatHex(ApiKeys.sha256(key));
        }
    }

    @TestHTTPResource("/ws")
    URI ws;

    URI withToken(String token) {
        return URI.create(ws + "?token=" + token);
    }

    @Test
    void withoutATokenTheConnectionIsClosedWith1008() {
        try (WsClient c = WsClient.connect(ws)) {
            assertThat(c.awaitClose()).isEqualTo(1008);
        }
    }

    @Test
    void aTokenWithABadSignatureIsRefused() {
        String forged = TestTokens.sign(TestTokens.claims("mallory", List.of("*"), List.of("*"), 60, TestTokens.AUDIENCE),
                TestTokens.otherKey());
        try (WsClient c = WsClient.connect(withToken(forged))) {
            assertThat(c.awaitClose()).isEqualTo(1008);
        }
    }

    @Test
    void anExpiredTokenIsRefused() {
        try (WsClient c = WsClient.connect(withToken(TestTokens.token("alice", List.of("*"), List.of(), -120)))) {
            assertThat(c.awaitClose()).isEqualTo(1008);
        }
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        String other = TestTokens.sign(TestTokens.claims("alice", List.of("*"), List.of(), 60, "someone-else"),
                TestTokens.privateKey());
        try (WsClient c = WsClient.connect(withToken(other))) {
            assertThat(c.awaitClose()).isEqualTo(1008);
        }
    }

    @Test
    void aTokenForTeam7MayNotSubscribeToTeam8NorPublishWhereItMayNot() {
        String token = TestTokens.token("alice", List.of("team:7", "user:{sub}"), List.of("chat:*"), 300);
        try (WsClient c = WsClient.connect(ws, Map.of("Authorization", "Bearer " + token))) {
            c.expect("welcome");
            c.subscribe("team:7");
            c.subscribe("user:alice");
            int id = c.send(new JsonObject().put("op", "subscribe").put("channel", "team:8"));
            JsonObject refused = c.expect("error");
            assertThat(refused.getInteger("id")).isEqualTo(id);
            assertThat(refused.getString("code")).isEqualTo("forbidden");
            c.send(new JsonObject().put("op", "subscribe").put("channel", "user:bob"));
            assertThat(c.expect("error").getString("code")).isEqualTo("forbidden");
            c.send(new JsonObject().put("op", "publish").put("channel", "team:7").put("type", "t"));
            assertThat(c.expect("error").getString("code")).isEqualTo("forbidden");
            c.send(new JsonObject().put("op", "publish").put("channel", "chat:1").put("type", "t"));
            assertThat(c.expect("ack").getString("event")).isNotBlank();
        }
        given().header("X-Api-Key", READER_KEY).get("/api/channels/team:7/presence").then().statusCode(200);
    }

    @Test
    void aSessionEndsWhenItsTokenExpires() {
        try (WsClient c = WsClient.connect(withToken(TestTokens.token("brief", List.of("*"), List.of(), 2)))) {
            c.expect("welcome");
            assertThat(c.awaitClose()).isEqualTo(1008);
        }
    }

    @Test
    void theApiWantsAKeyWithTheRightScope() {
        String event = "{\"type\":\"t\",\"channel\":\"team:7\"}";
        given().contentType("application/json").body(event).post("/api/events").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer").contentType("application/problem+json")
                .body("type", equalTo("urn:junction:problem:unauthorized"));
        given().header("Authorization", "Bearer wrong").contentType("application/json").body(event).post("/api/events")
                .then().statusCode(401);
        given().header("X-Api-Key", READER_KEY).contentType("application/json").body(event).post("/api/events").then()
                .statusCode(403).body("detail", containsString("may not publish"));
        given().header("Authorization", "Bearer " + PUBLISHER_KEY).contentType("application/json").body(event)
                .post("/api/events").then().statusCode(202);
        given().header("X-Api-Key", PUBLISHER_KEY).contentType("application/json").body("[" + event + "]")
                .post("/api/events/batch").then().statusCode(202);

        given().get("/api/channels/team:7/history").then().statusCode(401);
        given().header("X-Api-Key", READER_KEY).get("/api/channels/team:7/history").then().statusCode(200);

        given().header("X-Api-Key", PUBLISHER_KEY).get("/api/admin/outbox").then().statusCode(403)
                .body("detail", containsString("admin"));
        // An admin key gets past authorization (SNS is off here, so the answer is a 404 that says so).
        given().header("X-Api-Key", OPS_KEY).get("/api/admin/outbox").then().statusCode(404)
                .body("type", equalTo("urn:junction:problem:sns-disabled"));
    }
}
