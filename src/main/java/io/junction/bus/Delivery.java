package io.junction.bus;

/**
 * One event as it travels to the sessions of a node: its place in the channel and the {@code event}
 * frame, already encoded. The frame is built once per node and the same bytes go to every socket.
 *
 * @param envelope the CloudEvents envelope alone; kept for history reads, null on live deliveries
 *        that arrive as a finished frame
 */
public record Delivery(String channel, Offset offset, byte[] frame, byte[] envelope, long acceptedAtMillis) {

    public static Delivery of(String channel, Offset offset, byte[] envelope, long acceptedAtMillis) {
        return new Delivery(channel, offset, EventFrame.encode(channel, offset, envelope), envelope, acceptedAtMillis);
    }

    public long seq() {
        return offset.seq();
    }

    public String epoch() {
        return offset.epoch();
    }
}
