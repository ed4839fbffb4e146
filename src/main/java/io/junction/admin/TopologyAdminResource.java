package io.junction.admin;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.junction.api.ApiKeyGuard;
import io.junction.auth.ApiKeys;
import io.junction.topology.TopologyReconciler;
import io.junction.topology.TopologyReport;

/**
 * Declared vs actual topology. GET reads what AWS holds now and compares it with the declaration
 * (drift); POST reconciles again. Blocking AWS calls: worker threads (plain return types).
 */
@Path("/api/admin/topology")
public class TopologyAdminResource {

    private final TopologyReconciler reconciler;
    private final ApiKeys apiKeys;

    TopologyAdminResource(TopologyReconciler reconciler, ApiKeys apiKeys) {
        this.reconciler = reconciler;
        this.apiKeys = apiKeys;
    }

    @GET
    public Response actual(@HeaderParam("Authorization") String authorization, @HeaderParam("X-Api-Key") String apiKey) {
        Response refused = ApiKeyGuard.refuse(apiKeys, authorization, apiKey, "admin");
        return refused != null ? refused : json(reconciler.check());
    }

    @POST
    @Path("/reconcile")
    public Response reconcile(@HeaderParam("Authorization") String authorization, @HeaderParam("X-Api-Key") String apiKey) {
        Response refused = ApiKeyGuard.refuse(apiKeys, authorization, apiKey, "admin");
        return refused != null ? refused : json(reconciler.reconcile());
    }

    private static Response json(TopologyReport report) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("applied", report.applied());
        out.put("confirmed", report.confirmed());
        out.put("changed", report.changed());
        ArrayNode subs = out.putArray("subscriptions");
        for (TopologyReport.Subscription s : report.subscriptions()) {
            ObjectNode n = subs.addObject();
            n.put("name", s.name());
            n.put("topicArn", s.topicArn());
            n.put("queueUrl", s.queueUrl());
            n.put("subscriptionArn", s.subscriptionArn());
            n.put("confirmed", s.confirmed());
            if (s.error() != null) {
                n.put("error", s.error());
            }
            ArrayNode steps = n.putArray("steps");
            s.steps().forEach(st -> steps.addObject().put("what", st.what()).put("outcome", st.outcome()));
            ArrayNode drift = n.putArray("drift");
            s.drift().forEach(d -> drift.addObject().put("what", d.what()).put("expected", d.expected()).put("actual", d.actual()));
        }
        return Response.ok(out.toString(), "application/json").build();
    }
}
