package io.junction.support;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Junction on the Redis bus with durable acks, publishing to SNS on the AWS emulator. Topic names
 * carry a suffix of their own, so reruns against a long-lived emulator never share topics.
 */
public class SnsProfile implements QuarkusTestProfile {

    public static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    public static final String TOPIC = "invitations-" + SUFFIX;
    public static final String FIFO_TOPIC = "orders-" + SUFFIX + ".fifo";
    public static final String MISSING_TOPIC = "missing-" + SUFFIX;
    public static final String MISSING_ARN = "arn:aws:sns:us-east-1:123456789012:" + MISSING_TOPIC;

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(new RedisBusProfile().getConfigOverrides());
        config.putAll(Aws.junctionConfig(Aws.ENDPOINT));
        config.put("junction.sns.enabled", "true");
        config.put("junction.sns.create-topics", "true");
        config.put("junction.sns.topics", TOPIC + "," + FIFO_TOPIC);
        config.put("junction.sns.topic-arn.\"" + MISSING_TOPIC + "\"", MISSING_ARN);
        config.put("junction.outbox.retry-min", "50MS");
        config.put("junction.outbox.retry-max", "1S");
        return config;
    }
}
