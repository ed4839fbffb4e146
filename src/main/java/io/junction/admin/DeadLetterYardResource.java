package io.junction.admin;

import java.util.Optional;
import java.util.function.Supplier;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.junction.api.ApiKeyGuard;
import io.junction.api.Problem;
import io.junction.auth.ApiKeys;
import io.junction.sqs.DeadLetterYard;

/**
 * The dead-letter yard (admin scope): {@code GET /api/admin/dlq} lists every declared subscription's
 * dead-letter queue with its depth; {@code GET .../{subscription}/messages} peeks without losing
 * anything; {@code POST .../{subscription}/redrive} moves all (or {@code ?messageId=}) back to the
 * source; {@code DELETE .../{subscription}/messages} purges. Blocking SQS calls: worker threads.
 */
@Path("/api/admin/dlq")
public class DeadLetterYardResource {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final DeadLetterYard yard;
    private final ApiKeys apiKeys;

    DeadLetterYardResource(DeadLetterYard yard, ApiKeys apiKeys) {
        this.yard = yard;
        this.apiKeys = apiKeys;
    }

    @GET
    public Response list(@HeaderParam("Authorization") String authorization, @HeaderParam("X-Api-Key") String apiKey) {
        return guarded(authorization, apiKey, () -> json(JsonNodeFactory.instance.objectNode().set("queues",
                MAPPER.valueToTree(yard.list()))));
    }

    @GET
    @Path("/{subscription}/messages")
    public Response peek(@PathParam("subscription") String subscription, @QueryParam("max") @DefaultValue("10") int max,
            @HeaderParam("Authorization") String authorization, @HeaderParam("X-Api-Key") String apiKey) {
        return guarded(authorization, apiKey, () -> json(JsonNodeFactory.instance.objectNode().set("messages",
                MAPPER.valueToTree(yard.peek(subscription, max)))));
    }

    @POST
    @Path("/{subscription}/redrive")
    public Response redrive(@PathParam("subscription") String subscription, @QueryParam("messageId") String messageId,
            @HeaderParam("Authorization") String authorization, @HeaderParam("X-Api-Key") String apiKey) {
        return guarded(authorization, apiKey, () -> json((ObjectNode) MAPPER.valueToTree(
                yard.redrive(subscription, Optional.ofNullable(messageId).filter(s -> !s.isBlank())))));
    }

    @DELETE
    @Path("/{subscription}/messages")
    public Response purge(@PathParam("subscription") String subscription, @HeaderParam("Authorization") String authorization,
            @HeaderParam("X-Api-Key") String apiKey) {
        return guarded(authorization, apiKey, () -> {
            yard.purge(subscription);
            return Response.noContent().build();
        });
    }

    private Response guarded(String authorization, String apiKey, Supplier<Response> action) {
        Response refused = ApiKeyGuard.refuse(apiKeys, authorization, apiKey, "admin");
        if (refused != null) {
            return refused;
        }
        try {
            return action.get();
        } catch (DeadLetterYard.UnknownException e) {
            return problem(404, "not-found", "No such dead-letter queue or message", e.getMessage());
        } catch (DeadLetterYard.ConflictException e) {
            return problem(409, "conflict", "Not possible for this subscription now", e.getMessage());
        } catch (RuntimeException e) {
            return problem(503, "unavailable", "SQS could not be reached", e.toString());
        }
    }

    private static Response json(ObjectNode body) {
        return Response.ok(body.toString(), "application/json").build();
    }

    private static Response problem(int status, String slug, String title, String detail) {
        return new Problem(status, slug, title, detail).toResponse();
    }
}
