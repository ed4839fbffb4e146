package io.junction.sqs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;


import io.junction.config.JunctionConfig;
import io.junction.config.JunctionConfig.Topology.SubscriptionSpec;
import io.junction.inbound.InboundDelivery;
import io.junction.inbound.InboundEvents;
import io.junction.topology.Subscriptions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The dead-letter queues of the declared subscriptions, as an operator sees them: depth, a peek at
 * messages (received and released at once, so nothing is lost; each peek counts as a receive),
 * redrive of one message or all back to their source, and purge. Redrive to an sqs subscription
 * sends the message back to its queue; to an http subscription on Junction it hands the message to
 * the channel directly (SNS offers no "deliver this again"). Blocking SDK calls: worker threads only.
 * A timer watches every DLQ's depth: a meter per subscription, a log line whenever it grows.
 */
@ApplicationScoped
public class DeadLetterYard {

    private static final Logger LOG = Logger.getLogger(DeadLetterYard.class);
    private static final int SCAN_LIMIT = 1000;

    @RegisterForReflection // serialized by Jackson in the admin API (native image)
    public record Queue(String subscription, String queue, String queueUrl, String source, long depth, long inFlight) {
    }

    @RegisterForReflection
    public record Peeked(String messageId, String body, Map<String, String> attributes, Map<String, String> messageAttributes,
            int receiveCount, Long firstReceivedAt, Long sentAt) {
    }

    @RegisterForReflection
    public record Redrive(int moved, int failed, List<String> errors) {
    }

    /** 404: no such subscription, or it has no dead-letter queue. */
    public static class UnknownException extends RuntimeException {
        UnknownException(String message) {
            super(message, null, false, false);
        }
    }

    /** 409: the operation does not apply to this subscription now. */
    public static class ConflictException extends RuntimeException {
        ConflictException(String message) {
            super(message, null, false, false);
        }
    }

    private final Map<String, SubscriptionSpec> declared;
    private final Instance<SqsClient> sqs;
    private final InboundDelivery delivery;
    private final MeterRegistry registry;
    private final Duration watchEvery;
    private final Map<String, Long> lastDepth = new ConcurrentHashMap<>();
    private final Map<String, String> urls = new ConcurrentHashMap<>();
    private ScheduledExecutorService watch;

    DeadLetterYard(JunctionConfig config, Instance<SqsClient> sqs, InboundDelivery delivery, MeterRegistry registry) {
        this.declared = new LinkedHashMap<>(config.topology().subscriptions());
        this.declared.values().removeIf(s -> !s.dlq());
        this.sqs = sqs;
        this.delivery = delivery;
        this.registry = registry;
        this.watchEvery = config.sqs().deadLetterWatch();
    }

