package io.junction.sns;

import static io.junction.support.Http.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.junction.support.Aws;
import io.junction.support.WithAws;
import io.junction.support.Deadline;
import io.junction.support.SnsProfile;
import io.junction.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Events that name a topic, through the durable outbox and the relay, to SNS on the real emulator
 * and on to SQS queues subscribed to the topic, as another service would receive them.
 */
@QuarkusTest
@TestProfile(SnsProfile.class)
class SnsOutboxTest extends WithAws {

    static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/ws")
    URI ws;



    @Test
    void anEventWithATopicArrivesInSubscribedQueuesAsTheEnvelopeWithItsAttributes() {
        String topicArn = sns.createTopic(b -> b.name(SnsProfile.TOPIC)).topicArn();
        String wrapped = Aws.subscribedQueue(sns, sqs, topicArn, "wrapped-" + SnsProfile.SUFFIX, false);
        String raw = Aws.subscribedQueue(sns, sqs, topicArn, "raw-" + SnsProfile.SUFFIX, true);

        String id = post("/api/events", "application/json", new JsonObject().put("type", "user_invited")
                .put("topic", SnsProfile.TOPIC).put("attributes", new JsonObject().put("tenant", "t1"))
                .put("data", new JsonObject().put("email", "a@b.c")).encode()).statusCode(202).extract().path("id");

        List<Message> fromWrapped = Aws.receive(sqs, wrapped, 1, WAIT);
        assertThat(fromWrapped).hasSize(1);
        JsonObject notification = new JsonObject(fromWrapped.get(0).body());
        JsonObject envelope = new JsonObject(notification.getString("Message"));
        assertThat(envelope.getString("id")).isEqualTo(id);
        assertThat(envelope.getString("specversion")).isEqualTo("1.0");
        assertThat(envelope.getString("topic")).isEqualTo(SnsProfile.TOPIC);
        assertThat(envelope.getJsonObject("data").getString("email")).isEqualTo("a@b.c");
        JsonObject attributes = notification.getJsonObject("MessageAttributes");
        assertThat(attributes.getJsonObject("type").getString("Value")).isEqualTo("user_invited");
        assertThat(attributes.getJsonObject("tenant").getString("Value")).isEqualTo("t1");

        List<Message> fromRaw = Aws.receive(sqs, raw, 1, WAIT);
        assertThat(fromRaw).hasSize(1);
        assertThat(new JsonObject(fromRaw.get(0).body()).getString("id")).isEqualTo(id);
        assertThat(fromRaw.get(0).messageAttributes().get("type").stringValue()).isEqualTo("user_invited");
        assertThat(fromRaw.get(0).messageAttributes().get("tenant").stringValue()).isEqualTo("t1");
    }

    @Test
    void anEventWithAChannelAndATopicReachesBothTheSocketAndTheQueue() {
        String topicArn = sns.createTopic(b -> b.name(SnsProfile.TOPIC)).topicArn();
        String queue = Aws.subscribedQueue(sns, sqs, topicArn, "both-" + SnsProfile.SUFFIX, true);
        try (WsClient client = WsClient.welcomed(ws)) {
            client.subscribe("team:sns");
            String id = post("/api/events", "application/json", new JsonObject().put("type", "user_invited")
                    .put("channel", "team:sns").put("topic", SnsProfile.TOPIC).encode()).statusCode(202).extract().path("id");
            assertThat(client.expect("event").getJsonObject("event").getString("id")).isEqualTo(id);
            List<Message> received = Aws.receive(sqs, queue, 1, WAIT);
            assertThat(received).extracting(m -> new JsonObject(m.body()).getString("id")).containsExactly(id);
        }
    }

    @Test
    void aFifoTopicKeepsTheOrderOfEachGroup() {
        String topicArn = sns.createTopic(b -> b.name(SnsProfile.FIFO_TOPIC).attributes(Map.of("FifoTopic", "true")))
                .topicArn();
        String queue = Aws.subscribedQueue(sns, sqs, topicArn, "fifo-" + SnsProfile.SUFFIX + ".fifo", true);
        List<String> g1 = new ArrayList<>();
        List<String> g2 = new ArrayList<>();
        JsonArray batch = new JsonArray();
        for (int i = 0; i < 30; i++) {
            String group = i % 2 == 0 ? "g1" : "g2";
            String id = "order-" + SnsProfile.SUFFIX + "-" + i;
            (i % 2 == 0 ? g1 : g2).add(id);
            batch.add(new JsonObject().put("id", id).put("type", "order_placed").put("topic", SnsProfile.FIFO_TOPIC)
                    .put("group", group));
        }
        post("/api/events/batch", "application/json", batch.encode()).statusCode(202);
        List<Message> received = Aws.receive(sqs, queue, 30, WAIT);
        List<String> got1 = new ArrayList<>();
        List<String> got2 = new ArrayList<>();
        for (Message m : received) {
            JsonObject envelope = new JsonObject(m.body());
            (g1.contains(envelope.getString("id")) ? got1 : got2).add(envelope.getString("id"));
        }
        assertThat(got1).containsExactlyElementsOf(g1);
        assertThat(got2).containsExactlyElementsOf(g2);
    }

    @Test
    void anEventSnsRefusesForGoodLandsInTheDeadLettersWithItsReasonAndCanBeRetried() {
        String id = post("/api/events", "application/json", new JsonObject().put("type", "lost")
                .put("topic", SnsProfile.MISSING_TOPIC).encode()).statusCode(202).extract().path("id");
        String[] ref = new String[1];
        Deadline.await("the event to reach the dead letters", WAIT, () -> {
            JsonArray letters = new JsonObject(given().get("/api/admin/outbox/dead").then().statusCode(200).extract()
                    .asString()).getJsonArray("deadLetters");
            for (int i = 0; i < letters.size(); i++) {
                JsonObject l = letters.getJsonObject(i);
                if (id.equals(l.getString("event"))) {
                    assertThat(l.getString("reason")).containsIgnoringCase("NotFound");
                    assertThat(l.getJsonObject("envelope").getString("id")).isEqualTo(id);
                    ref[0] = l.getString("ref");
                    return true;
                }
            }
            return false;
        });

        // Fix the cause (the topic now exists), then send the dead letter again.
        String topicArn = sns.createTopic(b -> b.name(SnsProfile.MISSING_TOPIC)).topicArn();
        assertThat(topicArn).isEqualTo(SnsProfile.MISSING_ARN);
        String queue = Aws.subscribedQueue(sns, sqs, topicArn, "redriven-" + SnsProfile.SUFFIX, true);
        given().post("/api/admin/outbox/dead/" + ref[0] + "/retry").then().statusCode(202);
        List<Message> received = Aws.receive(sqs, queue, 1, WAIT);
        assertThat(received).extracting(m -> new JsonObject(m.body()).getString("id")).containsExactly(id);
        given().post("/api/admin/outbox/dead/" + ref[0] + "/retry").then().statusCode(404)
                .body("detail", containsString("no dead letter"));
    }

    @Test
    void anUndeclaredTopicIsRefusedBeforeAnythingIsAcknowledged() {
        post("/api/events", "application/json", new JsonObject().put("type", "t").put("topic", "nobody-declared-this")
                .encode()).statusCode(400).body("detail", containsString("declared topics"));
    }
}
