package io.junction.sns;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.junction.api.Problem;
import io.junction.config.JunctionConfig;
import io.junction.config.JunctionConfig.Topology.SubscriptionSpec;
import io.junction.event.Event;
import io.junction.event.EventFactory;
import io.junction.event.InvalidEventException;
import io.junction.event.Names;
import io.junction.fanout.EventPublisher;
import io.junction.fanout.PublishRefusedException;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * {@code POST /sns/{subscription}}: where SNS delivers to an http(s) subscription declared with
 * {@code protocol=http}. Only genuine messages (see {@link SnsMessageVerifier}) for the declared
 * topic are taken: a SubscriptionConfirmation is confirmed with its token; a Notification's event is
 * handed to the subscription's channel (once per MessageId); an UnsubscribeConfirmation is logged.
 * SNS counts any 4xx as delivered (no retry), so only what will never be acceptable gets one; a
 * passing failure here (bus down, certificate not reachable) answers 5xx and SNS retries.
 * Runs on worker threads (blocking: certificate fetch, ConfirmSubscription).
 */
@Path("/sns/{subscription}")
public class SnsEndpoint {

    private static final Logger LOG = Logger.getLogger(SnsEndpoint.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z0-9_.]+)\\}");
    private static final int SEEN_MAX = 10_000;

    private final Map<String, SubscriptionSpec> subscriptions;
    private final SnsMessageVerifier verifier;
    private final EventFactory events;
    private final EventPublisher publisher;
    private final Instance<SnsClient> sns;
    /** MessageIds already handed on: SNS delivers at least once, clients should see an event once. */
    private final Set<String> seen = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > SEEN_MAX;
        }
    }));

    SnsEndpoint(JunctionConfig config, SnsMessageVerifier verifier, EventFactory events, EventPublisher publisher,
            Instance<SnsClient> sns) {
        this.subscriptions = config.topology().subscriptions();
        this.verifier = verifier;
        this.events = events;
        this.publisher = publisher;
        this.sns = sns;
    }

    @POST
    public Response receive(@PathParam("subscription") String name, String body) {
        SubscriptionSpec spec = subscriptions.get(name);
        if (spec == null || !"http".equals(spec.protocol())) {
            return problem(404, "not-found", "No such subscription", "no http subscription '" + name + "' is declared");
        }
        JsonNode message;
        try {
            message = MAPPER.readTree(body == null ? "" : body);
        } catch (Exception e) {
            return problem(400, "invalid-sns-message", "Not an SNS message", "the body is not JSON");
        }
        if (message == null || !message.isObject()) {
            return problem(400, "invalid-sns-message", "Not an SNS message", "the body is not a JSON object");
        }
        try {
            verifier.verify(message);
        } catch (SnsMessageVerifier.RejectedMessageException e) {
            LOG.warnf("SNS subscription %s: refused a message: %s", name, e.getMessage());
            return problem(403, "invalid-sns-signature", "Not a genuine SNS message", e.getMessage());
        } catch (SnsMessageVerifier.CertificateUnavailableException e) {
            LOG.warnf("SNS subscription %s: %s; SNS will retry", name, e.getMessage());
            return problem(503, "unavailable", "Cannot verify now", e.getMessage());
        }
        String topicArn = message.path("TopicArn").asText("");
        if (!topicArn.endsWith(":" + spec.topic())) {
            return problem(400, "unknown-topic", "Not this subscription's topic", "subscription '" + name
                    + "' takes messages from topic '" + spec.topic() + "' only");
        }
        return switch (message.path("Type").asText("")) {
            case "SubscriptionConfirmation" -> confirm(name, topicArn, message);
            case "Notification" -> deliver(name, spec, message);
            case "UnsubscribeConfirmation" -> {
                LOG.warnf("SNS subscription %s to %s was unsubscribed", name, topicArn);
                yield Response.ok().build();
            }
            default -> problem(400, "invalid-sns-message", "Not an SNS message", "unknown Type");
        };
    }

    private Response confirm(String name, String topicArn, JsonNode message) {
        try {
            String arn = sns.get().confirmSubscription(r -> r.topicArn(topicArn).token(message.path("Token").asText()))
                    .subscriptionArn();
            LOG.infof("SNS subscription %s confirmed: %s", name, arn);
            return Response.ok().build();
        } catch (RuntimeException e) {
            LOG.warnf("SNS subscription %s: confirmation failed (%s); SNS will send it again", name, e.toString());
            return problem(503, "unavailable", "Could not confirm now", "the confirmation failed; it will be retried");
        }
    }

    private Response deliver(String name, SubscriptionSpec spec, JsonNode message) {
        String messageId = message.path("MessageId").asText();
        if (seen.contains(messageId)) {
            return Response.ok().build();
        }
        ObjectNode request = toEvent(message);
        String channel = channel(spec.channel().orElse(name), request);
        if (channel == null || !Names.isChannel(channel)) {
            return problem(400, "no-channel", "No channel for this message",
                    "the subscription's channel template does not resolve to a channel name for this message");
        }
        request.put("channel", channel);
        Event event;
        try {
            event = events.fromRequest(request, "/junction/sns/" + name);
        } catch (InvalidEventException e) {
            return problem(400, "invalid-event", "The message is not a valid event", e.getMessage());
        }
        try {
            publisher.accept(event).await().atMost(Duration.ofSeconds(10));
        } catch (PublishRefusedException e) {
            return problem(503, "unavailable", "Cannot take events now", e.getMessage());
        } catch (RuntimeException e) {
            return problem(503, "unavailable", "Cannot take events now", "the event was not accepted; SNS will retry");
        }
        seen.add(messageId);
        return Response.ok().build();
    }

    /** The notification's message as an event: a CloudEvents envelope keeps its id, type and data. */
    static ObjectNode toEvent(JsonNode message) {
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        String text = message.path("Message").asText("");
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
            request.put("id", message.path("MessageId").asText());
            request.set("data", inner != null ? inner : JsonNodeFactory.instance.textNode(text));
        }
        return request;
    }

    /** Fills {@code {data.x.y}} placeholders from the event. */
    static String channel(String template, ObjectNode event) {
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

    private static Response problem(int status, String slug, String title, String detail) {
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(new Problem(status, slug, title, detail).toJsonString())
                .build();
    }
}
