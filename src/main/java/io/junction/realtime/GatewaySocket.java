package io.junction.realtime;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import io.junction.auth.Identity;
import io.junction.auth.TokenVerifier;
import io.junction.config.JunctionConfig;
import io.junction.config.NodeIdentity;
import io.junction.lifecycle.GracefulShutdown;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
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
    private static final TypedKey<Long> EXPIRY_TIMER = new TypedKey<>("junction.expiry");

    private final Hub hub;
    private final ClientProtocol protocol;
    private final NodeIdentity node;
    private final long heartbeatMillis;

    private final GracefulShutdown shutdown;
    private final ConnectionLimits limits;

    private final boolean anonymous;
    private final TokenVerifier tokens;
    private final Vertx vertx;

    GatewaySocket(Hub hub, ClientProtocol protocol, NodeIdentity node, JunctionConfig config, GracefulShutdown shutdown,
            ConnectionLimits limits, TokenVerifier tokens, Vertx vertx) {
        this.anonymous = config.auth().anonymous();
        this.tokens = tokens;
        this.vertx = vertx;
        this.shutdown = shutdown;
        this.limits = limits;
        this.hub = hub;
        this.protocol = protocol;
        this.node = node;
        this.heartbeatMillis = config.websocket().heartbeat().toMillis();
    }

    @OnOpen
    @NonBlocking
    public Uni<Void> onOpen(WebSocketConnection connection) {
        if (shutdown.draining()) {
            close(connection, GracefulShutdown.SERVICE_RESTART, "service restart");
            return Uni.createFrom().voidItem();
        }
        String ip = ClientSession.clientAddress(connection, SocketAccess.of(connection));
        switch (limits.admit(ip, connection.handshakeRequest().header("Origin"))) {
            case TOO_MANY -> {
                close(connection, 1013, "too many connections; try again later");
                return Uni.createFrom().voidItem();
            }
            case ORIGIN_NOT_ALLOWED -> {
                close(connection, 1008, "origin not allowed");
                return Uni.createFrom().voidItem();
            }
            case OK -> {
            }
        }
        if (anonymous) {
            start(connection, Identity.ANONYMOUS);
            return Uni.createFrom().voidItem();
        }
        // Verification may fetch a JWKS: off the event loop, then back onto it to open the session.
        Context loop = Vertx.currentContext();
        String token = token(connection);
        return Uni.createFrom().item(() -> tokens.verify(token))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .emitOn(task -> loop.runOnContext(v -> task.run()))
                .onItem().invoke(identity -> {
                    if (connection.isClosed()) {
                        limits.release(ip);
                    } else {
                        start(connection, identity);
                    }
                })
                .onFailure().invoke(failure -> {
                    limits.release(ip);
                    String reason = failure instanceof TokenVerifier.InvalidTokenException ? failure.getMessage() : "authentication failed";
                    close(connection, 1008, reason.length() > 120 ? reason.substring(0, 120) : reason);
                })
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private void start(WebSocketConnection connection, Identity identity) {
        ClientSession session = hub.open(connection, identity);
        connection.userData().put(SESSION, session);
        session.send(ControlFrames.welcome(session.id(), node.id(), heartbeatMillis));
        long expires = identity.expiresAtMillis();
        if (expires > 0) {
            // A session lives no longer than its token; the client reconnects with a fresh one.
            long timer = vertx.setTimer(Math.max(1, expires - System.currentTimeMillis()),
                    id -> session.close((short) 1008, "token expired"));
            connection.userData().put(EXPIRY_TIMER, timer);
        }
    }

    /** The token from {@code Authorization: Bearer}, else from {@code ?token=} (browsers cannot set headers). */
    static String token(WebSocketConnection connection) {
        String header = connection.handshakeRequest().header("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7).trim();
        }
        String query = connection.handshakeRequest().query();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("token=")) {
                    return URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
                }
            }
        }
        return null;
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
            Long timer = connection.userData().get(EXPIRY_TIMER);
            if (timer != null) {
                vertx.cancelTimer(timer);
            }
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
        ClientSession.close(connection, code, reason);
    }
}
