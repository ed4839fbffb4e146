package io.junction.sns;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.junction.config.JunctionConfig;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.awssdk.services.sns.model.CreateTopicRequest;

/**
 * The logical topics events may name, and their ARNs: configured ones, or (with
 * {@code junction.sns.create-topics}) topics created on first use — CreateTopic is idempotent.
 */
@ApplicationScoped
public class TopicRegistry {

    private final boolean enabled;
    private final Set<String> declared = new LinkedHashSet<>();
    private final Map<String, String> arns = new ConcurrentHashMap<>();
    private final boolean create;
    private final Instance<SnsAsyncClient> client;

    TopicRegistry(JunctionConfig config, Instance<SnsAsyncClient> client) {
        JunctionConfig.Sns sns = config.sns();
        this.enabled = sns.enabled();
        this.declared.addAll(sns.topics().orElse(List.of()));
        this.declared.addAll(sns.topicArn().keySet());
        this.arns.putAll(sns.topicArn());
        this.create = sns.createTopics();
        this.client = client;
    }

    public boolean enabled() {
        return enabled;
    }

    public boolean isDeclared(String topic) {
        return enabled && declared.contains(topic);
    }

    public Set<String> declared() {
        return Set.copyOf(declared);
    }

    /** The topic's ARN; may call SNS (CreateTopic), so it runs on the relay's thread. */
    public String arn(String topic) throws Exception {
        String arn = arns.get(topic);
        if (arn != null) {
            return arn;
        }
        if (!create) {
            throw new TopicNotConfiguredException("no ARN configured for topic '" + topic
                    + "' (set junction.sns.topic-arn.\"" + topic + "\" or junction.sns.create-topics=true)");
        }
        CreateTopicRequest.Builder request = CreateTopicRequest.builder().name(topic);
        if (topic.endsWith(".fifo")) {
            request.attributes(Map.of("FifoTopic", "true"));
        }
        arn = client.get().createTopic(request.build()).get(30, TimeUnit.SECONDS).topicArn();
        arns.put(topic, arn);
        return arn;
    }

    /** A topic that cannot be published to until its configuration changes: a permanent failure. */
    public static final class TopicNotConfiguredException extends Exception {
        TopicNotConfiguredException(String message) {
            super(message, null, false, false);
        }
    }
}
