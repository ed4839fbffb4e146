package io.junction.realtime;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.junction.bus.Offset;
import io.junction.config.JunctionConfig;
import io.junction.event.Event;
import io.junction.event.EventFactory;
import io.junction.event.InvalidEventException;
import io.junction.event.Names;
import io.junction.fanout.EventPublisher;
import io.junction.fanout.PublishRefusedException;

/**
 * Reads client frames and answers them, per the WebSocket table of the wire contract. Every frame
 * gets exactly one answer: its reply, or an {@code error} frame that says what was wrong with it.
 */
@ApplicationScoped
public class ClientProtocol {

    private final ObjectReader reader;
    private final Hub hub;
    private final EventFactory events;
    private final EventPublisher publisher;
    private final boolean clientPublish;

    private final ConnectionLimits limits;
    private final int rate;

    ClientProtocol(ObjectMapper mapper, Hub hub, EventFactory events, EventPublisher publisher, JunctionConfig config,
            ConnectionLimits limits) {
        this.limits = limits;
        this.rate = config.websocket().messageRate();
        this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.hub = hub;
        this.events = events;
        this.publisher = publisher;
        this.clientPublish = config.websocket().clientPublish();
    }

    void handle(ClientSession session, String text) {
        if (!session.limiter.tryTake()) {
            if (session.limiter.abused()) {
                limits.rateAbuserClosed();
                session.close((short) 1008, "message rate limit ignored");
            } else {
                session.send(ControlFrames.error(null, ErrorCode.rate_limited, "too many frames; slow down (at most "
                        + rate + " per second)"));
            }
            return;
        }
        ObjectNode frame;
        try {
            JsonNode node = reader.readTree(text);
            if (node == null || node.isMissingNode()) {
                session.send(ControlFrames.error(null, ErrorCode.bad_request, "empty frame"));
                return;
            }
            if (!node.isObject()) {
                session.send(ControlFrames.error(null, ErrorCode.bad_request, "a frame must be a JSON object"));
                return;
            }
            frame = (ObjectNode) node;
        } catch (JsonProcessingException e) {
            session.send(ControlFrames.error(null, ErrorCode.bad_request, "frame is not valid JSON: " + e.getOriginalMessage()));
            return;
        }
        JsonNode idNode = frame.get("id");
        Long id = null;
        if (idNode != null && !idNode.isNull()) {
            if (!idNode.isIntegralNumber() || !idNode.canConvertToLong()) {
                session.send(ControlFrames.error(null, ErrorCode.bad_request, "'id' must be an integer"));
                return;
            }
            id = idNode.longValue();
        }
        JsonNode op = frame.get("op");
        if (op == null || !op.isTextual()) {
            session.send(ControlFrames.error(id, ErrorCode.bad_request, "'op' is required and must be a string"));
            return;
        }
        switch (op.textValue()) {
            case "subscribe" -> subscribe(session, frame, id);
            case "unsubscribe" -> unsubscribe(session, frame, id);
            case "publish" -> publish(session, frame, id);
            case "ping" -> session.send(ControlFrames.pong(id));
            default -> session.send(ControlFrames.error(id, ErrorCode.bad_request, "unknown op '" + op.textValue()
                    + "'; expected subscribe, unsubscribe, publish or ping"));
        }
    }

    private void subscribe(ClientSession session, ObjectNode frame, Long id) {
        String channel = channel(session, frame, id);
        if (channel == null) {
            return;
        }
        JsonNode sinceNode = frame.get("since");
        Offset since = null;
        if (sinceNode != null && !sinceNode.isNull()) {
            if (!sinceNode.isTextual()) {
                session.send(ControlFrames.error(id, ErrorCode.bad_request, "'since' must be an offset string"));
                return;
            }
            try {
                since = Offset.parse(sinceNode.textValue());
            } catch (IllegalArgumentException e) {
                session.send(ControlFrames.error(id, ErrorCode.bad_request, e.getMessage()));
                return;
            }
        }
        hub.subscribe(session, channel, since, id);
    }

    private void unsubscribe(ClientSession session, ObjectNode frame, Long id) {
        String channel = channel(session, frame, id);
        if (channel != null) {
            hub.unsubscribe(session, channel, id);
        }
    }

    private void publish(ClientSession session, ObjectNode frame, Long id) {
        if (!clientPublish) {
            session.send(ControlFrames.error(id, ErrorCode.forbidden, "clients may not publish on this server"));
            return;
        }
        Event event;
        try {
            event = events.fromClientPublish(frame);
        } catch (InvalidEventException e) {
            ErrorCode code = e.kind() == InvalidEventException.Kind.TOO_LARGE ? ErrorCode.too_large : ErrorCode.bad_request;
            session.send(ControlFrames.error(id, code, e.getMessage()));
            return;
        }
        if (!session.identity().mayPublish(event.channel())) {
            session.send(ControlFrames.error(id, ErrorCode.forbidden, "this token may not publish to '" + event.channel() + "'"));
            return;
        }
        HubShard shard = session.shard();
        publisher.accept(event).subscribe().with(
                ok -> shard.execute(() -> session.send(ControlFrames.ack(id, event.id()))),
                failure -> shard.execute(() -> session.send(ControlFrames.error(id,
                        failure instanceof PublishRefusedException ? ErrorCode.rate_limited : ErrorCode.internal,
                        "the event was not accepted: " + failure.getMessage()))));
    }

    private static String channel(ClientSession session, ObjectNode frame, Long id) {
        JsonNode node = frame.get("channel");
        if (node == null || node.isNull()) {
            session.send(ControlFrames.error(id, ErrorCode.bad_request, "'channel' is required"));
            return null;
        }
        if (!node.isTextual()) {
            session.send(ControlFrames.error(id, ErrorCode.bad_request, "'channel' must be a string"));
            return null;
        }
        if (!Names.isChannel(node.textValue())) {
            session.send(ControlFrames.error(id, ErrorCode.bad_request, EventFactory.badChannel(node.textValue())));
            return null;
        }
        return node.textValue();
    }
}
