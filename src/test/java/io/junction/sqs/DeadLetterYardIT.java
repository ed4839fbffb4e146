package io.junction.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.junction.support.Aws;
import io.junction.support.Deadline;
import io.junction.support.JunctionProcess;
import io.junction.support.WithAws;
import io.junction.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * An operator's day with a subscription Junction consumes from SQS, on the emulator: a first start
 * makes the topology on an empty account and a second start finds it unchanged. A deployment
 * with a wrong channel template cannot hand a message to any channel; after maxReceiveCount receives
 * SQS moves it to the dead-letter queue, where the yard shows it (peeking twice loses nothing), with a
 * failure meter and a log line naming the subscription. The template is fixed, the pod redeployed,
 * the message redriven: it is handled and reaches the WebSocket client, with its original event id.
 * New messages then flow straight through the consumer, and a purge empties the yard.
 */
class DeadLetterYardIT extends WithAws {

    static final String SFX = UUID.randomUUID().toString().substring(0, 8);
    static final String TOPIC = "orders-" + SFX;
    static final String SUB = "orders-feed-" + SFX;

    @Test
    void aMessageThatKeepsFailingEndsInTheYardAndARedriveDeliversIt() {
        String eventId = UUID.randomUUID().toString();
        try (JunctionProcess broken = new JunctionProcess("dlq-broken", env("team:{data.team}")).start()) {
            String topicArn = sns.createTopic(b -> b.name(TOPIC)).topicArn();
            sns.publish(b -> b.topicArn(topicArn).message(cloudEvent(eventId, "t1")));

            Deadline.await("the message to reach the dead-letter queue", Duration.ofSeconds(60),
                    () -> depth(broken) == 1);
            assertThat(broken.get("/q/metrics").body())
                    .containsPattern("junction_inbound_failures_total\\{[^}]*reason=\"no-channel\"[^}]*subscription=\"" + SUB
                            + "\"[^}]*\\} [2-9]");
            assertThat(broken.log()).contains("subscription " + SUB + ": message").contains("no-channel");

            // Peeking shows the message, and twice: a peek loses nothing.
            for (int i = 0; i < 2; i++) {
                JsonArray peeked = new JsonObject(broken.get("/api/admin/dlq/" + SUB + "/messages").body()).getJsonArray("messages");
                assertThat(peeked).hasSize(1);
                JsonObject m = peeked.getJsonObject(0);
                assertThat(m.getString("body")).contains(eventId);
                assertThat(m.getInteger("receiveCount")).isGreaterThanOrEqualTo(2);
                assertThat(m.getLong("sentAt")).isPositive();
            }
            Deadline.await("the dead-letter meter", Duration.ofSeconds(20), () -> broken.get("/q/metrics").body()
                    .contains("junction_dlq_messages{subscription=\"" + SUB + "\"} 1.0"));
        }

        try (JunctionProcess fixed = new JunctionProcess("dlq-fixed", env("team:{data.teamId}")).start();
                WsClient client = WsClient.welcomed(fixed.ws())) {
            client.subscribe("team:t1");
            // The second start found the topology the first one made, and changed nothing.
            Deadline.await("the second start's topology report", Duration.ofSeconds(10),
                    () -> fixed.log().contains("topology confirmed: 1 subscriptions, no changes"));
            JsonObject topology = new JsonObject(fixed.get("/api/admin/topology").body());
            assertThat(topology.getBoolean("confirmed")).isTrue();
            assertThat(topology.getJsonArray("subscriptions").getJsonObject(0).getJsonArray("drift")).isEmpty();
            assertThat(fixed.get("/api/admin/dlq/" + SUB + "/messages").statusCode()).isEqualTo(200);
            assertThat(fixed.post("/api/admin/dlq/" + SUB + "/redrive?messageId=not-there", "").statusCode()).isEqualTo(404);

            JsonObject redrive = new JsonObject(fixed.post("/api/admin/dlq/" + SUB + "/redrive", "").body());
            assertThat(redrive.getInteger("moved")).isEqualTo(1);
            assertThat(client.expect("event").getJsonObject("event").getString("id")).isEqualTo(eventId);
            assertThat(depth(fixed)).isZero();

            // The consumer takes new messages straight through and deletes them once handled.
            String topicArn = sns.createTopic(b -> b.name(TOPIC)).topicArn();
            String next = UUID.randomUUID().toString();
            sns.publish(b -> b.topicArn(topicArn).message(cloudEvent(next, "t1")));
            assertThat(client.expect("event").getJsonObject("event").getString("id")).isEqualTo(next);
            String queueUrl = sqs.getQueueUrl(b -> b.queueName(SUB)).queueUrl();
            Deadline.await("the handled message to be deleted", Duration.ofSeconds(20), () -> "0".equals(sqs
                    .getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .attributes().entrySet().stream().map(e -> e.getValue()).reduce("0", (a, b) -> a.equals("0") ? b : a)));

            // A purge empties the yard.
            String dlqUrl = sqs.getQueueUrl(b -> b.queueName(SUB + "-dlq")).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(dlqUrl).messageBody("junk"));
            Deadline.await("the junk to show", Duration.ofSeconds(10), () -> depth(fixed) == 1);
            assertThat(fixed.delete("/api/admin/dlq/" + SUB + "/messages").statusCode()).isEqualTo(204);
            Deadline.await("the purge", Duration.ofSeconds(10), () -> depth(fixed) == 0);
            assertThat(fixed.delete("/api/admin/dlq/nope/messages").statusCode()).isEqualTo(404);
        }
    }

    static long depth(JunctionProcess junction) {
        JsonArray queues = new JsonObject(junction.get("/api/admin/dlq").body()).getJsonArray("queues");
        for (int i = 0; i < queues.size(); i++) {
            if (SUB.equals(queues.getJsonObject(i).getString("subscription"))) {
                return queues.getJsonObject(i).getLong("depth");
            }
        }
        throw new AssertionError("no dead-letter queue for " + SUB + " in " + queues);
    }

    static String cloudEvent(String id, String team) {
        return new JsonObject().put("specversion", "1.0").put("id", id).put("type", "order_placed").put("source", "/shop")
                .put("data", new JsonObject().put("teamId", team)).encode();
    }

    /** The pod's settings: a properties file, as a ConfigMap would mount it (subscription names need quoting). */
    static Map<String, String> env(String channelTemplate) {
        String s = "junction.topology.subscriptions.\"" + SUB + "\".";
        String properties = s + "topic=" + TOPIC + "\n" + s + "channel=" + channelTemplate + "\n" + s + "max-receive-count=2\n"
                + "junction.sqs.wait-time=1S\njunction.sqs.retry-min=1S\njunction.sqs.dead-letter-watch=1S\n";
        Map<String, String> env = new HashMap<>();
        Aws.junctionConfig(Aws.ENDPOINT).forEach((k, v) -> env.put(k.toUpperCase().replace('.', '_').replace('-', '_'), v));
        try {
            Path file = Path.of("target", "it-config", "dlq-" + channelTemplate.hashCode() + ".properties").toAbsolutePath();
            Files.createDirectories(file.getParent());
            Files.writeString(file, properties);
            env.put("QUARKUS_CONFIG_LOCATIONS", file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return env;
    }
}
