package io.junction.realtime;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import io.junction.auth.Identity;
import io.netty.buffer.Unpooled;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;

/**
 * One connected client. Lives on the event loop of its connection: every method is called there,
 * so its state needs no locks.
 */
public final class ClientSession {

    private final String id;
    private final Identity identity;
    private final WebSocketConnection connection;
    private final ServerWebSocket socket;
    private final HubShard shard;
    private final long connectedAt = System.currentTimeMillis();
    final Map<String, Subscription> subscriptions = new HashMap<>();
    final RateLimiter limiter;
    private final String ip;
    private final Runnable onTooSlow;
    private boolean closed;

    ClientSession(String id, Identity identity, WebSocketConnection connection, HubShard shard, RateLimiter limiter,
            int maxOutboundBytes, Runnable onTooSlow) {
        this.id = id;
        this.identity = identity;
        this.connection = connection;
        this.socket = SocketAccess.of(connection);
        this.shard = shard;
        this.limiter = limiter;
        this.onTooSlow = onTooSlow;
        this.ip = clientAddress(connection, socket);
        if (socket != null) {
            // The bound on what may wait for this client; past it the client is too slow (see send).
            socket.setWriteQueueMaxSize(maxOutboundBytes);
        }
    }

    /** The client's address (the forwarded one when proxy address forwarding is on). */
    static String clientAddress(WebSocketConnection connection, ServerWebSocket socket) {
        if (socket != null && socket.remoteAddress() != null) {
            return socket.remoteAddress().hostAddress();
        }
        String remote = connection.handshakeRequest().remoteAddress();
        return remote == null ? null : remote.substring(0, Math.max(0, remote.lastIndexOf(':')));
    }

    public String ip() {
        return ip;
    }

    public String id() {
        return id;
    }

    public String user() {
        return identity.user();
    }

    public Identity identity() {
        return identity;
    }

    HubShard shard() {
        return shard;
    }

    long connectedAt() {
        return connectedAt;
    }

    boolean isClosed() {
        return closed || connection.isClosed();
    }

    void markClosed() {
        closed = true;
    }

    void close(short code, String reason) {
        close(connection, code, reason);
    }

    /** Closes with a code; a connection that is already closing needs nothing more. */
    static void close(WebSocketConnection connection, int code, String reason) {
        connection.close(new CloseReason(code, reason)).subscribe().with(ok -> {
        }, alreadyClosed -> {
        });
    }

    /**
     * Writes one text frame. The bytes are wrapped, not copied, so one encoded event frame serves
     * every socket it goes to.
     */
    void send(byte[] frame) {
        if (isClosed()) {
            return;
        }
        if (socket != null) {
            socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, Unpooled.wrappedBuffer(frame), true));
            if (socket.writeQueueFull()) {
                // More than max-outbound-bytes wait for this client: it cannot keep up. Closing it
                // bounds its memory and keeps it from holding back anyone else.
                closed = true;
                onTooSlow.run();
                close((short) 1013, "too slow: the client did not keep up with its events");
            }
        } else {
            connection.sendText(new String(frame, StandardCharsets.UTF_8)).subscribe().with(ok -> {
            }, failure -> {
            });
        }
    }
}