    void start(@Observes StartupEvent event) {
        if (declared.isEmpty() || watchEvery.isZero()) {
            return;
        }
        for (String name : declared.keySet()) {
            Gauge.builder("junction.dlq.messages", lastDepth, d -> d.getOrDefault(name, 0L)).tag("subscription", name)
                    .description("Messages in the subscription's dead-letter queue (as of the last check)").register(registry);
        }
        watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "junction-dlq-watch");
            t.setDaemon(true);
            return t;
        });
        watch.scheduleWithFixedDelay(this::watchDepths, watchEvery.toMillis(), watchEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (watch != null) {
            watch.shutdownNow();
        }
    }

    private void watchDepths() {
        try {
            for (Queue q : list()) {
                Long before = lastDepth.put(q.subscription(), Math.max(q.depth(), 0));
                if (q.depth() > 0 && (before == null || q.depth() > before)) {
                    LOG.warnf("subscription %s: %d messages in dead-letter queue %s (failed deliveries; see /api/admin/dlq)",
                            q.subscription(), q.depth(), q.queue());
                }
            }
        } catch (RuntimeException e) {
            LOG.debugf("dead-letter watch: %s", e.toString());
        }
    }

    public List<Queue> list() {
        List<Queue> out = new ArrayList<>();
        for (Map.Entry<String, SubscriptionSpec> e : declared.entrySet()) {
            String name = e.getKey();
            String dlq = Subscriptions.deadLetterQueue(name, e.getValue()).orElseThrow();
            String source = Subscriptions.isSqs(e.getValue()) ? "queue " + Subscriptions.queue(name, e.getValue())
                    : "topic " + e.getValue().topic() + " via " + e.getValue().protocol();
            String url = url(dlq);
            if (url == null) {
                out.add(new Queue(name, dlq, null, source, -1, -1));
                continue;
            }
            Map<QueueAttributeName, String> a = sqs.get().getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .attributes();
            out.add(new Queue(name, dlq, url, source, number(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
                    number(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))));
        }
        return out;
    }

    /** Up to {@code max} (≤ 10) messages, received and made visible again at once. */
    public List<Peeked> peek(String subscription, int max) {
        String url = existingUrl(subscription);
        List<Message> messages = receive(url, Math.max(1, Math.min(10, max)));
        release(url, messages);
        return messages.stream().map(DeadLetterYard::peeked).toList();
    }

    /** Moves one message (by SQS message id) or all back to the subscription's source. */
    public Redrive redrive(String subscription, Optional<String> messageId) {
        SubscriptionSpec spec = declared.get(subscription);
        String url = existingUrl(subscription);
        if (Subscriptions.isHttp(spec) && !Subscriptions.deliversToJunction(spec)) {
            throw new ConflictException("subscription '" + subscription + "' delivers to another service's endpoint; "
                    + "its owner redrives from " + Subscriptions.deadLetterQueue(subscription, spec).orElseThrow());
        }
        String target = null;
        if (Subscriptions.isSqs(spec)) {
            target = url(Subscriptions.queue(subscription, spec));
            if (target == null) {
                throw new UnknownException("the source queue of '" + subscription + "' does not exist (yet)");
            }
        }
        List<Message> keep = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> errors = new ArrayList<>();
        int moved = 0;
        boolean found = false;
        while (seen.size() < SCAN_LIMIT && !found) {
            List<Message> batch = receive(url, 10).stream().filter(m -> seen.add(m.messageId())).toList();
            if (batch.isEmpty()) {
                break;
            }
            for (Message m : batch) {
                if (found || messageId.isPresent() && !messageId.get().equals(m.messageId())) {
                    keep.add(m);
                    continue;
                }
                found = messageId.isPresent();
                try {
                    if (target != null) {
                        send(target, m);
                    } else {
                        delivery.deliver(subscription, spec.channel().orElse(subscription),
                                InboundEvents.notification(m.body(), m.messageId(), spec.raw()))
                                .await().atMost(Duration.ofSeconds(10));
                    }
                    sqs.get().deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()));
                    moved++;
                } catch (RuntimeException e) {
                    keep.add(m);
                    errors.add(m.messageId() + ": " + e.getMessage());
                }
            }
        }
        release(url, keep);
        if (messageId.isPresent() && !found) {
            throw new UnknownException("message " + messageId.get() + " is not (or no longer) in the dead-letter queue");
        }
        LOG.infof("subscription %s: redrove %d dead-lettered messages (%d failed)", subscription, moved, errors.size());
        return new Redrive(moved, errors.size(), errors);
    }

    public void purge(String subscription) {
        String url = existingUrl(subscription);
        try {
            sqs.get().purgeQueue(r -> r.queueUrl(url));
        } catch (software.amazon.awssdk.services.sqs.model.PurgeQueueInProgressException e) {
            throw new ConflictException("a purge of this queue is in progress (SQS allows one per 60 seconds)");
        }
        LOG.warnf("subscription %s: dead-letter queue purged by an operator", subscription);
    }

    private void send(String target, Message m) {
        String group = m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
        sqs.get().sendMessage(r -> {
            r.queueUrl(target).messageBody(m.body()).messageAttributes(m.messageAttributes());
            if (group != null) {
                r.messageGroupId(group).messageDeduplicationId(m.messageId());
            }
        });
    }

    private List<Message> receive(String url, int max) {
        return sqs.get().receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(max).waitTimeSeconds(1).visibilityTimeout(60)
                .messageSystemAttributeNamesWithStrings("All").messageAttributeNames("All")).messages();
    }

    private void release(String url, List<Message> messages) {
        for (int i = 0; i < messages.size(); i += 10) {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            for (Message m : messages.subList(i, Math.min(messages.size(), i + 10))) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(entries.size()))
                        .receiptHandle(m.receiptHandle()).visibilityTimeout(0).build());
            }
            sqs.get().changeMessageVisibilityBatch(r -> r.queueUrl(url).entries(entries));
        }
    }

    private String existingUrl(String subscription) {
        SubscriptionSpec spec = declared.get(subscription);
        if (spec == null) {
            throw new UnknownException("no subscription '" + subscription + "' with a dead-letter queue is declared");
        }
        String url = url(Subscriptions.deadLetterQueue(subscription, spec).orElseThrow());
        if (url == null) {
            throw new UnknownException("the dead-letter queue of '" + subscription + "' does not exist (yet)");
        }
        return url;
    }

    /** A queue's URL, or null while it does not exist; found once (a URL follows from the name, and stays). */
    private String url(String queue) {
        String known = urls.get(queue);
        if (known != null) {
            return known;
        }
        try {
            String url = sqs.get().getQueueUrl(r -> r.queueName(queue)).queueUrl();
            urls.put(queue, url);
            return url;
        } catch (QueueDoesNotExistException e) {
            return null;
        }
    }

    private static Peeked peeked(Message m) {
        Map<String, String> attributes = m.attributesAsStrings();
        Map<String, String> messageAttributes = new LinkedHashMap<>();
        m.messageAttributes().forEach((k, v) -> messageAttributes.put(k, v.stringValue()));
        return new Peeked(m.messageId(), m.body(), attributes, messageAttributes,
                (int) number(attributes.get("ApproximateReceiveCount")), longOrNull(attributes.get("ApproximateFirstReceiveTimestamp")),
                longOrNull(attributes.get("SentTimestamp")));
    }

    private static long number(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Long longOrNull(String s) {
        return s == null ? null : number(s);
    }
}
