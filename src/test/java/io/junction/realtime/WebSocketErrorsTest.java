package io.junction.realtime;

import static io.junction.support.Http.event;
import static io.junction.support.Http.publish;
import static org.assertj.core.api.Assertions.assertThat;

import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.net.URI;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.junction.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** Every bad frame gets an {@code error} frame with its code, and the session keeps working after it. */
@QuarkusTest
class WebSocketErrorsTest {

    @TestHTTPResource("/ws")
    URI ws;

    static Stream<Arguments> badFrames() {
        return Stream.of(
                arguments("malformed JSON", "{\"op\":\"ping\"", "not valid JSON"),
                arguments("not an object", "[1,2,3]", "must be a JSON object"),
                arguments("a bare string", "\"ping\"", "must be a JSON object"),
                arguments("trailing garbage", "{\"op\":\"ping\"} x", "not valid JSON"),
                arguments("missing op", "{\"channel\":\"a\"}", "'op' is required"),
                arguments("op of the wrong type", "{\"op\":7}", "'op' is required and must be a string"),
                arguments("unknown op", "{\"op\":\"shout\"}", "unknown op 'shout'"),
                arguments("id that is not an integer", "{\"op\":\"ping\",\"id\":\"x\"}", "'id' must be an integer"),
                arguments("subscribe without channel", "{\"op\":\"subscribe\"}", "'channel' is required"),
                arguments("channel of the wrong type", "{\"op\":\"subscribe\",\"channel\":5}", "'channel' must be a string"),
                arguments("channel with a space", "{\"op\":\"subscribe\",\"channel\":\"a b\"}", "is not a valid channel name"),
                arguments("channel with a slash", "{\"op\":\"subscribe\",\"channel\":\"a/b\"}", "is not a valid channel name"),
                arguments("empty channel", "{\"op\":\"subscribe\",\"channel\":\"\"}", "is not a valid channel name"),
                arguments("since of the wrong type", "{\"op\":\"subscribe\",\"channel\":\"a\",\"since\":3}", "'since' must be an offset string"),
                arguments("since that is no offset", "{\"op\":\"subscribe\",\"channel\":\"a\",\"since\":\"yesterday\"}", "is not an offset"),
                arguments("unsubscribe without channel", "{\"op\":\"unsubscribe\"}", "'channel' is required"),
                arguments("publish without type", "{\"op\":\"publish\",\"channel\":\"a\"}", "'type' is required"),
                arguments("publish without channel", "{\"op\":\"publish\",\"type\":\"t\"}", "publish needs a channel"),
                arguments("publish with a numeric type", "{\"op\":\"publish\",\"channel\":\"a\",\"type\":1}", "'type' must be a string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFrames")
    void badFramesAreAnsweredWithBadRequest(String name, String frame, String message) {
        try (WsClient c = WsClient.welcomed(ws)) {
            c.sendRaw(frame);
            JsonObject error = c.expect("error");
            assertThat(error.getString("code")).isEqualTo("bad_request");
            assertThat(error.getString("message")).contains(message);
            stillServes(c);
        }
    }

    @Test
    void anErrorAnswersTheFrameItWasAbout() {
        try (WsClient c = WsClient.welcomed(ws)) {
            int id = c.send(new JsonObject().put("op", "subscribe").put("channel", "no spaces allowed"));
            JsonObject error = c.expect("error");
            assertThat(error.getInteger("id")).isEqualTo(id);
            assertThat(error.getString("code")).isEqualTo("bad_request");
        }
    }

    @Test
    void unsubscribingFromAChannelNotSubscribedIsNotFound() {
        try (WsClient c = WsClient.welcomed(ws)) {
            int id = c.send(new JsonObject().put("op", "unsubscribe").put("channel", "never"));
            JsonObject error = c.expect("error");
            assertThat(error.getInteger("id")).isEqualTo(id);
            assertThat(error.getString("code")).isEqualTo("not_found");
            stillServes(c);
        }
    }

    @Test
    void publishingAnEventOverTheSizeLimitIsTooLarge() {
        try (WsClient c = WsClient.welcomed(ws)) {
            int id = c.send(new JsonObject().put("op", "publish").put("channel", "big").put("type", "t")
                    .put("data", "x".repeat(300 * 1024)));
            JsonObject error = c.expect("error");
            assertThat(error.getInteger("id")).isEqualTo(id);
            assertThat(error.getString("code")).isEqualTo("too_large");
            assertThat(error.getString("message")).contains("262144");
            stillServes(c);
        }
    }

    @Test
    void binaryFramesAreRefused() {
        try (WsClient c = WsClient.welcomed(ws)) {
            c.sendBinary(new byte[] { 1, 2, 3 });
            JsonObject error = c.expect("error");
            assertThat(error.getString("code")).isEqualTo("bad_request");
            assertThat(error.getString("message")).contains("binary");
            stillServes(c);
        }
    }

    @Test
    void aFrameOverTheFrameLimitClosesTheConnectionWith1009() {
        try (WsClient c = WsClient.welcomed(ws)) {
            c.sendRaw("{\"op\":\"ping\",\"pad\":\"" + "x".repeat(600 * 1024) + "\"}");
            assertThat(c.awaitClose()).isEqualTo(1009);
        }
    }

    @Test
    void aRejectedPublishDeliversNothing() {
        try (WsClient publisher = WsClient.welcomed(ws); WsClient listener = WsClient.welcomed(ws)) {
            listener.subscribe("guarded");
            publisher.sendRaw("{\"op\":\"publish\",\"channel\":\"guarded\"}");
            publisher.expect("error");
            String marker = publish(event("guarded", "marker"));
            assertThat(listener.expect("event").getJsonObject("event").getString("id")).isEqualTo(marker);
        }
    }

    /** The session still answers after the error: one bad frame does not cost the client its connection. */
    private static void stillServes(WsClient c) {
        int id = c.send(new JsonObject().put("op", "ping"));
        assertThat(c.expect("pong").getInteger("id")).isEqualTo(id);
    }
}
