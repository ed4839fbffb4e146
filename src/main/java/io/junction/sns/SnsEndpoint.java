package io.junction.sns;

import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.junction.api.Problem;
import io.junction.config.JunctionConfig;
import io.junction.config.JunctionConfig.Topology.SubscriptionSpec;
import io.junction.fanout.PublishRefusedException;
import io.junction.inbound.InboundDelivery;
import io.junction.inbound.UndeliverableException;
import io.junction.topology.Subscriptions;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * {@code POST /sns/{subscription}}: where SNS delivers to an http(s) subscription declared with
 * {@code protocol=http}. Only genuine messages (see {@link SnsMessageVerifier}) for the declared
 * topic are taken: a SubscriptionConfirmation is confirmed with its token; a Notification's event is
 * handed to the subscription's channel (once per MessageId); an UnsubscribeConfirmation is logged.
 * SNS counts any 4xx as delivered (no retry), so only what will never be acceptable (forged, stale,
 * another topic) gets one; a passing failure (bus down, certificate not reachable) answers 503 and a
 * message with no channel under the current configuration 500: SNS retries, then dead-letters it.
 * Runs on worker threads (blocking: certificate fetch, ConfirmSubscription).
 */
@Path("/sns/{subscription}")
public class SnsEndpoint {

    private static final Logger LOG = Logger.getLogger(SnsEndpoint.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, SubscriptionSpec> subscriptions;
    private final SnsMessageVerifier verifier;
    private final InboundDelivery delivery;
    private final Instance<SnsClient> sns;
    private final MeterRegistry registry;

    SnsEndpoint(JunctionConfig config, SnsMessageVerifier verifier, InboundDelivery delivery, Instance<SnsClient> sns,
            MeterRegistry registry) {
        this.subscriptions = config.topology().subscriptions();
        this.verifier = verifier;
        this.delivery = delivery;
        this.sns = sns;
        this.registry = registry;
    }

    @POST
    public Response receive(@PathParam("subscription") String name, String body) {
        SubscriptionSpec spec = subscriptions.get(name);
        if (spec == null || !Subscriptions.deliversToJunction(spec)) {
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
            registry.counter("junction.sns.confirmations", "subscription", name).increment();
            return Response.ok().build();
        } catch (RuntimeException e) {
            LOG.warnf("SNS subscription %s: confirmation failed (%s); SNS will send it again", name, e.toString());
            return problem(503, "unavailable", "Could not confirm now", "the confirmation failed; it will be retried");
        }
    }

    private Response deliver(String name, SubscriptionSpec spec, JsonNode message) {
        try {
            delivery.deliver(name, spec.channel().orElse(name), message).await().atMost(Duration.ofSeconds(10));
            return Response.ok().build();
        } catch (UndeliverableException e) {
            // Not a 4xx: SNS would count it delivered and drop it. Its retries then move it to the
            // subscription's dead-letter queue, where it can be redriven once the configuration is fixed.
            return problem(500, e.reason(), "The message cannot go to a channel", e.getMessage());
        } catch (PublishRefusedException e) {
            return problem(503, "unavailable", "Cannot take events now", e.getMessage());
        } catch (RuntimeException e) {
            return problem(503, "unavailable", "Cannot take events now", "the event was not accepted; SNS will retry");
        }
    }

    private static Response problem(int status, String slug, String title, String detail) {
        return new Problem(status, slug, title, detail).toResponse();
    }
}
