package io.junction.api;

import static io.junction.support.Http.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.junction.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** {@code POST /api/events} and {@code /api/events/batch} over real HTTP, each input class with its own answer. */
@QuarkusTest
class EventsApiTest {

    static final String JSON = "application/json";
    static final String UUID_V7 = "[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    @TestHTTPResource("/ws")
    URI ws;

    @TestHTTPResource("/")
    URI api;

    @Test
    void aValidEventIsAcceptedWithAServerMadeId() {
        post("/api/events", JSON, "{\"type\":\"user_invited\",\"channel\":\"team:7\",\"data\":{\"email\":\"a@b.c\"}}")
                .statusCode(202)
                .contentType(JSON)
                .body("status", equalTo("accepted"))
                .body("id", matchesPattern(UUID_V7));
    }

    @Test
    void aClientIdIsKeptAsTheEventId() {
        try (WsClient c = WsClient.welcomed(ws)) {
            c.subscribe("keep-id");
            post("/api/events", JSON, "{\"id\":\"order-42\",\"type\":\"t\",\"channel\":\"keep-id\"}")
                    .statusCode(202).body("id", equalTo("order-42"));
            assertThat(c.expect("event").getJsonObject("event").getString("id")).isEqualTo("order-42");
        }
    }

    @Test
    void aCloudEventsEnvelopeIsAcceptedAsTheClientMadeIt() {
        try (WsClient c = WsClient.welcomed(ws)) {
            c.subscribe("ce:1");
            String body = "{\"specversion\":\"1.0\",\"id\":\"ce-1\",\"source\":\"/billing\",\"type\":\"paid\","
                    + "\"time\":\"2026-12-04T15:00:00.123Z\",\"channel\":\"ce:1\",\"traceparent\":\"00-abc\",\"data\":{\"x\":1}}";
            post("/api/events", "application/cloudevents+json; charset=utf-8", body).statusCode(202).body("id", equalTo("ce-1"));
            JsonObject envelope = c.expect("event").getJsonObject("event");
            assertThat(envelope.getString("source")).isEqualTo("/billing");
            assertThat(envelope.getString("time")).isEqualTo("2026-12-04T15:00:00.123Z");
            assertThat(envelope.getString("traceparent")).isEqualTo("00-abc");
            assertThat(envelope.getJsonObject("data").getInteger("x")).isEqualTo(1);
        }
    }

