package io.junction.event;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.junction.config.JunctionConfig;

/**
 * Turns what a client sent into an accepted {@link Event}: checks every field against the wire
 * contract, fills in what the server owns (id, time, source) and serializes the CloudEvents
 * envelope once. Every refusal names the field and the rule it broke.
 */
@ApplicationScoped
public class EventFactory {

    public static final String SOURCE_API = "/junction/api";
    public static final String SOURCE_WEBSOCKET = "/junction/ws";

    static final int MAX_TYPE_LENGTH = 256;
    static final int MAX_ID_LENGTH = 256;
    static final int MAX_GROUP_LENGTH = 128;
    /** SNS allows 10 message attributes; Junction adds {@code type}. */
    static final int MAX_ATTRIBUTES = 9;
    static final int MAX_ATTRIBUTE_NAME_LENGTH = 256;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final ObjectMapper mapper;
    private final int maxEventBytes;

    EventFactory(ObjectMapper mapper, JunctionConfig config) {
        this.mapper = mapper;
        this.maxEventBytes = config.limits().maxEventBytes();
    }

    public int maxEventBytes() {
        return maxEventBytes;
    }

    /**
     * The plain body of {@code POST /api/events}:
     * {@code {"type","channel","topic","data","id","attributes","group"}}. Unknown fields are ignored.
     */
    public Event fromRequest(JsonNode body, String source) {
        ObjectNode in = requireObject(body, "the event");
        String type = requireText(in, "type", MAX_TYPE_LENGTH);
        String id = optionalId(in);
        String channel = optionalChannel(in);
        String topic = optionalTopic(in);
        requireRoute(channel, topic);
        String group = optionalGroup(in);
        Map<String, String> attributes = optionalAttributes(in);

        ObjectNode envelope = JsonNodeFactory.instance.objectNode();
        envelope.put("specversion", "1.0");
        envelope.put("id", id != null ? id : EventIds.next());
        envelope.put("source", source);
        envelope.put("type", type);
        envelope.put("time", TIME.format(Instant.now()));
        JsonNode data = in.get("data");
        if (data != null) {
            envelope.put("datacontenttype", "application/json");
        }
        putRoute(envelope, channel, topic);
        if (data != null) {
            envelope.set("data", data);
        }
        return seal(envelope, type, channel, topic, group, attributes);
    }

    /** A whole CloudEvents 1.0 envelope ({@code application/cloudevents+json}), kept as the client made it. */
    public Event fromCloudEvent(JsonNode body) {
        ObjectNode in = requireObject(body, "the event");
        JsonNode spec = in.get("specversion");
        if (spec == null || !spec.isTextual() || !"1.0".equals(spec.textValue())) {
            throw InvalidEventException.badRequest("specversion must be the string \"1.0\"");
        }
        String id = requireText(in, "id", MAX_ID_LENGTH);
        requireText(in, "source", MAX_TYPE_LENGTH);
        String type = requireText(in, "type", MAX_TYPE_LENGTH);
        String channel = optionalChannel(in);
        String topic = optionalTopic(in);
        requireRoute(channel, topic);
        String group = optionalGroup(in);

        ObjectNode envelope = in.deepCopy();
        JsonNode time = in.get("time");
        if (time == null) {
            envelope.put("time", TIME.format(Instant.now()));
        } else if (!time.isTextual() || !isTimestamp(time.textValue())) {
            throw InvalidEventException.badRequest("time must be an RFC 3339 timestamp, e.g. 2026-12-04T15:00:00.123Z");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            if (!isContextAttributeName(name)) {
                throw InvalidEventException.badRequest("'" + name + "' is not a valid CloudEvents attribute name"
                        + " (lower-case letters and digits only)");
            }
            if (!name.equals("data") && !field.getValue().isValueNode()) {
                throw InvalidEventException.badRequest("CloudEvents attribute '" + name + "' must be a string, number or boolean");
            }
        }
        return seal(envelope, type, channel, topic, group, Map.of());
    }

    /** A WebSocket {@code publish} frame: {@code channel}, {@code type}, {@code data}. */
    public Event fromClientPublish(ObjectNode frame) {
        String type = requireText(frame, "type", MAX_TYPE_LENGTH);
        String channel = optionalChannel(frame);
        if (channel == null) {
            throw InvalidEventException.badRequest("publish needs a channel");
        }
        ObjectNode envelope = JsonNodeFactory.instance.objectNode();
        envelope.put("specversion", "1.0");
        envelope.put("id", EventIds.next());
        envelope.put("source", SOURCE_WEBSOCKET);
        envelope.put("type", type);
        envelope.put("time", TIME.format(Instant.now()));
        JsonNode data = frame.get("data");
        if (data != null) {
            envelope.put("datacontenttype", "application/json");
        }
        envelope.put("channel", channel);
        if (data != null) {
            envelope.set("data", data);
        }
        return seal(envelope, type, channel, null, null, Map.of());
    }

