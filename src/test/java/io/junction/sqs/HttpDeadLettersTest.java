package io.junction.sqs;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.junction.support.Aws;
import io.junction.support.Deadline;
import io.junction.support.Declare;
import io.junction.support.Ports;
import io.junction.support.WithAws;
import io.junction.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/**
 * Dead letters of http subscriptions: what SNS could not deliver to Junction's endpoint sits in the
 * subscription's DLQ as an SNS envelope; a redrive hands it to the mapped channel (SNS has no "send
 * this again"). A subscription to another service's endpoint is listed but not redriven by Junction.
 */
@QuarkusTest
@TestProfile(HttpDeadLettersTest.Declared.class)
class HttpDeadLettersTest extends WithAws {

    static final String SFX = UUID.randomUUID().toString().substring(0, 8);
    static final String SUB = "web-" + SFX;
    static final String PARTNER = "partner-" + SFX;

    public static class Declared implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            int port = Ports.free();
            Map<String, String> c = new HashMap<>(Aws.junctionConfig(Aws.ENDPOINT));
            c.put("quarkus.http.test-port", Integer.toString(port));
            c.put("junction.sns.public-url", "http://127.0.0.1:" + port);
            c.put("junction.topology.signature-version", "keep"); // moto drops it; see TopologyTest
            Declare.subscription(c, SUB, "topic", "web-" + SFX, "protocol", "http", "channel", "team:{data.teamId}");
            Declare.subscription(c, PARTNER, "topic", "web-" + SFX, "protocol", "https",
                    "endpoint", "https://partner.example.com/hook");
            return c;
        }
    }

    @TestHTTPResource("/ws")
    URI ws;

    @Test
    void aDeadLetteredNotificationIsRedrivenToItsChannel() {
        Deadline.await("the topology to be confirmed (readiness up)", Duration.ofSeconds(30),
                () -> given().get("/q/health/ready").statusCode() == 200);
        String id = UUID.randomUUID().toString();
        String envelope = new JsonObject().put("Type", "Notification").put("MessageId", UUID.randomUUID().toString())
                .put("TopicArn", "arn:aws:sns:us-east-1:123456789012:web-" + SFX)
                .put("Message", new JsonObject().put("specversion", "1.0").put("id", id).put("type", "user_invited")
                        .put("source", "/web").put("data", new JsonObject().put("teamId", "t4")).encode())
                .encode();
        String dlqUrl = sqs.getQueueUrl(b -> b.queueName(SUB + "-dlq")).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(dlqUrl).messageBody(envelope)); // as SNS does after its retries ran out

        Deadline.await("the yard to show it", Duration.ofSeconds(10), () -> given().get("/api/admin/dlq").then().extract()
                .jsonPath().getInt("queues.find { it.subscription == '" + SUB + "' }.depth") == 1);
        assertThat(given().get("/api/admin/dlq").then().extract().jsonPath()
                .getString("queues.find { it.subscription == '" + PARTNER + "' }.queue")).isEqualTo(PARTNER + "-dlq");

        try (WsClient client = WsClient.welcomed(ws)) {
            client.subscribe("team:t4");
            given().post("/api/admin/dlq/" + SUB + "/redrive").then().statusCode(200)
                    .body("moved", org.hamcrest.Matchers.equalTo(1));
            assertThat(client.expect("event").getJsonObject("event").getString("id")).isEqualTo(id);
        }
        given().post("/api/admin/dlq/" + PARTNER + "/redrive").then().statusCode(409)
                .contentType("application/problem+json");
        given().get("/api/admin/dlq/unknown/messages").then().statusCode(404);
    }
}
