package io.junction.sns;

import static io.junction.support.Http.post;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.junction.api.Problem;
import io.junction.support.Aws;
import io.junction.support.Ports;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/**
 * The embedded (accepted) mode with SNS unreachable: the pod acknowledges topic events until its
 * bounded outbox is full, then answers 503 with Retry-After instead of acknowledging what it could
 * not keep.
 */
@QuarkusTest
@TestProfile(AcceptedModeOutboxTest.UnreachableSns.class)
class AcceptedModeOutboxTest {

    public static class UnreachableSns implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(Aws.junctionConfig("http://127.0.0.1:" + Ports.free()));
            config.put("junction.sns.enabled", "true");
            config.put("junction.sns.topics", "unreachable");
            config.put("junction.sns.topic-arn.\"unreachable\"", "arn:aws:sns:us-east-1:123456789012:unreachable");
            config.put("junction.outbox.memory-capacity", "3");
            return config;
        }
    }

    @Test
    void aFullOutboxRefusesWith503AndRetryAfterInsteadOfDroppingAnAck() {
        String event = new JsonObject().put("type", "t").put("topic", "unreachable").encode();
        for (int i = 0; i < 3; i++) {
            post("/api/events", "application/json", event).statusCode(202);
        }
        post("/api/events", "application/json", event)
                .statusCode(503)
                .contentType(Problem.MEDIA_TYPE)
                .header("retry-after", notNullValue())
                .body("detail", containsString("outbox of this pod is full"));
    }
}
