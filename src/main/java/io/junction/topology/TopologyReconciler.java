package io.junction.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

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
 * topic (with SignatureVersion 2 for http subscriptions) → dead-letter queue → its policy (SNS may
 * send from this topic) → for sqs: target queue → its policy → its RedrivePolicy (maxReceiveCount)
 * → subscription (found, never duplicated) → for http(s): wait until SNS's confirmation was confirmed
 * → only then RedrivePolicy, FilterPolicy(Scope), RawMessageDelivery, DeliveryPolicy → read every
 * attribute back and compare, because AWS sometimes ignores a wrong call instead of rejecting it. Idempotent: a second run changes nothing and says so.
 * Uses the blocking SDK clients, on its own thread or a worker thread, never on an event loop.
 */
@ApplicationScoped
public class TopologyReconciler {

    private static final Logger LOG = Logger.getLogger(TopologyReconciler.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> JSON_ATTRIBUTES = List.of("RedrivePolicy", "FilterPolicy", "DeliveryPolicy", "Policy");

    private final Map<String, SubscriptionSpec> declared;
    private final boolean onStart;
    private final Duration confirmTimeout;
    private final String signatureVersion;
    private final Optional<String> publicUrl;
    private final Instance<SnsClient> sns;
    private final Instance<SqsClient> sqs;
    private volatile TopologyReport last;
    private volatile String awaitingConfirmation;

    TopologyReconciler(JunctionConfig config, Instance<SnsClient> sns, Instance<SqsClient> sqs) {
        this.declared = new LinkedHashMap<>(config.topology().subscriptions());
        this.onStart = config.topology().reconcileOnStart();
        this.confirmTimeout = config.topology().confirmTimeout();
        this.signatureVersion = config.topology().signatureVersion();
        this.publicUrl = config.sns().publicUrl();
        this.sns = sns;
        this.sqs = sqs;
    }

    public boolean declaresAnything() {
        return !declared.isEmpty();
    }

    /** Whether a reconcile runs at start-up; if not, readiness does not wait for one. */
    public boolean reconcilesOnStart() {
        return onStart;
    }

    /** The last reconcile's report, or null before the first one finished. */
    public TopologyReport last() {
        return last;
    }

    /**
     * The http subscription whose confirmation a running reconcile waits for, or null. SNS posts the
     * confirmation through the load balancer, which only routes to ready pods: readiness must not wait
     * for it, or the first pod of a deployment could never be confirmed.
     */
    public String awaitingConfirmation() {
        return awaitingConfirmation;
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
        List<TopologyReport.Subscription> out = new ArrayList<>();
        for (Map.Entry<String, SubscriptionSpec> e : declared.entrySet()) {
            TopologyReport.Builder b = new TopologyReport.Builder(e.getKey());
            try {
                subscription(e.getKey(), e.getValue(), b, apply);
                out.add(b.build(null));
            } catch (RuntimeException failure) {
                LOG.warnf("topology: subscription %s failed: %s", e.getKey(), failure.toString());
                out.add(b.build(failure.getClass().getSimpleName() + ": " + failure.getMessage()));
            } finally {
                awaitingConfirmation = null;
            }
        }
        return new TopologyReport(System.currentTimeMillis(), apply, List.copyOf(out));
    }

    private void subscription(String name, SubscriptionSpec spec, TopologyReport.Builder b, boolean apply) {
        boolean http = Subscriptions.isHttp(spec);
        if (!http && !Subscriptions.isSqs(spec)) {
            throw new IllegalArgumentException("protocol '" + spec.protocol() + "' is not one of sqs, http, https");
        }
        if (Subscriptions.deliversToJunction(spec) && spec.raw()) {
            // SNS posts a raw message without its signed envelope: Junction could not tell it from a forgery.
            throw new IllegalArgumentException("raw=true cannot be used for an http subscription to Junction's endpoint: "
                    + "raw deliveries are not signed");
        }
        SnsClient sns = this.sns.get();
        SqsClient sqs = this.sqs.get();
        String topicArn = topic(sns, spec.topic(), b, apply);
        if (topicArn == null) {
            return;
        }
        if (http && !"keep".equals(signatureVersion)) {
            topicAttribute(sns, topicArn, "SignatureVersion", signatureVersion, b, apply);
        }
        String dlqArn = null;
        Optional<String> dlqName = Subscriptions.deadLetterQueue(name, spec);
        if (dlqName.isPresent()) {
            String dlqUrl = queue(sqs, dlqName.get(), "dead-letter queue", b, apply);
            if (dlqUrl != null) {
                dlqArn = queueArn(sqs, dlqUrl);
                queueAttributes(sqs, dlqUrl, Map.of(QueueAttributeName.POLICY, policyFor(dlqArn, topicArn)), "dead-letter queue",
                        b, apply);
            }
        }
        String protocol;
        String endpoint;
        if (http) {
            protocol = spec.protocol();
            endpoint = Subscriptions.endpointUrl(name, spec, publicUrl);
        } else {
            String queueUrl = queue(sqs, Subscriptions.queue(name, spec), "queue", b, apply);
            if (queueUrl == null) {
                return;
            }
            b.queueUrl = queueUrl;
            protocol = "sqs";
            endpoint = queueArn(sqs, queueUrl);
            Map<QueueAttributeName, String> desired = new LinkedHashMap<>();
            desired.put(QueueAttributeName.POLICY, policyFor(endpoint, topicArn));
            if (dlqArn != null) {
                // Messages a consumer fails to handle maxReceiveCount times move there.
                desired.put(QueueAttributeName.REDRIVE_POLICY, JsonNodeFactory.instance.objectNode()
                        .put("deadLetterTargetArn", dlqArn).put("maxReceiveCount", spec.maxReceiveCount()).toString());
            }
            queueAttributes(sqs, queueUrl, desired, "queue", b, apply);
        }

        String subscriptionArn = findSubscription(sns, topicArn, protocol, endpoint);
        if (subscriptionArn == null) {
            if (!apply) {
                b.step("subscription", "missing");
                return;
            }
            String requested = endpoint;
            subscriptionArn = sns.subscribe(r -> r.topicArn(topicArn).protocol(protocol).endpoint(requested)
                    .returnSubscriptionArn(true)).subscriptionArn();
            b.step("subscription", "created");
        } else {
            b.step("subscription", "unchanged");
        }
        b.subscriptionArn = subscriptionArn;
        if (http) {
            awaitConfirmation(sns, name, subscriptionArn, b, apply);
        }

        // Attributes only now: the subscription exists and is confirmed.
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

    /**
     * SNS sends a SubscriptionConfirmation to the endpoint; Junction's endpoint (on whichever pod the
     * load balancer picks) confirms it with its token. Attributes may only be set after that.
     */
    private void awaitConfirmation(SnsClient sns, String name, String arn, TopologyReport.Builder b, boolean apply) {
        if (!pending(sns, arn)) {
            return;
        }
        if (!apply) {
            b.step("confirmation", "pending");
            throw new IllegalStateException("the subscription is not confirmed yet");
        }
        awaitingConfirmation = name;
        long deadline = System.nanoTime() + confirmTimeout.toNanos();
        while (pending(sns, arn)) {
            if (System.nanoTime() > deadline) {
                b.step("confirmation", "timed out");
                throw new IllegalStateException("SNS did not confirm the subscription within " + confirmTimeout
                        + ": is " + arn + "'s endpoint reachable from SNS (junction.sns.public-url)?");
            }
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        }
        b.step("confirmation", "confirmed");
    }

    private static boolean pending(SnsClient sns, String arn) {
        if (!arn.startsWith("arn:")) {
            return true;
        }
        try {
            return "true".equalsIgnoreCase(sns.getSubscriptionAttributes(r -> r.subscriptionArn(arn)).attributes()
                    .get("PendingConfirmation"));
        } catch (NotFoundException e) {
            return true;
        }
    }

    private static void topicAttribute(SnsClient sns, String topicArn, String attribute, String desired,
            TopologyReport.Builder b, boolean apply) {
        String actual = sns.getTopicAttributes(r -> r.topicArn(topicArn)).attributes().get(attribute);
        if (same(attribute, desired, actual)) {
            b.step("topic " + attribute, "unchanged");
            return;
        }
        if (!apply) {
            b.step("topic " + attribute, "differs");
        } else {
            sns.setTopicAttributes(r -> r.topicArn(topicArn).attributeName(attribute).attributeValue(desired));
            b.step("topic " + attribute, "updated");
        }
        String after = sns.getTopicAttributes(r -> r.topicArn(topicArn)).attributes().get(attribute);
        if (!same(attribute, desired, after)) {
            b.drift.add(new TopologyReport.Drift("topic " + attribute, desired, after));
        }
    }

    /**
     * A queue's declared attributes, written together when any differs: a SetQueueAttributes that
     * leaves one out may reset it (moto drops the Policy that way), so all are sent and all read back.
     */
    private static void queueAttributes(SqsClient sqs, String url, Map<QueueAttributeName, String> desired, String what,
            TopologyReport.Builder b, boolean apply) {
        Map<QueueAttributeName, String> actual = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(desired.keySet()))
                .attributes();
        boolean differs = false;
        for (Map.Entry<QueueAttributeName, String> want : desired.entrySet()) {
            boolean same = same(want.getKey().toString(), want.getValue(), actual.get(want.getKey()));
            differs |= !same;
            b.step(what + " " + want.getKey(), same ? "unchanged" : apply ? "updated" : "differs");
        }
        if (!differs) {
            return;
        }
        if (apply) {
            sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(desired));
        }
        Map<QueueAttributeName, String> after = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(desired.keySet()))
                .attributes();
        desired.forEach((attribute, value) -> {
            if (!same(attribute.toString(), value, after.get(attribute))) {
                b.drift.add(new TopologyReport.Drift(what + " " + attribute, value, after.get(attribute)));
            }
        });
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