    static Stream<Arguments> badEvents() {
        return Stream.of(
                arguments("malformed JSON", "{\"type\":", "not valid JSON"),
                arguments("not an object", "[1]", "must be a JSON object"),
                arguments("a JSON string", "\"hello\"", "must be a JSON object"),
                arguments("missing type", "{\"channel\":\"a\"}", "'type' is required"),
                arguments("empty type", "{\"type\":\"\",\"channel\":\"a\"}", "'type' must not be empty"),
                arguments("type of the wrong type", "{\"type\":5,\"channel\":\"a\"}", "'type' must be a string, not a number"),
                arguments("channel of the wrong type", "{\"type\":\"t\",\"channel\":[\"a\"]}", "'channel' must be a string, not an array"),
                arguments("bad channel name", "{\"type\":\"t\",\"channel\":\"team 7\"}", "is not a valid channel name"),
                arguments("bad topic name", "{\"type\":\"t\",\"topic\":\"a/b\"}", "is not a valid topic name"),
                arguments("neither channel nor topic", "{\"type\":\"t\",\"data\":{}}", "needs a 'channel', a 'topic', or both"),
                arguments("id of the wrong type", "{\"type\":\"t\",\"channel\":\"a\",\"id\":7}", "'id' must be a string"),
                arguments("attributes not an object", "{\"type\":\"t\",\"channel\":\"a\",\"attributes\":[1]}", "'attributes' must be an object"),
                arguments("attribute not a string", "{\"type\":\"t\",\"channel\":\"a\",\"attributes\":{\"k\":1}}", "attribute 'k' must be a string"),
                arguments("reserved attribute name", "{\"type\":\"t\",\"channel\":\"a\",\"attributes\":{\"AWS.x\":\"v\"}}", "is not valid"),
                arguments("group of the wrong type", "{\"type\":\"t\",\"channel\":\"a\",\"group\":{}}", "'group' must be a string"),
                arguments("undeclared topic", "{\"type\":\"t\",\"topic\":\"invitations\"}", "topic 'invitations' is not declared"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEvents")
    void badEventsAreRefusedWithProblemJson(String name, String body, String detail) {
        post("/api/events", JSON, body)
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", startsWith("urn:junction:problem:"))
                .body("title", equalTo("The event is not valid"))
                .body("status", equalTo(400))
                .body("detail", containsString(detail));
    }

    @Test
    void channelNamesAreLimitedTo128Characters() {
        post("/api/events", JSON, new JsonObject().put("type", "t").put("channel", "c".repeat(128)).encode()).statusCode(202);
        post("/api/events", JSON, new JsonObject().put("type", "t").put("channel", "c".repeat(129)).encode())
                .statusCode(400).body("detail", containsString("is not a valid channel name"));
    }

    @Test
    void anEmptyBodyIsABadRequest() {
        post("/api/events", JSON, "").statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("empty"));
    }

    @Test
    void aWrongContentTypeIsUnsupported() {
        post("/api/events", "text/plain", "{\"type\":\"t\",\"channel\":\"a\"}")
                .statusCode(415).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:junction:problem:unsupported-media-type"))
                .body("detail", containsString("text/plain"));
    }

    @Test
    void aMissingContentTypeIsUnsupported() throws Exception {
        // RestAssured always sends a content-type; the JDK client sends none unless told.
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(api.resolve("/api/events"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"t\",\"channel\":\"a\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.headers().firstValue("content-type")).hasValue(Problem.MEDIA_TYPE);
        assertThat(new JsonObject(response.body()).getString("detail")).contains("no content-type");
    }

    @Test
    void anEventOverTheSizeLimitIsTooLarge() {
        String data = "x".repeat(262_144 - 100);
        post("/api/events", JSON, new JsonObject().put("type", "t").put("channel", "a").put("data", data).encode())
                .statusCode(413).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:junction:problem:event-too-large"))
                .body("detail", containsString("262144"));
    }

    @Test
    void anEventJustUnderTheSizeLimitIsAccepted() {
        String data = "x".repeat(262_144 - 400);
        post("/api/events", JSON, new JsonObject().put("type", "t").put("channel", "a").put("data", data).encode())
                .statusCode(202);
    }

    @Test
    void aBodyFarOverTheLimitIsRefusedBeforeItIsRead() {
        String data = "x".repeat(2 * 1024 * 1024);
        post("/api/events", JSON, new JsonObject().put("type", "t").put("channel", "a").put("data", data).encode())
                .statusCode(413).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:junction:problem:body-too-large"));
    }

    @Test
    void aBatchAnswersOneResultPerItemInOrder() {
        try (WsClient c = WsClient.welcomed(ws)) {
            c.subscribe("batch:1");
            JsonArray batch = new JsonArray()
                    .add(new JsonObject().put("type", "a").put("channel", "batch:1"))
                    .add(new JsonObject().put("type", "b").put("channel", "bad name"))
                    .add(new JsonObject().put("type", "c").put("channel", "batch:1").put("id", "third"))
                    .add("not an object");
            var response = post("/api/events/batch", JSON, batch.encode()).statusCode(202).contentType(JSON)
                    .body("accepted", equalTo(2))
                    .body("rejected", equalTo(2))
                    .body("results[0].status", equalTo("accepted"))
                    .body("results[1].status", equalTo("rejected"))
                    .body("results[1].error.status", equalTo(400))
                    .body("results[1].error.detail", containsString("not a valid channel name"))
                    .body("results[2].id", equalTo("third"))
                    .body("results[3].status", equalTo("rejected"))
                    .extract();
            String firstId = response.path("results[0].id");
            assertThat(c.expect("event").getJsonObject("event").getString("id")).isEqualTo(firstId);
            assertThat(c.expect("event").getJsonObject("event").getString("id")).isEqualTo("third");
        }
    }

    @Test
    void aBatchOverTheItemLimitIsTooLarge() {
        JsonArray batch = new JsonArray();
        for (int i = 0; i < 101; i++) {
            batch.add(new JsonObject().put("type", "t").put("channel", "a"));
        }
        post("/api/events/batch", JSON, batch.encode()).statusCode(413).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:junction:problem:batch-too-large"))
                .body("detail", containsString("at most 100"));
    }

    @Test
    void aBatchOfExactlyTheItemLimitIsAccepted() {
        JsonArray batch = new JsonArray();
        for (int i = 0; i < 100; i++) {
            batch.add(new JsonObject().put("type", "t").put("channel", "a"));
        }
        post("/api/events/batch", JSON, batch.encode()).statusCode(202).body("accepted", equalTo(100));
    }

    @Test
    void aBatchWithAnOversizeItemRejectsJustThatItem() {
        JsonArray batch = new JsonArray()
                .add(new JsonObject().put("type", "t").put("channel", "a").put("data", "x".repeat(300 * 1024)))
                .add(new JsonObject().put("type", "t").put("channel", "a"));
        post("/api/events/batch", JSON, batch.encode()).statusCode(202)
                .body("results[0].status", equalTo("rejected"))
                .body("results[0].error.status", equalTo(413))
                .body("results[1].status", equalTo("accepted"));
    }

    @Test
    void aBatchBodyOverTheBatchLimitIsTooLarge() {
        JsonArray batch = new JsonArray().add(new JsonObject().put("type", "t").put("channel", "a")
                .put("data", "x".repeat(1024 * 1024)));
        post("/api/events/batch", JSON, batch.encode()).statusCode(413).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:junction:problem:body-too-large"));
    }

    static Stream<Arguments> badBatches() {
        return Stream.of(
                arguments("not an array", "{\"type\":\"t\",\"channel\":\"a\"}", "must be a JSON array"),
                arguments("empty array", "[]", "the batch is empty"),
                arguments("malformed JSON", "[{", "not valid JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBatches")
    void badBatchesAreRefused(String name, String body, String detail) {
        post("/api/events/batch", JSON, body).statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString(detail));
    }

    @Test
    void aBatchWithTheWrongContentTypeIsUnsupported() {
        post("/api/events/batch", "application/xml", "<a/>").statusCode(415).contentType(Problem.MEDIA_TYPE);
    }

    static Stream<Arguments> badCloudEvents() {
        return Stream.of(
                arguments("wrong specversion", "{\"specversion\":\"0.3\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\",\"channel\":\"a\"}", "specversion"),
                arguments("missing id", "{\"specversion\":\"1.0\",\"source\":\"/s\",\"type\":\"t\",\"channel\":\"a\"}", "'id' is required"),
                arguments("missing source", "{\"specversion\":\"1.0\",\"id\":\"1\",\"type\":\"t\",\"channel\":\"a\"}", "'source' is required"),
                arguments("bad time", "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\",\"channel\":\"a\",\"time\":\"noon\"}", "RFC 3339"),
                arguments("bad extension", "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\",\"channel\":\"a\",\"Bad-Name\":1}", "not a valid CloudEvents attribute name"),
                arguments("object extension", "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\",\"channel\":\"a\",\"ext\":{}}", "must be a string, number or boolean"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCloudEvents")
    void badCloudEventsAreRefused(String name, String body, String detail) {
        post("/api/events", "application/cloudevents+json", body).statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString(detail));
    }
}
