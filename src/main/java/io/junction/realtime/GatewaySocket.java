package io.junction.realtime;

import io.junction.config.JunctionConfig;
import io.junction.config.NodeIdentity;
import io.junction.lifecycle.GracefulShutdown;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.buffer.Buffer;

import org.jboss.logging.Logger;

/**
 * The {@code /ws} endpoint. Every callback runs on the connection's event loop ({@code @NonBlocking}),
 * where the session and its subscriptions live.
 */
@WebSocket(path = "/ws")
public class GatewaySocket {

    private static final Logger LOG = Logger.getLogger(GatewaySocket.class);
    private static final TypedKey<ClientSession> SESSION = new TypedKey<>("junction.session");

    private final Hub hub;
    private final ClientProtocol protocol;
    private final NodeIdentity node;
    private final long heartbeatMillis;

    private final GracefulShutdown shutdown;
    private final ConnectionLimits limits;

    GatewaySocket(Hub hub, ClientProtocol protocol, NodeIdentity node, JunctionConfig config, GracefulShutdown shutdown,
            ConnectionLimits limits) {
        this.shutdown = shutdown;
        this.limits = limits;
        this.hub = hub;
        this.protocol = protocol;
        this.node = node;
        this.heartbeatMillis = config.websocket().heartbeat().toMillis();
    }

    @OnOpen
    @NonBlocking
    public void onOpen(WebSocketConnection connection) {
        if (shutdown.draining()) {
            close(connection, GracefulShutdown.SERVICE_RESTART, "service restart");
            return;
        }
        String ip = ClientSession.clientAddress(connection, SocketAccess.of(connection));
        switch (limits.admit(ip, connection.handshakeRequest().header("Origin"))) {
            case TOO_MANY -> {
                close(connection, 1013, "too many connections; try again later");
                return;
            }
            case ORIGIN_NOT_ALLOWED -> {
                close(connection, 1008, "origin not allowed");
                return;
            }
            case OK -> {
            }
        }
        ClientSession session = hub.open(connection, null);
        connection.userData().put(SESSION, session);
        session.send(ControlFrames.welcome(session.id(), node.id(), heartbeatMillis));
    }

    @OnTextMessage
    @NonBlocking
    public void onText(String message, WebSocketConnection connection) {
        ClientSession session = connection.userData().get(SESSION);
        if (session != null) {
            protocol.handle(session, message);
        }
    }

    @OnBinaryMessage
    @NonBlocking
    public void onBinary(Buffer message, WebSocketConnection connection) {
        ClientSession session = connection.userData().get(SESSION);
        if (session != null) {
            session.send(ControlFrames.error(null, ErrorCode.bad_request, "binary frames are not supported; send JSON text frames"));
        }
    }

    @OnClose
    @NonBlocking
    public void onClose(WebSocketConnection connection) {
        ClientSession session = connection.userData().get(SESSION);
        if (session != null) {
            hub.close(session);
            limits.release(session.ip());
        }
    }

    @OnError
    @NonBlocking
    public void onError(WebSocketConnection connection, Throwable failure) {
        if (failure instanceof CorruptedWebSocketFrameException corrupted) {
            // Over the frame limit (netty says 1009) or not WebSocket at all: the contract's answer is
            // a close code, and nothing more can be read from this connection.
            close(connection, corrupted.closeStatus().code(), corrupted.closeStatus().reasonText());
            return;
        }
        if (failure instanceof IllegalStateException && String.valueOf(failure.getMessage()).contains("max message size")) {
            // Vert.x reports a message whose fragments add up past the limit this way, untyped.
            close(connection, 1009, "Message too large");
            return;
        }
        if (connection.isClosed()) {
            return;
        }
        // A bug in Junction, not a client mistake (those are answered in ClientProtocol): tell the
        // client without details and keep the connection.
        LOG.errorf(failure, "unexpected failure on session %s", connection.id());
        ClientSession session = connection.userData().get(SESSION);
        if (session != null) {
            session.send(ControlFrames.error(null, ErrorCode.internal, "internal error"));
        }
    }

    private static void close(WebSocketConnection connection, int code, String reason) {
        connection.close(new CloseReason(code, reason)).subscribe().with(ok -> {
        }, alreadyClosed -> {
        });
    }
}
