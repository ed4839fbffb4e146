package io.junction.inbound;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How a message from another service becomes a Junction event: an SNS notification (or a raw SQS
 * body) whose message is a CloudEvents envelope keeps its id, type and data; anything else is
 * wrapped as {@code sns.notification} with the message id as event id, so redeliveries keep one id.
 */
public final class InboundEvents {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z0-9_.]+)\\}");

    private InboundEvents() {
    }

    /** An SNS notification envelope for a raw message (RawMessageDelivery), so both kinds take one path. */
    public static ObjectNode envelope(String message, String messageId) {
        return JsonNodeFactory.instance.objectNode().put("Type", "Notification").put("MessageId", messageId)
                .put("Message", message);
    }

    /**
     * What an SQS body holds: the SNS envelope (no RawMessageDelivery), or, for a raw delivery or a
     * message sent to the queue directly, the message itself, wrapped.
     */
    public static JsonNode notification(String body, String messageId, boolean raw) {
        if (!raw) {
            try {
                JsonNode n = MAPPER.readTree(body);
                if (n != null && n.isObject() && n.has("Message")) {
                    return n;
                }
            } catch (Exception notJson) {
                // not an SNS envelope: take the body as the message
            }
        }
        return envelope(body, messageId);
    }

    /** The notification's message as an event request (type, id, data); the channel is added by the caller. */
    public static ObjectNode toEvent(JsonNode notification) {
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        String text = notification.path("Message").asText("");
        JsonNode inner = null;
        try {
            inner = MAPPER.readTree(text);
        } catch (Exception notJson) {
            // a plain-text message
        }
        if (inner != null && inner.isObject() && inner.has("specversion") && inner.path("type").isTextual()) {
            request.put("type", inner.get("type").asText());
            if (inner.path("id").isTextual()) {
                request.put("id", inner.get("id").asText());
            }
            if (inner.has("data")) {
                request.set("data", inner.get("data"));
            }
        } else {
            request.put("type", "sns.notification");
            request.put("id", notification.path("MessageId").asText());
            request.set("data", inner != null ? inner : JsonNodeFactory.instance.textNode(text));
        }
        return request;
    }

    /** Fills {@code {data.x.y}} placeholders from the event; null when one has no scalar value. */
    public static String channel(String template, ObjectNode event) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JsonNode value = event;
            for (String part : m.group(1).split("\\.")) {
                value = value.path(part);
            }
            if (!value.isValueNode() || value.isNull()) {
                return null;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value.asText()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
