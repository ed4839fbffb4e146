package io.junction.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.junction.auth.ApiKeys;
import io.junction.config.JunctionConfig;
import io.junction.event.Event;
import io.junction.event.EventFactory;
import io.junction.event.InvalidEventException;
import io.junction.fanout.EventPublisher;
import io.junction.fanout.PublishRefusedException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * {@code POST /api/events} and {@code /api/events/batch}: the fast-ack publish API. Plain Vert.x
 * routes on the event loop: the body is read with a hard size limit, checked, turned into an
 * envelope, handed to the {@link EventPublisher}, and answered {@code 202} as soon as that says the
 * event is safe. Every refusal is {@code application/problem+json}.
 */
@ApplicationScoped
public class EventRoutes {

    private static final Logger LOG = Logger.getLogger(EventRoutes.class);
    static final String JSON = "application/json";
    static final String CLOUDEVENTS = "application/cloudevents+json";
    static final String CLOUDEVENTS_BATCH = "application/cloudevents-batch+json";
    /** Room for fields Junction ignores and for whitespace around an event at the size limit. */
    private static final int BODY_SLACK_BYTES = 16 * 1024;

    private final ObjectReader reader;
    private final EventFactory factory;
    private final EventPublisher publisher;
    private final JunctionConfig config;

    private final ApiKeys apiKeys;

    EventRoutes(ObjectMapper mapper, EventFactory factory, EventPublisher publisher, JunctionConfig config, ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
        this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.factory = factory;
        this.publisher = publisher;
        this.config = config;
    }

    void register(@Observes Router router) {
        router.post("/api/events")
                .handler(BodyHandler.create(false).setBodyLimit(config.limits().maxEventBytes() + BODY_SLACK_BYTES))
                .handler(this::single)
                .failureHandler(this::failure);
        router.post("/api/events/batch")
                .handler(BodyHandler.create(false).setBodyLimit(config.limits().maxBatchBytes()))
                .handler(this::batch)
                .failureHandler(this::failure);
    }

    /** Answers 401/403 and returns false when the request's API key does not allow publishing. */
    private boolean allowed(RoutingContext ctx) {
        return switch (apiKeys.check(ctx.request().getHeader("authorization"), ctx.request().getHeader("x-api-key"), "publish")) {
            case ALLOWED -> true;
            case MISSING_OR_UNKNOWN -> {
                ctx.response().putHeader("www-authenticate", "Bearer");
                send(ctx, new Problem(401, "unauthorized", "An API key is required",
                        "send a valid API key as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'"));
                yield false;
            }
            case WRONG_SCOPE -> {
                send(ctx, new Problem(403, "forbidden", "Not allowed", "this API key may not publish events"));
                yield false;
            }
        };
    }

    private void single(RoutingContext ctx) {
        if (!allowed(ctx)) {
            return;
        }
        String type = mediaType(ctx);
        if (!JSON.equals(type) && !CLOUDEVENTS.equals(type)) {
            unsupported(ctx, type, JSON + " or " + CLOUDEVENTS);
            return;
        }
        Event event;
        try {
            JsonNode body = parse(ctx.body().buffer());
            event = CLOUDEVENTS.equals(type) ? factory.fromCloudEvent(body) : factory.fromRequest(body, EventFactory.SOURCE_API);
        } catch (InvalidEventException e) {
            send(ctx, problemFor(e));
            return;
        }
        publisher.accept(event).subscribe().with(
                ok -> ctx.response().setStatusCode(202).putHeader("content-type", JSON)
                        .end(accepted(event.id()).toString()),
                failure -> refused(ctx, failure));
    }

