package io.junction.admin;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import io.junction.api.ApiKeyGuard;
import io.junction.api.Problem;
import io.junction.auth.ApiKeys;
import io.junction.fanout.EventPublisher;
import io.junction.outbox.DeadLetter;
import io.junction.outbox.OutboxStore;
import io.junction.sns.TopicRegistry;

/**
 * The SNS outbox as an operator sees it: how much waits, and the dead letters (events SNS refused
 * for good) with their reasons, each of which can be sent again. These calls may block on Redis, so
 * they run on worker threads (the default for resource methods with plain return types).
 */
@Path("/api/admin/outbox")
public class OutboxAdminResource {

    private final Instance<OutboxStore> outbox;
    private final TopicRegistry topics;
    private final EventPublisher publisher;

    private final ApiKeys apiKeys;

    OutboxAdminResource(Instance<OutboxStore> outbox, TopicRegistry topics, EventPublisher publisher, ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
        this.outbox = outbox;
        this.topics = topics;
        this.publisher = publisher;
    }

    @GET
    public Response state(@HeaderParam("Authorization") String authorization, @HeaderParam("X-Api-Key") String apiKey) {
        Response refused = ApiKeyGuard.refuse(apiKeys, authorization, apiKey, "admin");
        if (refused != null) {
            return refused;
        }
        if (!topics.enabled()) {
            return disabled();
        }
        OutboxStore.Depth depth = outbox.get().depth();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("ackMode", publisher.ackMode().name());
        out.put("entries", depth.entries());
        out.put("oldestAgeMillis", depth.oldestAgeMillis());
        out.put("deadLetters", depth.deadLetters());
        out.putPOJO("topics", topics.declared());
        return Response.ok(out.toString(), "application/json").build();
    }

    @GET
    @Path("/dead")
    public Response dead(@QueryParam("limit") @DefaultValue("100") int limit,
            @HeaderParam("Authorization") String authorization, @HeaderParam("X-Api-Key") String apiKey) {
        Response refused = ApiKeyGuard.refuse(apiKeys, authorization, apiKey, "admin");
        if (refused != null) {
            return refused;
        }
        if (!topics.enabled()) {
            return disabled();
        }
        if (limit < 1 || limit > 1000) {
            return problem(new Problem(400, "invalid-query", "The query is not valid", "limit must be between 1 and 1000"));
        }
        ArrayNode letters = JsonNodeFactory.instance.arrayNode();
        for (DeadLetter d : outbox.get().deadLetters(limit)) {
            ObjectNode l = letters.addObject();
            l.put("ref", d.ref());
            l.put("event", d.entry().eventId());
            l.put("topic", d.entry().topic());
            l.put("type", d.entry().type());
            l.put("reason", d.reason());
            l.put("failedAt", d.failedAt());
            l.putRawValue("envelope", new RawValue(new String(d.entry().envelope(), StandardCharsets.UTF_8)));
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("deadLetters", letters);
        return Response.ok(out.toString(), "application/json").build();
    }

    @POST
    @Path("/dead/{ref}/retry")
    public Response retry(@PathParam("ref") String ref, @HeaderParam("Authorization") String authorization,
            @HeaderParam("X-Api-Key") String apiKey) {
        Response refused = ApiKeyGuard.refuse(apiKeys, authorization, apiKey, "admin");
        if (refused != null) {
            return refused;
        }
        if (!topics.enabled()) {
            return disabled();
        }
        if (!outbox.get().retryDead(ref)) {
            return problem(new Problem(404, "not-found", "No such dead letter", "there is no dead letter '" + ref + "'"));
        }
        return Response.accepted("{\"ref\":\"" + ref.replace("\"", "") + "\",\"status\":\"requeued\"}")
                .type("application/json").build();
    }

    private static Response disabled() {
        return problem(new Problem(404, "sns-disabled", "SNS publishing is off", "set junction.sns.enabled=true"));
    }

    private static Response problem(Problem p) {
        return p.toResponse();
    }
}
