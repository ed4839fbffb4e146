package io.junction.topology;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.junction.config.JunctionConfig;
import io.junction.config.JunctionConfig.Topology.SubscriptionSpec;
import io.quarkus.runtime.StartupEvent;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Makes the declared subscriptions real, in the order AWS demands, and proves they took effect:
 * topic → dead-letter queue → its policy (SNS may send from this topic) → target queue → its policy
 * → subscription (found, never duplicated) → only then RedrivePolicy, FilterPolicy(Scope),
 * RawMessageDelivery, DeliveryPolicy → read every attribute back and compare, because AWS sometimes
 * ignores a wrong call instead of rejecting it. Idempotent: a second run changes nothing and says so.
 * Uses the blocking SDK clients, on its own thread or a worker thread, never on an event loop.
 */
@ApplicationScoped
public class TopologyReconciler {

    private static final Logger LOG = Logger.getLogger(TopologyReconciler.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> JSON_ATTRIBUTES = List.of("RedrivePolicy", "FilterPolicy", "DeliveryPolicy");

    private final Map<String, SubscriptionSpec> declared;
    private final boolean onStart;
    private final Instance<SnsClient> sns;
    private final Instance<SqsClient> sqs;
    private volatile TopologyReport last;

    TopologyReconciler(JunctionConfig config, Instance<SnsClient> sns, Instance<SqsClient> sqs) {
        this.declared = new LinkedHashMap<>(config.topology().subscriptions());
        this.onStart = config.topology().reconcileOnStart();
        this.sns = sns;
        this.sqs = sqs;
    }

    public boolean declaresAnything() {
        return declared.values().stream().anyMatch(s -> "sqs".equals(s.protocol()));
    }

    /** The last reconcile's report, or null before the first one finished. */
    public TopologyReport last() {
        return last;
    }

    void start(@Observes StartupEvent event) {
        if (!declaresAnything() || !onStart) {
            return;
        }
        Thread t = new Thread(() -> {
            TopologyReport report = reconcile();
            LOG.infof("topology %s: %d subscriptions, %s", report.confirmed() ? "confirmed" : "NOT confirmed",
                    report.subscriptions().size(), report.changed() ? "changes made" : "no changes");
        }, "junction-topology");
        t.setDaemon(true);
        t.start();
    }

    /** Creates and sets what is missing or different, then verifies. */
    public synchronized TopologyReport reconcile() {
        TopologyReport report = run(true);
        last = report;
        return report;
    }

    /** Reads what exists and compares it with the declaration; changes nothing. */
    public TopologyReport check() {
        return run(false);
    }

    private TopologyReport run(boolean apply) {
        List<TopologyReport.Subscription> out = new java.util.ArrayList<>();
        for (Map.Entry<String, SubscriptionSpec> e : declared.entrySet()) {
            if (!"sqs".equals(e.getValue().protocol())) {
                continue; // http subscriptions: see SnsEndpoint; their reconciling is not built yet
            }
            TopologyReport.Builder b = new TopologyReport.Builder(e.getKey());
            try {
                subscription(e.getKey(), e.getValue(), b, apply);
                out.add(b.build(null));
            } catch (RuntimeException failure) {
                LOG.warnf("topology: subscription %s failed: %s", e.getKey(), failure.toString());
                out.add(b.build(failure.getClass().getSimpleName() + ": " + failure.getMessage()));
            }
        }
        return new TopologyReport(System.currentTimeMillis(), apply, List.copyOf(out));
    }

    private void subscription(String name, SubscriptionSpec spec, TopologyReport.Builder b, boolean apply) {
        if (!"sqs".equals(spec.protocol())) {
            throw new IllegalArgumentException("protocol " + spec.protocol() + " is not reconciled by this version (sqs only)");
        }
        SnsClient sns = this.sns.get();
        SqsClient sqs = this.sqs.get();
        String topicArn = topic(sns, spec.topic(), b, apply);
        if (topicArn == null) {
            return;
        }
        String queue = spec.queue().orElse(name);
        String dlqArn = null;
        if (spec.dlq()) {
            String dlqName = queue.endsWith(".fifo") ? queue.substring(0, queue.length() - 5) + "-dlq.fifo" : queue + "-dlq";
            String dlqUrl = queue(sqs, dlqName, "dead-letter queue", b, apply);
            if (dlqUrl != null) {
                dlqArn = queueArn(sqs, dlqUrl);
                policy(sqs, dlqUrl, dlqArn, topicArn, "dead-letter queue policy", b, apply);
            }
        }
        String queueUrl = queue(sqs, queue, "queue", b, apply);
        if (queueUrl == null) {
            return;
        }
        b.queueUrl = queueUrl;
        String queueArn = queueArn(sqs, queueUrl);
        policy(sqs, queueUrl, queueArn, topicArn, "queue policy", b, apply);

        String subscriptionArn = findSubscription(sns, topicArn, queueArn);
        if (subscriptionArn == null) {
            if (!apply) {
                b.step("subscription", "missing");
                return;
            }
            subscriptionArn = sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(queueArn)
                    .returnSubscriptionArn(true)).subscriptionArn();
            b.step("subscription", "created");
        } else {
            b.step("subscription", "unchanged");
        }
        b.subscriptionArn = subscriptionArn;

        // Attributes only now: the subscription exists and, for SQS, is confirmed.
        Map<String, String> desired = new LinkedHashMap<>();
        if (dlqArn != null) {
            desired.put("RedrivePolicy", JsonNodeFactory.instance.objectNode().put("deadLetterTargetArn", dlqArn).toString());
        }
        desired.put("RawMessageDelivery", Boolean.toString(spec.raw()));
        spec.filterPolicy().ifPresent(p -> desired.put("FilterPolicy", p));
        spec.filterPolicyScope().ifPresent(p -> desired.put("FilterPolicyScope", p));
        spec.deliveryPolicy().ifPresent(p -> desired.put("DeliveryPolicy", p));
        String arn = subscriptionArn;
        Map<String, String> actual = sns.getSubscriptionAttributes(r -> r.subscriptionArn(arn)).attributes();
        for (Map.Entry<String, String> want : desired.entrySet()) {
            if (same(want.getKey(), want.getValue(), actual.get(want.getKey()))) {
                b.step(want.getKey(), "unchanged");
            } else if (apply) {
                sns.setSubscriptionAttributes(r -> r.subscriptionArn(arn).attributeName(want.getKey()).attributeValue(want.getValue()));
                b.step(want.getKey(), "updated");
            } else {
                b.step(want.getKey(), "differs");
            }
        }
        // Read back: what AWS holds now is the only proof.
        Map<String, String> after = sns.getSubscriptionAttributes(r -> r.subscriptionArn(arn)).attributes();
        for (Map.Entry<String, String> want : desired.entrySet()) {
            if (!same(want.getKey(), want.getValue(), after.get(want.getKey()))) {
                b.drift.add(new TopologyReport.Drift(want.getKey(), want.getValue(), after.get(want.getKey())));
            }
        }
    }