    /** The existing subscription of this endpoint (a pending one counts as missing: subscribing again resends its confirmation). */
    private static String findSubscription(SnsClient sns, String topicArn, String protocol, String endpoint) {
        try {
            for (var page : sns.listSubscriptionsByTopicPaginator(r -> r.topicArn(topicArn))) {
                for (Subscription s : page.subscriptions()) {
                    if (protocol.equals(s.protocol()) && endpoint.equals(s.endpoint()) && s.subscriptionArn().startsWith("arn:")) {
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
        if (JSON_ATTRIBUTES.contains(attribute)) {
            try {
                return scalarsAsText(MAPPER.readTree(expected)).equals(scalarsAsText(MAPPER.readTree(actual)));
            } catch (Exception e) {
                return Objects.equals(expected, actual);
            }
        }
        return Objects.equals(expected.toLowerCase(), actual.toLowerCase());
    }

    /** AWS may hand a number back as a string ({@code "maxReceiveCount":"5"}): compare values as text. */
    private static JsonNode scalarsAsText(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.fields().forEachRemaining(f -> copy.set(f.getKey(), scalarsAsText(f.getValue())));
            return copy;
        }
        if (node.isArray()) {
            var copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> copy.add(scalarsAsText(n)));
            return copy;
        }
        return node.isValueNode() ? JsonNodeFactory.instance.textNode(node.asText()) : node;
    }
}