    private void batch(RoutingContext ctx) {
        if (!allowed(ctx)) {
            return;
        }
        String type = mediaType(ctx);
        if (!JSON.equals(type) && !CLOUDEVENTS_BATCH.equals(type)) {
            unsupported(ctx, type, JSON + " or " + CLOUDEVENTS_BATCH);
            return;
        }
        JsonNode body;
        try {
            body = parse(ctx.body().buffer());
        } catch (InvalidEventException e) {
            send(ctx, problemFor(e));
            return;
        }
        if (!body.isArray()) {
            send(ctx, new Problem(400, "invalid-batch", "The batch is not valid", "a batch must be a JSON array of events"));
            return;
        }
        int max = config.limits().maxBatchItems();
        if (body.size() > max) {
            send(ctx, new Problem(413, "batch-too-large", "The batch is too large",
                    "a batch holds at most " + max + " events; this one has " + body.size()));
            return;
        }
        if (body.isEmpty()) {
            send(ctx, new Problem(400, "invalid-batch", "The batch is not valid", "the batch is empty"));
            return;
        }
        boolean envelopes = CLOUDEVENTS_BATCH.equals(type);
        ObjectNode[] results = new ObjectNode[body.size()];
        // One after the other: each item is stored only after the one before it, so a batch keeps
        // its order in every channel and in every FIFO topic (concurrent stores over a connection
        // pool could overtake each other).
        Uni<Void> all = Uni.createFrom().voidItem();
        for (int i = 0; i < body.size(); i++) {
            JsonNode item = body.get(i);
            Event event;
            try {
                event = envelopes ? factory.fromCloudEvent(item) : factory.fromRequest(item, EventFactory.SOURCE_API);
            } catch (InvalidEventException e) {
                results[i] = rejected(problemFor(e));
                continue;
            }
            int index = i;
            results[i] = accepted(event.id());
            all = all.chain(() -> publisher.accept(event).onFailure().recoverWithUni(failure -> {
                results[index] = rejected(problemForRefusal(failure));
                return Uni.createFrom().voidItem();
            }));
        }
        all.subscribe().with(ok -> {
            ArrayNode items = JsonNodeFactory.instance.arrayNode();
            int acceptedCount = 0;
            for (ObjectNode r : results) {
                items.add(r);
                if ("accepted".equals(r.path("status").asText())) {
                    acceptedCount++;
                }
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("accepted", acceptedCount);
            out.put("rejected", results.length - acceptedCount);
            out.set("results", items);
            ctx.response().setStatusCode(202).putHeader("content-type", JSON).end(out.toString());
        }, failure -> refused(ctx, failure));
    }

    private JsonNode parse(Buffer body) {
        if (body == null || body.length() == 0) {
            throw InvalidEventException.badRequest("the request body is empty");
        }
        try {
            JsonNode node = reader.readTree(body.getBytes());
            if (node == null || node.isMissingNode()) {
                throw InvalidEventException.badRequest("the request body is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw InvalidEventException.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw InvalidEventException.badRequest("the body could not be read: " + e.getMessage());
        }
    }

    private static String mediaType(RoutingContext ctx) {
        String header = ctx.request().getHeader("content-type");
        if (header == null) {
            return null;
        }
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase(java.util.Locale.ROOT);
    }

    private static void unsupported(RoutingContext ctx, String type, String expected) {
        send(ctx, new Problem(415, "unsupported-media-type", "Unsupported media type",
                (type == null ? "the request has no content-type" : "content-type " + type + " is not accepted")
                        + "; send " + expected));
    }

    static Problem problemFor(InvalidEventException e) {
        return e.kind() == InvalidEventException.Kind.TOO_LARGE
                ? new Problem(413, "event-too-large", "The event is too large", e.getMessage())
                : Problem.badRequest(e.getMessage());
    }

    private static Problem problemForRefusal(Throwable failure) {
        if (failure instanceof InvalidEventException invalid) {
            return problemFor(invalid);
        }
        if (failure instanceof PublishRefusedException) {
            return new Problem(503, "unavailable", "Junction cannot take events now", failure.getMessage());
        }
        return new Problem(500, "internal", "Internal error", "the event was not accepted");
    }

    private static void refused(RoutingContext ctx, Throwable failure) {
        if (failure instanceof PublishRefusedException refusal) {
            ctx.response().putHeader("retry-after", Integer.toString(refusal.retryAfterSeconds()));
        } else if (!(failure instanceof InvalidEventException)) {
            LOG.error("an event could not be accepted", failure);
        }
        send(ctx, problemForRefusal(failure));
    }

    private void failure(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (status == 413) {
            send(ctx, new Problem(413, "body-too-large", "The request body is too large",
                    "the body is larger than this endpoint takes (" + (ctx.request().path().endsWith("/batch")
                            ? config.limits().maxBatchBytes() + " bytes for a batch"
                            : config.limits().maxEventBytes() + " bytes for an event") + ")"));
        } else if (status >= 400 && status < 500) {
            send(ctx, new Problem(status, "bad-request", "Bad request", "the request could not be read"));
        } else {
            if (ctx.failure() != null) {
                LOG.error("publish request failed", ctx.failure());
            }
            send(ctx, new Problem(500, "internal", "Internal error", "the request failed inside Junction"));
        }
    }

    private static ObjectNode accepted(String id) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", id);
        node.put("status", "accepted");
        return node;
    }

    private static ObjectNode rejected(Problem problem) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("status", "rejected");
        node.set("error", problem.toJson());
        return node;
    }

    static void send(RoutingContext ctx, Problem problem) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(problem.status()).putHeader("content-type", Problem.MEDIA_TYPE)
                .end(problem.toJsonString());
    }
}
