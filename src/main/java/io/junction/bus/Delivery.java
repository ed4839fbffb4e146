package io.junction.bus;

import io.junction.event.Event;

/**
 * One event as it travels to the sessions of a node: its place in the channel and the {@code event}
 * frame, already encoded. The frame is built once per node and the same bytes go to every socket.
 */
public record Delivery(String channel, Offset offset, Event event, byte[] frame, long acceptedAtMillis) {

    public static Delivery of(Offset offset, Event event, long acceptedAtMillis) {
        return new Delivery(event.channel(), offset, event, EventFrame.encode(event.channel(), offset, event.envelope()),
                acceptedAtMillis);
    }

    public long seq() {
        return offset.seq();
    }
}
