package io.junction.sns;

import static io.junction.support.Http.event;
import static io.junction.support.Http.publish;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.junction.support.Aws;
import io.junction.support.Declare;
import io.junction.support.Metrics;
import io.junction.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/**
 * The SNS HTTP endpoint with messages signed by a real RSA key and certificate made in the test:
 * valid SignatureVersion 1 and 2 notifications reach the mapped channel; a changed byte, a foreign
 * certificate host, a missing signature, a stale message and another topic are refused with 4xx and
 * reach nobody; a replayed MessageId is taken once.
 */
@QuarkusTest
@TestProfile(SnsHttpEndpointTest.HttpSubscription.class)
class SnsHttpEndpointTest {

    static final String TOPIC = "invites-web";
    static final String TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:" + TOPIC;

    public static class HttpSubscription implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String cert = SigningCertificate.serve();
            Map<String, String> c = new HashMap<>(Aws.junctionConfig(Aws.ENDPOINT));
            Declare.subscription(c, "handle-invite", "topic", TOPIC, "protocol", "http",
                    "channel", "team:{data.teamId}");
            c.put("junction.sns.trusted-cert-urls", cert.substring(0, cert.lastIndexOf('/') + 1));
            // Messages are made by the test for a topic the emulator does not hold: nothing to reconcile.
            c.put("junction.topology.reconcile-on-start", "false");
            return c;
        }
    }

    @TestHTTPResource("/ws")
    URI ws;

    static JsonObject notification(String topicArn, String message, String version, Instant at) {
        JsonObject m = new JsonObject().put("Type", "Notification").put("MessageId", UUID.randomUUID().toString())
                .put("TopicArn", topicArn).put("Message", message).put("Timestamp", at.toString())
                .put("SignatureVersion", version).put("SigningCertURL", SigningCertificate.url());
        return signed(m);
    }

    static JsonObject signed(JsonObject m) {
        String canonical = "Message\n" + m.getString("Message") + "\nMessageId\n" + m.getString("MessageId")
                + "\nTimestamp\n" + m.getString("Timestamp") + "\nTopicArn\n" + m.getString("TopicArn") + "\nType\n"
                + m.getString("Type") + "\n";
        return m.copy().put("Signature", SigningCertificate.sign(canonical,
                "1".equals(m.getString("SignatureVersion")) ? "SHA1withRSA" : "SHA256withRSA"));
    }

    static String envelope(String id, int team) {
        return new JsonObject().put("specversion", "1.0").put("id", id).put("type", "user_invited").put("source", "/other")
                .put("data", new JsonObject().put("teamId", team).put("email", "a@b.c")).encode();
    }

    static int post(JsonObject message) {
        return given().contentType("text/plain; charset=UTF-8").header("x-amz-sns-message-type", message.getString("Type"))
                .body(message.encode()).post("/sns/handle-invite").statusCode();
    }

    @Test
    void genuineNotificationsReachTheMappedChannelAndForgeriesReachNobody() {
        try (WsClient client = WsClient.welcomed(ws)) {
            client.subscribe("team:7");
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

            JsonObject v1 = notification(TOPIC_ARN, envelope("from-v1", 7), "1", now);
            assertThat(post(v1)).isEqualTo(200);
            JsonObject got = client.expect("event");
            assertThat(got.getJsonObject("event").getString("id")).isEqualTo("from-v1");
            assertThat(got.getJsonObject("event").getJsonObject("data").getInteger("teamId")).isEqualTo(7);

            JsonObject v2 = notification(TOPIC_ARN, envelope("from-v2", 7), "2", now);
            assertThat(post(v2)).isEqualTo(200);
            assertThat(client.expect("event").getJsonObject("event").getString("id")).isEqualTo("from-v2");

            // Taken once: the same MessageId again is acknowledged, not delivered again.
            assertThat(post(v2)).isEqualTo(200);

            JsonObject tampered = notification(TOPIC_ARN, envelope("tampered", 7), "2", now);
            tampered.put("Message", tampered.getString("Message").replace("a@b.c", "x@b.c"));
            assertThat(post(tampered)).isEqualTo(403);

            JsonObject foreignHost = notification(TOPIC_ARN, envelope("foreign", 7), "2", now)
                    .put("SigningCertURL", "https://sns.us-east-1.amazonaws.com.evil.example/cert.pem");
            assertThat(post(foreignHost)).isEqualTo(403);

            JsonObject unsigned = notification(TOPIC_ARN, envelope("unsigned", 7), "2", now);
            unsigned.remove("Signature");
            assertThat(post(unsigned)).isEqualTo(403);

            JsonObject stale = notification(TOPIC_ARN, envelope("stale", 7), "2", now.minus(2, ChronoUnit.HOURS));
            assertThat(post(stale)).isEqualTo(403);

            JsonObject otherTopic = notification("arn:aws:sns:us-east-1:123456789012:someone-else", envelope("other", 7), "2", now);
            assertThat(post(otherTopic)).isEqualTo(400);

            assertThat(given().contentType("text/plain").body("{}").post("/sns/not-declared").statusCode()).isEqualTo(404);

            // Genuine, but no channel for it (no teamId): 5xx, so SNS retries and then dead-letters it
            // (a 4xx would make SNS drop it), and a failure is counted for the subscription.
            JsonObject noTeam = notification(TOPIC_ARN, new JsonObject().put("specversion", "1.0").put("id", "no-team")
                    .put("type", "user_invited").put("source", "/other").put("data", new JsonObject()).encode(), "2", now);
            assertThat(post(noTeam)).isEqualTo(500);
            assertThat(Metrics.value("junction_inbound_failures_total")).isGreaterThanOrEqualTo(1.0);

            // None of the refused ones reached the client: the next event it sees is this marker.
            String marker = publish(event("team:7", "marker"));
            assertThat(client.expect("event").getJsonObject("event").getString("id")).isEqualTo(marker);
        }
    }

    @Test
    void aConfirmationForAnotherTopicIsRefused() {
        JsonObject m = new JsonObject().put("Type", "SubscriptionConfirmation").put("MessageId", UUID.randomUUID().toString())
                .put("TopicArn", "arn:aws:sns:us-east-1:123456789012:not-declared").put("Message", "confirm")
                .put("SubscribeURL", "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription")
                .put("Token", "t0k3n").put("Timestamp", Instant.now().toString()).put("SignatureVersion", "2")
                .put("SigningCertURL", SigningCertificate.url());
        String canonical = "Message\nconfirm\nMessageId\n" + m.getString("MessageId") + "\nSubscribeURL\n"
                + m.getString("SubscribeURL") + "\nTimestamp\n" + m.getString("Timestamp") + "\nToken\nt0k3n\nTopicArn\n"
                + m.getString("TopicArn") + "\nType\nSubscriptionConfirmation\n";
        m.put("Signature", SigningCertificate.sign(canonical, "SHA256withRSA"));
        assertThat(post(m)).isEqualTo(400);
    }
}
