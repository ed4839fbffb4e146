package io.junction.sns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.junction.support.Aws;
import io.junction.support.WithAws;
import io.junction.support.JunctionProcess;
import io.junction.support.Ports;
import io.junction.support.RedisServer;
import io.junction.support.TcpProxy;
import io.vertx.core.json.JsonObject;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The durable promise with real processes: while SNS cannot be reached, events keep being
 * acknowledged and all of them are published when it is back; a pod killed with SIGKILL right after
 * acknowledging events has every one of them published by the pod that survives it.
 */
class SnsDurabilityIT extends WithAws {

    static RedisServer redis;

    @BeforeAll
    static void start() {
        redis = new RedisServer().start();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    static Map<String, String> env(String topic, String awsEndpoint) {
        Map<String, String> env = new HashMap<>(Map.of("JUNCTION_BUS", "redis", "QUARKUS_REDIS_HOSTS", redis.url(),
                "JUNCTION_SNS_ENABLED", "true", "JUNCTION_SNS_CREATE_TOPICS", "true", "JUNCTION_SNS_TOPICS", topic,
                "JUNCTION_OUTBOX_RETRY_MIN", "100MS", "JUNCTION_OUTBOX_RETRY_MAX", "1S", "JUNCTION_OUTBOX_CLAIM_IDLE", "2S"));
        Aws.junctionConfig(awsEndpoint).forEach((k, v) -> env.put(k.toUpperCase().replace('.', '_').replace('-', '_'), v));
        return env;
    }

    @Test
    void eventsAcknowledgedWhileSnsIsUnreachableAreAllPublishedWhenItIsBack() {
        String topic = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        String queue = Aws.subscribedQueue(sns, sqs, sns.createTopic(b -> b.name(topic)).topicArn(), topic + "-q", true);
        URI aws = URI.create(Aws.ENDPOINT);
        try (TcpProxy proxy = new TcpProxy(aws.getHost(), aws.getPort()).restore();
                JunctionProcess node = new JunctionProcess("outage", env(topic, proxy.url())).start()) {
            proxy.cut();
            Set<String> acked = new LinkedHashSet<>();
            for (int i = 0; i < 50; i++) {
                acked.add(publish(node, topic, i));
            }
            proxy.restore();
            List<Message> received = Aws.receive(sqs, queue, 50, Duration.ofSeconds(30));
            assertThat(ids(received)).as("published after the outage").containsExactlyInAnyOrderElementsOf(acked);
        }
    }

    @Test
    void aPodKilledRightAfterAcknowledgingHasItsEventsPublishedByTheSurvivor() {
        String topic = "takeover-" + UUID.randomUUID().toString().substring(0, 8);
        String queue = Aws.subscribedQueue(sns, sqs, sns.createTopic(b -> b.name(topic)).topicArn(), topic + "-q", true);
        Set<String> acked = new LinkedHashSet<>();
        // The doomed pod's SNS endpoint is a port nobody listens on: it can take events, never publish them.
        try (JunctionProcess doomed = new JunctionProcess("doomed", env(topic, "http://127.0.0.1:" + Ports.free())).start()) {
            for (int i = 0; i < 40; i++) {
                acked.add(publish(doomed, topic, i));
            }
            doomed.kill();
        }
        try (JunctionProcess survivor = new JunctionProcess("survivor", env(topic, Aws.ENDPOINT)).start()) {
            List<Message> received = Aws.receive(sqs, queue, 40, Duration.ofSeconds(30));
            assertThat(ids(received)).as("published by the survivor").containsExactlyInAnyOrderElementsOf(acked);
        }
    }

    private static String publish(JunctionProcess node, String topic, int i) {
        HttpResponse<String> r = node.post("/api/events", new JsonObject().put("type", "tick").put("topic", topic)
                .put("data", new JsonObject().put("n", i)).encode());
        assertThat(r.statusCode()).as("POST %d: %s", i, r.body()).isEqualTo(202);
        return new JsonObject(r.body()).getString("id");
    }

    private static List<String> ids(List<Message> messages) {
        return messages.stream().map(m -> new JsonObject(m.body()).getString("id")).toList();
    }
}
