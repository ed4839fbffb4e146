package io.junction.realtime;

import java.lang.reflect.Field;

import org.jboss.logging.Logger;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.http.ServerWebSocket;

/**
 * Reaches the Vert.x socket under a websockets-next connection. websockets-next only sends text
 * as a {@code String}, which Vert.x encodes to UTF-8 again for every socket; event frames are
 * encoded once per node and written as the same bytes to every socket, which needs the socket itself.
 * If a Quarkus upgrade moves the field, sessions fall back to {@code sendText} (slower, still correct)
 * and this says so once in the log.
 */
@RegisterForReflection(classNames = "io.quarkus.websockets.next.runtime.WebSocketConnectionImpl", fields = true,
        methods = false)
final class SocketAccess {

    private static final Logger LOG = Logger.getLogger(SocketAccess.class);
    private static volatile Field field;
    private static volatile boolean unavailable;

    private SocketAccess() {
    }

    static ServerWebSocket of(WebSocketConnection connection) {
        if (unavailable) {
            return null;
        }
        try {
            Field f = field;
            if (f == null || f.getDeclaringClass() != connection.getClass()) {
                f = connection.getClass().getDeclaredField("webSocket");
                f.setAccessible(true);
                field = f;
            }
            return (ServerWebSocket) f.get(connection);
        } catch (ReflectiveOperationException | RuntimeException e) {
            unavailable = true;
            LOG.warnf("Cannot reach the Vert.x socket of a websockets-next connection (%s); event frames will be"
                    + " re-encoded per client", e.toString());
            return null;
        }
    }
}