    private static String topic(SnsClient sns, String topic, TopologyReport.Builder b, boolean apply) {
        String existing = null;
        for (var page : sns.listTopicsPaginator()) {
            for (var t : page.topics()) {
                if (t.topicArn().endsWith(":" + topic)) {
                    existing = t.topicArn();
                }
            }
        }
        if (existing != null) {
            b.step("topic", "unchanged");
        } else if (apply) {
            Map<String, String> attributes = new HashMap<>();
            if (topic.endsWith(".fifo")) {
                attributes.put("FifoTopic", "true");
            }
            existing = sns.createTopic(r -> r.name(topic).attributes(attributes)).topicArn();
            b.step("topic", "created");
        } else {
            b.step("topic", "missing");
        }
        b.topicArn = existing;
        return existing;
    }

    private static String queue(SqsClient sqs, String name, String what, TopologyReport.Builder b, boolean apply) {
        try {
            String url = sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
            b.step(what, "unchanged");
            return url;
        } catch (QueueDoesNotExistException missing) {
            if (!apply) {
                b.step(what, "missing");
                return null;
            }
            Map<QueueAttributeName, String> attributes = name.endsWith(".fifo") ? Map.of(QueueAttributeName.FIFO_QUEUE, "true")
                    : Map.of();
            String url = sqs.createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl();
            b.step(what, "created");
            return url;
        }
    }

    private static String queueArn(SqsClient sqs, String url) {
        return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes()
                .get(QueueAttributeName.QUEUE_ARN);
    }

    /** The policy that lets SNS send to the queue from this topic only (aws:SourceArn). */
    static String policyFor(String queueArn, String topicArn) {
        ObjectNode statement = JsonNodeFactory.instance.objectNode();
        statement.put("Sid", "junction-sns-" + Integer.toHexString(topicArn.hashCode()));
        statement.put("Effect", "Allow");
        statement.putObject("Principal").put("Service", "sns.amazonaws.com");
        statement.put("Action", "sqs:SendMessage");
        statement.put("Resource", queueArn);
        statement.putObject("Condition").putObject("ArnEquals").put("aws:SourceArn", topicArn);
        ObjectNode policy = JsonNodeFactory.instance.objectNode();
        policy.put("Version", "2012-10-17");
        policy.putArray("Statement").add(statement);
        return policy.toString();
    }

    private static void policy(SqsClient sqs, String url, String queueArn, String topicArn, String what,
            TopologyReport.Builder b, boolean apply) {
        String desired = policyFor(queueArn, topicArn);
        String actual = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.POLICY)).attributes()
                .get(QueueAttributeName.POLICY);
        if (same("Policy", desired, actual)) {
            b.step(what, "unchanged");
        } else if (apply) {
            sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY, desired)));
            b.step(what, "updated");
        } else {
            b.step(what, "differs");
        }
    }

    private static String findSubscription(SnsClient sns, String topicArn, String endpoint) {
        try {
            for (var page : sns.listSubscriptionsByTopicPaginator(r -> r.topicArn(topicArn))) {
                for (Subscription s : page.subscriptions()) {
                    if ("sqs".equals(s.protocol()) && endpoint.equals(s.endpoint()) && s.subscriptionArn().startsWith("arn:")) {
                        return s.subscriptionArn();
                    }
                }
            }
        } catch (NotFoundException e) {
            return null;
        }
        return null;
    }

    /** Equal as AWS means it: JSON attributes compared as JSON, the rest as text. */
    static boolean same(String attribute, String expected, String actual) {
        if (actual == null) {
            return expected == null;
        }
        if (JSON_ATTRIBUTES.contains(attribute) || attribute.equals("Policy")) {
            try {
                JsonNode a = MAPPER.readTree(expected);
                JsonNode b = MAPPER.readTree(actual);
                return a.equals(b);
            } catch (Exception e) {
                return Objects.equals(expected, actual);
            }
        }
        return Objects.equals(expected.toLowerCase(), actual.toLowerCase());
    }
}
