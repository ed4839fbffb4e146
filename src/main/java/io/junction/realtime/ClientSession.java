package io.junction.realtime;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

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
    private final String user;
    private final WebSocketConnection connection;
    private final ServerWebSocket socket;
    private final HubShard shard;
    private final long connectedAt = System.currentTimeMillis();
    final Map<String, Subscription> subscriptions = new HashMap<>();
    private boolean closed;

    ClientSession(String id, String user, WebSocketConnection connection, HubShard shard) {
        this.id = id;
        this.user = user;
        this.connection = connection;
        this.socket = SocketAccess.of(connection);
        this.shard = shard;
    }

    public String id() {
        return id;
    }

    public String user() {
        return user;
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
        } else {
            connection.sendText(new String(frame, StandardCharsets.UTF_8)).subscribe().with(ok -> {
            }, failure -> {
            });
        }
    }
}
