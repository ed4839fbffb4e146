package io.junction.bus;

import java.nio.charset.StandardCharsets;

/**
 * Encodes the {@code event} frame of the WebSocket protocol by joining bytes: the envelope is
 * already JSON, and channel names and offsets hold no character that JSON escapes, so nothing is
 * serialized again per node or per client.
 */
public final class EventFrame {

    private static final byte[] OP = "{\"op\":\"event\",\"channel\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OFFSET = "\",\"offset\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQ = "\",\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = ",\"event\":".getBytes(StandardCharsets.US_ASCII);

    private EventFrame() {
    }

    public static byte[] encode(String channel, Offset offset, byte[] envelope) {
        byte[] ch = channel.getBytes(StandardCharsets.US_ASCII);
        byte[] off = offset.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] seq = Long.toString(offset.seq()).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[OP.length + ch.length + OFFSET.length + off.length + SEQ.length + seq.length
                + EVENT.length + envelope.length + 1];
        int at = 0;
        at = put(out, at, OP);
        at = put(out, at, ch);
        at = put(out, at, OFFSET);
        at = put(out, at, off);
        at = put(out, at, SEQ);
        at = put(out, at, seq);
        at = put(out, at, EVENT);
        at = put(out, at, envelope);
        out[at] = '}';
        return out;
    }

    private static int put(byte[] out, int at, byte[] part) {
        System.arraycopy(part, 0, out, at, part.length);
        return at + part.length;
    }
}
