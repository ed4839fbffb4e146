package io.junction.sns;

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
import io.junction.support.Goaws;
import io.junction.support.Metrics;
import io.junction.support.Ports;
import io.junction.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The http subscription flow end to end against goaws, which sends a real SubscriptionConfirmation
 * signed with its own RSA key: Junction subscribes its public URL at start-up, verifies the POST with
 * the certificate goaws serves, confirms it with the token (goaws refuses a wrong one), and only then
 * counts the topology as confirmed. A notification published to the topic then reaches a WebSocket
 * client on the mapped channel; a second reconcile changes nothing and keeps one subscription.
 */
@QuarkusTest
@TestProfile(SnsConfirmationFlowTest.OnGoaws.class)
class SnsConfirmationFlowTest {

    static final String SFX = UUID.randomUUID().toString().substring(0, 8);
    static final String TOPIC = "invites-" + SFX;
    static final String SUB = "handle-invite";

    public static class OnGoaws implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String goaws = Goaws.endpoint();
            int port = Ports.free();
            Map<String, String> c = new HashMap<>(Aws.junctionConfig(goaws));
            c.put("quarkus.http.test-port", Integer.toString(port));
            c.put("junction.sns.public-url", "http://127.0.0.1:" + port);
            c.put("junction.sns.trusted-cert-urls", goaws + "/SimpleNotificationService/");
            Declare.subscription(c, SUB, "topic", TOPIC, "protocol", "http", "channel", "team:{data.teamId}");
            // goaws has neither topic attributes nor subscription RedrivePolicy: the reconciler would
            // rightly report those as failures. Moto covers them (TopologyTest).
            c.put("junction.topology.signature-version", "keep");
            Declare.subscription(c, SUB, "dlq", "false");
            return c;
        }
    }

    @TestHTTPResource("/ws")
    URI ws;

    @Test
    void goawsConfirmsTheSubscriptionThroughJunctionAndNotificationsReachClients() {
        Deadline.await("the topology to be confirmed (readiness up)", Duration.ofSeconds(30),
                () -> given().get("/q/health/ready").statusCode() == 200);
        // The confirmation was a signed POST from goaws, verified and confirmed with its token.
        assertThat(Metrics.value("junction_sns_confirmations_total")).isEqualTo(1.0);

        try (SnsClient sns = SnsClient.builder().endpointOverride(URI.create(Goaws.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
                WsClient client = WsClient.welcomed(ws)) {
            String topicArn = sns.createTopic(b -> b.name(TOPIC)).topicArn();
            assertThat(sns.listSubscriptionsByTopic(b -> b.topicArn(topicArn)).subscriptions())
                    .singleElement().satisfies(s -> {
                        assertThat(s.protocol()).isEqualTo("http");
                        assertThat(s.endpoint()).endsWith("/sns/" + SUB);
                    });

            client.subscribe("team:t9");
            String id = UUID.randomUUID().toString();
            sns.publish(b -> b.topicArn(topicArn).message(new JsonObject().put("specversion", "1.0").put("id", id)
                    .put("type", "user_invited").put("source", "/invites").put("data", new JsonObject().put("teamId", "t9"))
                    .encode()));
            JsonObject event = client.expect("event").getJsonObject("event");
            assertThat(event.getString("id")).isEqualTo(id);
            assertThat(event.getString("channel")).isEqualTo("team:t9");

            JsonPath again = given().post("/api/admin/topology/reconcile").then().statusCode(200).extract().jsonPath();
            assertThat(again.getBoolean("confirmed")).isTrue();
            assertThat(again.getBoolean("changed")).isFalse();
            assertThat(sns.listSubscriptionsByTopic(b -> b.topicArn(topicArn)).subscriptions()).hasSize(1);
        }
    }
}
