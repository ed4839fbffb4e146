package io.junction.api;

import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import io.junction.auth.ApiKeys;
import io.junction.bus.Bus;
import io.junction.bus.Delivery;
import io.junction.bus.Offset;
import io.junction.config.JunctionConfig;
import io.junction.event.EventFactory;
import io.junction.event.Names;
import io.junction.presence.Presence;
import io.junction.presence.PresenceEntry;
import io.smallrye.mutiny.Uni;

/** Read side of a channel: its kept history and who is subscribed to it. */
@Path("/api/channels/{channel}")
public class ChannelsResource {

    private final Bus bus;
    private final Presence presence;
    private final int historySize;

    private final ApiKeys apiKeys;

    ChannelsResource(Bus bus, Presence presence, JunctionConfig config, ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
        this.bus = bus;
        this.presence = presence;
        this.historySize = Math.max(1, config.history().size());
    }

    /**
     * Events after {@code since} (oldest first, at most {@code limit}), or the newest {@code limit}
     * without it. {@code recovered} says whether nothing between {@code since} and the first returned
     * event was lost.
     */
    @GET
    @Path("/history")
    public Uni<Response> history(@PathParam("channel") String channel, @QueryParam("since") String since,
            @QueryParam("limit") Integer limit, @HeaderParam("Authorization") String authorization,
            @HeaderParam("X-Api-Key") String apiKey) {
        Response refused = ApiKeyGuard.refuse(apiKeys, authorization, apiKey, "read");
        if (refused != null) {
            return Uni.createFrom().item(refused);
        }
        if (!Names.isChannel(channel)) {
            return Uni.createFrom().item(problem(Problem.badRequest(EventFactory.badChannel(channel))));
        }
        int max = limit == null ? historySize : limit;
        if (max < 1 || max > historySize) {
            return Uni.createFrom().item(problem(new Problem(400, "invalid-query", "The query is not valid",
                    "limit must be between 1 and " + historySize)));
        }
        Offset from;
        try {
            from = Offset.parse(since);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(problem(new Problem(400, "invalid-query", "The query is not valid", e.getMessage())));
        }
        return bus.history(channel, from, max).map(slice -> {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("channel", channel);
            out.put("offset", slice.topOffset().toString());
            if (from != null) {
                out.put("recovered", slice.reachesBackTo(from));
            }
            ArrayNode events = out.putArray("events");
            for (Delivery d : slice.events()) {
                ObjectNode item = events.addObject();
                item.put("offset", d.offset().toString());
                item.put("seq", d.seq());
                item.putRawValue("event", new RawValue(new String(d.envelope(), StandardCharsets.UTF_8)));
            }
            return Response.ok(out.toString(), "application/json").build();
        });
    }

    @GET
    @Path("/presence")
    public Uni<Response> presence(@PathParam("channel") String channel, @HeaderParam("Authorization") String authorization,
            @HeaderParam("X-Api-Key") String apiKey) {
        Response refused = ApiKeyGuard.refuse(apiKeys, authorization, apiKey, "read");
        if (refused != null) {
            return Uni.createFrom().item(refused);
        }
        if (!Names.isChannel(channel)) {
            return Uni.createFrom().item(problem(Problem.badRequest(EventFactory.badChannel(channel))));
        }
        return presence.list(channel).map(entries -> {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("channel", channel);
            ArrayNode clients = out.putArray("clients");
            for (PresenceEntry e : entries) {
                ObjectNode c = clients.addObject();
                c.put("session", e.session());
                if (e.user() != null) {
                    c.put("user", e.user());
                }
                c.put("node", e.node());
                c.put("joinedAt", e.joinedAt());
            }
            return Response.ok(out.toString(), "application/json").build();
        });
    }

    private static Response problem(Problem problem) {
        return problem.toResponse();
    }
}