    private Event seal(ObjectNode envelope, String type, String channel, String topic, String group,
            Map<String, String> attributes) {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            // A tree that Jackson itself parsed always serializes; reaching here is a bug, not bad input.
            throw new IllegalStateException("could not serialize an event envelope", e);
        }
        if (bytes.length > maxEventBytes) {
            throw InvalidEventException.tooLarge("the event is " + bytes.length + " bytes as a CloudEvents envelope; the limit is "
                    + maxEventBytes + " bytes");
        }
        return new Event(envelope.get("id").textValue(), type, channel, topic, group, attributes, bytes);
    }

    private static ObjectNode requireObject(JsonNode node, String what) {
        if (node == null || node.isMissingNode()) {
            throw InvalidEventException.badRequest(what + " is empty");
        }
        if (!node.isObject()) {
            throw InvalidEventException.badRequest(what + " must be a JSON object, not " + describe(node));
        }
        return (ObjectNode) node;
    }

    private static String requireText(ObjectNode in, String field, int maxLength) {
        JsonNode node = in.get(field);
        if (node == null || node.isNull()) {
            throw InvalidEventException.badRequest("'" + field + "' is required");
        }
        return text(node, field, maxLength);
    }

    private static String text(JsonNode node, String field, int maxLength) {
        if (!node.isTextual()) {
            throw InvalidEventException.badRequest("'" + field + "' must be a string, not " + describe(node));
        }
        String value = node.textValue();
        if (value.isEmpty()) {
            throw InvalidEventException.badRequest("'" + field + "' must not be empty");
        }
        if (value.length() > maxLength) {
            throw InvalidEventException.badRequest("'" + field + "' is longer than " + maxLength + " characters");
        }
        return value;
    }

    private static String optionalText(ObjectNode in, String field, int maxLength) {
        JsonNode node = in.get(field);
        return node == null || node.isNull() ? null : text(node, field, maxLength);
    }

    private static String optionalId(ObjectNode in) {
        String id = optionalText(in, "id", MAX_ID_LENGTH);
        if (id != null && !isPrintableAscii(id, false)) {
            throw InvalidEventException.badRequest("'id' may hold printable ASCII characters only");
        }
        return id;
    }

    private static String optionalChannel(ObjectNode in) {
        String channel = optionalText(in, "channel", Integer.MAX_VALUE);
        if (channel != null && !Names.isChannel(channel)) {
            throw InvalidEventException.badRequest(badChannel(channel));
        }
        return channel;
    }

    public static String badChannel(String channel) {
        return "'" + abbreviate(channel) + "' is not a valid channel name: use 1 to " + Names.MAX_CHANNEL_LENGTH
                + " of A-Z a-z 0-9 _ - : . @";
    }

    private static String optionalTopic(ObjectNode in) {
        String topic = optionalText(in, "topic", Integer.MAX_VALUE);
        if (topic != null && !Names.isTopic(topic)) {
            throw InvalidEventException.badRequest("'" + abbreviate(topic) + "' is not a valid topic name: use 1 to "
                    + Names.MAX_TOPIC_LENGTH + " of A-Z a-z 0-9 _ -, optionally ending in .fifo");
        }
        return topic;
    }

    private static void requireRoute(String channel, String topic) {
        if (channel == null && topic == null) {
            throw InvalidEventException.badRequest("an event needs a 'channel', a 'topic', or both");
        }
    }

    private static void putRoute(ObjectNode envelope, String channel, String topic) {
        if (channel != null) {
            envelope.put("channel", channel);
        }
        if (topic != null) {
            envelope.put("topic", topic);
        }
    }

    private static String optionalGroup(ObjectNode in) {
        String group = optionalText(in, "group", MAX_GROUP_LENGTH);
        if (group != null && !isPrintableAscii(group, false)) {
            throw InvalidEventException.badRequest("'group' may hold printable ASCII characters only (no spaces)");
        }
        return group;
    }

    private static Map<String, String> optionalAttributes(ObjectNode in) {
        JsonNode node = in.get("attributes");
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw InvalidEventException.badRequest("'attributes' must be an object of strings, not " + describe(node));
        }
        if (node.size() > MAX_ATTRIBUTES) {
            throw InvalidEventException.badRequest("'attributes' may hold at most " + MAX_ATTRIBUTES + " entries");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            if (!isAttributeName(name)) {
                throw InvalidEventException.badRequest("attribute name '" + abbreviate(name) + "' is not valid: use 1 to "
                        + MAX_ATTRIBUTE_NAME_LENGTH + " of A-Z a-z 0-9 _ - . and do not start with AWS. or Amazon.");
            }
            if (!entry.getValue().isTextual()) {
                throw InvalidEventException.badRequest("attribute '" + name + "' must be a string, not " + describe(entry.getValue()));
            }
            attributes.put(name, entry.getValue().textValue());
        }
        return Map.copyOf(attributes);
    }

    static boolean isAttributeName(String name) {
        if (name.isEmpty() || name.length() > MAX_ATTRIBUTE_NAME_LENGTH || name.startsWith(".") || name.endsWith(".")
                || name.contains("..")) {
            return false;
        }
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("aws.") || lower.startsWith("amazon.")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
                    || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /** CloudEvents attribute names are lower-case letters and digits; data_base64 is the one spec exception. */
    private static boolean isContextAttributeName(String name) {
        if (name.equals("data_base64")) {
            return true;
        }
        if (name.isEmpty() || name.length() > 64) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTimestamp(String s) {
        try {
            OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean isPrintableAscii(String s, boolean allowSpace) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 126 || c < (allowSpace ? 32 : 33)) {
                return false;
            }
        }
        return true;
    }

    static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case STRING -> "a string";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
}
