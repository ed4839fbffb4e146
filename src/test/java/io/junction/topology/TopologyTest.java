package io.junction.topology;

import static io.junction.support.Http.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.junction.support.Aws;
import io.junction.support.WithAws;
import io.junction.support.Deadline;
import io.junction.support.Declare;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A declared subscription made real on an empty account of the emulator: topic, queue and
 * dead-letter queue with their policies, one subscription with its attributes; a second run changes
 * nothing; an attribute changed behind Junction's back shows up as drift and is put right.
 */
@QuarkusTest
@TestProfile(TopologyTest.Declared.class)
class TopologyTest extends WithAws {

    static final String SFX = UUID.randomUUID().toString().substring(0, 8);
    static final String TOPIC = "invites-" + SFX;
    static final String SUB = "jobs-" + SFX;
    static final String HOOK_TOPIC = "hooks-" + SFX;
    static final String HOOK = "partner-" + SFX;

    public static class Declared implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = new HashMap<>(Aws.junctionConfig(Aws.ENDPOINT));
            Declare.subscription(c, SUB, "topic", TOPIC, "raw", "true",
                    "filter-policy", "{\"type\":[\"user_invited\"]}");
            // An http subscription to another service's endpoint: moto confirms it by itself.
            Declare.subscription(c, HOOK, "topic", HOOK_TOPIC, "protocol", "https",
                    "endpoint", "https://partner.example.com/hooks/invites");
            // moto takes SetTopicAttributes(SignatureVersion) and drops it: the read-back would rightly
            // report drift for ever. Real AWS keeps it; goaws has no topic attributes at all.
            c.put("junction.topology.signature-version", "keep");
            c.put("junction.sns.enabled", "true");
            c.put("junction.sns.topics", TOPIC);
            c.put("junction.sns.create-topics", "true");
            return c;
        }
    }




    @Test
    void theDeclaredTopologyAppearsInFullIsIdempotentAndDriftShows() {
        Deadline.await("the topology to be confirmed (readiness up)", Duration.ofSeconds(30),
                () -> given().get("/q/health/ready").statusCode() == 200);

        String topicArn = sns.createTopic(b -> b.name(TOPIC)).topicArn();
        String queueUrl = sqs.getQueueUrl(b -> b.queueName(SUB)).queueUrl();
        String dlqUrl = sqs.getQueueUrl(b -> b.queueName(SUB + "-dlq")).queueUrl();
        String queueArn = attribute(queueUrl, QueueAttributeName.QUEUE_ARN);
        String dlqArn = attribute(dlqUrl, QueueAttributeName.QUEUE_ARN);
        for (String url : List.of(queueUrl, dlqUrl)) {
            JsonObject policy = new JsonObject(attribute(url, QueueAttributeName.POLICY));
            JsonObject statement = policy.getJsonArray("Statement").getJsonObject(0);
            assertThat(statement.getJsonObject("Principal").getString("Service")).isEqualTo("sns.amazonaws.com");
            assertThat(statement.getString("Action")).isEqualTo("sqs:SendMessage");
            assertThat(statement.getJsonObject("Condition").getJsonObject("ArnEquals").getString("aws:SourceArn"))
                    .isEqualTo(topicArn);
        }
        // Messages a consumer of the queue fails to handle 5 times (the default) go to the dead-letter queue.
        JsonObject queueRedrive = new JsonObject(attribute(queueUrl, QueueAttributeName.REDRIVE_POLICY));
        assertThat(queueRedrive.getString("deadLetterTargetArn")).isEqualTo(dlqArn);
        assertThat(queueRedrive.getValue("maxReceiveCount").toString()).isEqualTo("5");
        List<Subscription> subs = sns.listSubscriptionsByTopic(b -> b.topicArn(topicArn)).subscriptions().stream()
                .filter(s -> queueArn.equals(s.endpoint())).toList();
        assertThat(subs).hasSize(1);
        Map<String, String> attributes = sns.getSubscriptionAttributes(b -> b.subscriptionArn(subs.get(0).subscriptionArn()))
                .attributes();
        assertThat(attributes.get("RawMessageDelivery")).isEqualTo("true");
        assertThat(new JsonObject(attributes.get("RedrivePolicy")).getString("deadLetterTargetArn")).isEqualTo(dlqArn);
        assertThat(new JsonObject(attributes.get("FilterPolicy")).getJsonArray("type").getString(0)).isEqualTo("user_invited");

        // The http subscription exists once, with its own DLQ as RedrivePolicy.
        String hookTopicArn = sns.createTopic(b -> b.name(HOOK_TOPIC)).topicArn();
        Subscription hook = sns.listSubscriptionsByTopic(b -> b.topicArn(hookTopicArn)).subscriptions().get(0);
        assertThat(hook.endpoint()).isEqualTo("https://partner.example.com/hooks/invites");
        String hookDlqArn = attribute(sqs.getQueueUrl(b -> b.queueName(HOOK + "-dlq")).queueUrl(), QueueAttributeName.QUEUE_ARN);
        assertThat(new JsonObject(sns.getSubscriptionAttributes(b -> b.subscriptionArn(hook.subscriptionArn())).attributes()
                .get("RedrivePolicy")).getString("deadLetterTargetArn")).isEqualTo(hookDlqArn);

        // A second run: nothing to do, and it says so; still one subscription.
        JsonPath again = given().post("/api/admin/topology/reconcile").then().statusCode(200).extract().jsonPath();
        assertThat(again.getBoolean("changed")).isFalse();
        assertThat(again.getBoolean("confirmed")).isTrue();
        assertThat(again.<String>getList("subscriptions.find { it.name == '" + SUB + "' }.steps.outcome")).containsOnly("unchanged");
        assertThat(sns.listSubscriptionsByTopic(b -> b.topicArn(topicArn)).subscriptions().stream()
                .filter(s -> queueArn.equals(s.endpoint())).count()).isEqualTo(1);

        // The topology works: a matching event arrives in the queue, raw.
        String id = post("/api/events", "application/json", new JsonObject().put("type", "user_invited").put("topic", TOPIC)
                .encode()).statusCode(202).extract().path("id");
        assertThat(Aws.receive(sqs, queueUrl, 1, Duration.ofSeconds(20)))
                .extracting(m -> new JsonObject(m.body()).getString("id")).containsExactly(id);

        // Someone changes an attribute behind Junction's back: the check shows the drift.
        sns.setSubscriptionAttributes(b -> b.subscriptionArn(subs.get(0).subscriptionArn())
                .attributeName("RawMessageDelivery").attributeValue("false"));
        JsonPath drift = given().get("/api/admin/topology").then().statusCode(200).extract().jsonPath();
        assertThat(drift.getBoolean("confirmed")).isFalse();
        assertThat(drift.<String>getList("subscriptions.find { it.name == '" + SUB + "' }.drift.what")).containsExactly("RawMessageDelivery");
        assertThat(drift.getString("subscriptions.find { it.name == '" + SUB + "' }.drift[0].expected")).isEqualTo("true");
        assertThat(drift.getString("subscriptions.find { it.name == '" + SUB + "' }.drift[0].actual")).isEqualTo("false");

        JsonPath fixed = given().post("/api/admin/topology/reconcile").then().statusCode(200).extract().jsonPath();
        assertThat(fixed.getBoolean("confirmed")).isTrue();
        assertThat(fixed.getBoolean("changed")).isTrue();
        assertThat(given().get("/api/admin/topology").then().extract().jsonPath().<Object>getList("subscriptions.find { it.name == '" + SUB + "' }.drift"))
                .isEmpty();
    }

    static String attribute(String url, QueueAttributeName name) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(name)).attributes().get(name);
    }
}
