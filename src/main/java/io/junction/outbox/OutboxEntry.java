package io.junction.outbox;

import java.util.Map;

import io.junction.event.Event;

/**
 * An acknowledged event on its way to SNS.
 *
 * @param ref where the store keeps it (a Redis Stream id, or a sequence number in memory)
 * @param attempts publishes tried so far, by this process
 */
public record OutboxEntry(String ref, String eventId, String topic, String type, String group, String channel,
        Map<String, String> attributes, byte[] envelope, long acceptedAt, int attempts) {

    public static OutboxEntry of(String ref, Event event, long acceptedAt) {
        return new OutboxEntry(ref, event.id(), event.topic(), event.type(), event.group(), event.channel(),
                event.attributes(), event.envelope(), acceptedAt, 0);
    }

    public OutboxEntry retried() {
        return new OutboxEntry(ref, eventId, topic, type, group, channel, attributes, envelope, acceptedAt, attempts + 1);
    }
}
