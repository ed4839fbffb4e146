package io.junction.inbound;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.junction.event.Event;
import io.junction.event.EventFactory;
import io.junction.event.InvalidEventException;
import io.junction.event.Names;
import io.junction.fanout.EventPublisher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * Hands messages from subscriptions (SNS http deliveries, Junction's SQS consumer, redrives from a
 * dead-letter queue) to the channel fan-out, once per message id: SNS and SQS deliver at least once,
 * clients should see an event once. Every failure is counted and logged with the subscription's name.
 */
@ApplicationScoped
public class InboundDelivery {

    private static final Logger LOG = Logger.getLogger(InboundDelivery.class);
    private static final int SEEN_MAX = 10_000;

    private final EventFactory events;
    private final EventPublisher publisher;
    private final MeterRegistry registry;
    private final Set<String> seen = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > SEEN_MAX;
        }
    }));

    InboundDelivery(EventFactory events, EventPublisher publisher, MeterRegistry registry) {
        this.events = events;
        this.publisher = publisher;
        this.registry = registry;
    }

    /**
     * Publishes the notification's event to the channel the template names. Fails with
     * {@link UndeliverableException} when it never can, with another exception when it cannot now.
     */
    public Uni<Void> deliver(String subscription, String channelTemplate, JsonNode notification) {
        String messageId = notification.path("MessageId").asText("");
        if (!messageId.isEmpty() && seen.contains(subscription + '\n' + messageId)) {
            counter(subscription, "duplicate").increment();
            return Uni.createFrom().voidItem();
        }
        Event event;
        try {
            event = toEvent(subscription, channelTemplate, notification);
        } catch (UndeliverableException e) {
            failed(subscription, messageId, e.reason(), e.getMessage());
            return Uni.createFrom().failure(e);
        }
        return Uni.createFrom().deferred(() -> publisher.accept(event)).onItemOrFailure().transformToUni((ok, failure) -> {
            if (failure != null) {
                failed(subscription, messageId, "unavailable", failure.getMessage());
                return Uni.createFrom().failure(failure);
            }
            seen.add(subscription + '\n' + messageId);
            counter(subscription, "delivered").increment();
            return Uni.createFrom().voidItem();
        });
    }

    private Event toEvent(String subscription, String channelTemplate, JsonNode notification) {
        ObjectNode request = InboundEvents.toEvent(notification);
        String channel = InboundEvents.channel(channelTemplate, request);
        if (channel == null || !Names.isChannel(channel)) {
            throw new UndeliverableException("no-channel", "the channel template '" + channelTemplate
                    + "' does not resolve to a channel name for this message");
        }
        request.put("channel", channel);
        try {
            return events.fromRequest(request, "/junction/subscriptions/" + subscription);
        } catch (InvalidEventException e) {
            throw new UndeliverableException("invalid-event", "the message is not a valid event: " + e.getMessage());
        }
    }

    private void failed(String subscription, String messageId, String reason, String detail) {
        LOG.warnf("subscription %s: message %s not delivered (%s): %s", subscription, messageId, reason, detail);
        registry.counter("junction.inbound.failures", "subscription", subscription, "reason", reason).increment();
    }

    private Counter counter(String subscription, String outcome) {
        return registry.counter("junction.inbound.messages", "subscription", subscription, "outcome", outcome);
    }
}
