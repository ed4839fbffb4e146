package io.junction.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The server's non-event frames. They are built from JSON trees, not bound classes, so there is
 * nothing to register for reflection in a native image; they are rare next to event frames.
 */
final class ControlFrames {

    static final int PROTOCOL_VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ControlFrames() {
    }

    static byte[] welcome(String session, String node, long heartbeatMillis) {
        ObjectNode f = frame("welcome", null);
        f.put("v", PROTOCOL_VERSION);
        f.put("session", session);
        f.put("node", node);
        f.put("heartbeat", heartbeatMillis);
        return bytes(f);
    }

    static byte[] subscribed(Long id, String channel, String offset, boolean recovered) {
        ObjectNode f = frame("subscribed", id);
        f.put("channel", channel);
        f.put("offset", offset);
        f.put("recovered", recovered);
        return bytes(f);
    }

    static byte[] unsubscribed(Long id, String channel) {
        ObjectNode f = frame("unsubscribed", id);
        f.put("channel", channel);
        return bytes(f);
    }

    static byte[] pong(Long id) {
        return bytes(frame("pong", id));
    }

    static byte[] ack(Long id, String eventId) {
        ObjectNode f = frame("ack", id);
        f.put("event", eventId);
        return bytes(f);
    }

    static byte[] error(Long id, ErrorCode code, String message) {
        ObjectNode f = frame("error", id);
        f.put("code", code.name());
        f.put("message", message);
        return bytes(f);
    }

    private static ObjectNode frame(String op, Long id) {
        ObjectNode f = JsonNodeFactory.instance.objectNode();
        f.put("op", op);
        if (id != null) {
            f.put("id", id);
        }
        return f;
    }

    private static byte[] bytes(ObjectNode frame) {
        try {
            return MAPPER.writeValueAsBytes(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a control frame did not serialize", e);
        }
    }
}
