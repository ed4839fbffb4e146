package io.junction.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An RFC 9457 problem. The {@code type} is a URN per kind of problem, so clients can switch on it
 * without it pretending to be a web page.
 */
public record Problem(int status, String slug, String title, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem badRequest(String detail) {
        return new Problem(400, "invalid-event", "The event is not valid", detail);
    }

    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("type", "urn:junction:problem:" + slug);
        node.put("title", title);
        node.put("status", status);
        node.put("detail", detail);
        return node;
    }

    public String toJsonString() {
        return toJson().toString();
    }

    /** As a JAX-RS answer. */
    public jakarta.ws.rs.core.Response toResponse() {
        return jakarta.ws.rs.core.Response.status(status).type(MEDIA_TYPE).entity(toJsonString()).build();
    }
}
