package io.junction.fuzz;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.junction.support.Http;
import io.junction.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * Thousands of random and mutated frames and HTTP bodies, from a fixed seed (printed, so a failure
 * can be replayed): never a 5xx, never an {@code internal} error, the session stays usable, the
 * server stays ready, and a well-formed client on the side is unaffected.
 */
@QuarkusTest
@TestProfile(HostileInputTest.NoRateLimit.class)
class HostileInputTest {

    /** The rate limit would answer most of the fuzz itself; here the parser and handlers are under test. */
    public static class NoRateLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("junction.websocket.message-rate", "100000", "junction.websocket.message-burst", "100000");
        }
    }

    static final long SEED = Long.getLong("fuzz.seed", 20261204L);
    static final Set<String> REPLY_OPS = Set.of("error", "pong", "subscribed", "unsubscribed", "ack", "event");

    static final List<String> VALID_FRAMES = List.of(
            "{\"op\":\"ping\"}",
            "{\"op\":\"subscribe\",\"channel\":\"fuzz:1\"}",
            "{\"op\":\"subscribe\",\"channel\":\"fuzz:2\",\"since\":\"abc:3\"}",
            "{\"op\":\"unsubscribe\",\"channel\":\"fuzz:1\"}",
            "{\"op\":\"publish\",\"channel\":\"fuzz:3\",\"type\":\"t\",\"data\":{\"a\":[1,2,{\"b\":null}]}}");

    static final List<String> VALID_BODIES = List.of(
            "{\"type\":\"t\",\"channel\":\"fuzz:4\",\"data\":{\"x\":1}}",
            "{\"type\":\"t\",\"channel\":\"fuzz:4\",\"id\":\"k1\",\"attributes\":{\"a\":\"b\"},\"group\":\"g\"}",
            "[{\"type\":\"t\",\"channel\":\"fuzz:4\"},{\"type\":\"u\",\"channel\":\"fuzz:5\"}]",
            "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\",\"channel\":\"fuzz:4\"}");

    static final String[] TOKENS = { "{", "}", "[", "]", ",", ":", "\"", "null", "true", "1e309", "-0", "\"op\"",
            "\"channel\"", "\"since\"", "\"id\"", "9223372036854775808", "\\u0000", "é", "\"\\\"", " ", "\n",
            "\"subscribe\"", "\"publish\"", "{\"a\":", "[[[[[[[[", "]]]]]]", "\"type\"", "\"data\"", "NaN" };

    @TestHTTPResource("/ws")
    URI ws;

    @Test
    void randomAndMutatedFramesNeverBreakTheSessionOrTheServer() {
        Random random = new Random(SEED);
        try (WsClient bystander = WsClient.welcomed(ws); WsClient fuzzer = WsClient.welcomed(ws)) {
            bystander.subscribe("bystander");
            for (int round = 0; round < 3000; round++) {
                String frame = random.nextInt(4) == 0 ? randomJson(random, 0) : mutate(random, VALID_FRAMES);
                fuzzer.sendRaw(frame);
                int ping = fuzzer.send(new JsonObject().put("op", "ping"));
                while (true) {
                    JsonObject reply = fuzzer.next();
                    assertThat(REPLY_OPS).as("seed %d round %d frame %s → %s", SEED, round, frame, reply)
                            .contains(reply.getString("op"));
                    if ("error".equals(reply.getString("op"))) {
                        assertThat(reply.getString("code")).as("seed %d frame %s", SEED, frame).isNotEqualTo("internal");
                    }
                    if ("pong".equals(reply.getString("op")) && Integer.valueOf(ping).equals(reply.getInteger("id"))) {
                        break;
                    }
                }
            }
            String marker = Http.publish(new JsonObject().put("type", "marker").put("channel", "bystander"));
            assertThat(bystander.expect("event").getJsonObject("event").getString("id")).isEqualTo(marker);
        }
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void randomAndMutatedHttpBodiesGetAClearAnswerNeverA5xx() {
        Random random = new Random(SEED + 1);
        String[] types = { "application/json", "application/cloudevents+json", "application/cloudevents-batch+json",
                "text/plain", "application/json; charset=utf-8", "application/x-www-form-urlencoded" };
        for (int round = 0; round < 2000; round++) {
            String body = random.nextInt(4) == 0 ? randomJson(random, 0) : mutate(random, VALID_BODIES);
            String type = types[random.nextInt(types.length)];
            String path = random.nextBoolean() ? "/api/events" : "/api/events/batch";
            Response r = given().contentType(type).body(body).post(path);
            assertThat(r.statusCode()).as("seed %d round %d %s %s %s", SEED, round, path, type, body)
                    .isIn(202, 400, 413, 415);
            if (r.statusCode() != 202) {
                assertThat(r.contentType()).startsWith("application/problem+json");
            }
        }
        given().get("/q/health/ready").then().statusCode(200);
    }

    /** A valid input with a few bytes flipped, cut, duplicated, or tokens spliced in. */
    static String mutate(Random random, List<String> valid) {
        StringBuilder s = new StringBuilder(valid.get(random.nextInt(valid.size())));
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits && s.length() > 0; i++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(5)) {
                case 0 -> s.setCharAt(at, (char) (32 + random.nextInt(95)));
                case 1 -> s.setLength(at);
                case 2 -> s.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
                case 3 -> s.deleteCharAt(at);
                default -> s.insert(at, s.substring(at, Math.min(s.length(), at + random.nextInt(20))));
            }
        }
        return s.toString();
    }

    /** A random JSON value, sometimes deeply nested, sometimes with odd numbers and strings. */
    static String randomJson(Random random, int depth) {
        int pick = depth > 40 ? random.nextInt(4) : random.nextInt(7);
        return switch (pick) {
            case 0 -> "null";
            case 1 -> Long.toString(random.nextLong());
            case 2 -> "\"" + TOKENS[random.nextInt(TOKENS.length)].replace("\"", "") + "\"";
            case 3 -> random.nextBoolean() ? "true" : "1.5e" + random.nextInt(400);
            case 4 -> "[" + randomJson(random, depth + 1) + "," + randomJson(random, depth + 1) + "]";
            case 5 -> "{\"op\":" + randomJson(random, depth + 1) + ",\"channel\":" + randomJson(random, depth + 1) + "}";
            default -> "{\"" + TOKENS[random.nextInt(TOKENS.length)].replace("\"", "") + "\":" + randomJson(random, depth + 1) + "}";
        };
    }
}
