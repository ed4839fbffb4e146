package io.junction.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonObject;

/**
 * A real WebSocket client over a real socket (the JDK's), as a test sees it: frames arrive in a
 * queue and are taken with a deadline, never after a blind sleep.
 */
public final class WsClient implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;
    private volatile boolean paused;
    private int nextId = 1;

    private WsClient(URI uri, java.util.Map<String, String> headers, boolean paused) {
        this.paused = paused;
        // The listener is given before the connection exists, so no frame can arrive unheard.
        try {
            WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(WAIT);
            headers.forEach(builder::header);
            this.socket = builder.buildAsync(ws(uri), new Listener()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("could not connect to " + uri, e);
        }
    }

    public static WsClient connect(URI uri) {
        return new WsClient(uri, java.util.Map.of(), false);
    }

    public static WsClient connect(URI uri, java.util.Map<String, String> headers) {
        return new WsClient(uri, headers, false);
    }

    /**
     * A client that reads its first frame and then nothing more, until {@link #resume()}: the kernel
     * buffers fill and the server must notice that it cannot keep up.
     */
    public static WsClient neverReading(URI uri) {
        return new WsClient(uri, java.util.Map.of(), true);
    }

    public void resume() {
        paused = false;
        socket.request(Long.MAX_VALUE);
    }

    /** Connects and consumes the welcome frame, which the contract puts first. */
    public static WsClient welcomed(URI uri) {
        WsClient c = connect(uri);
        assertThat(c.next().getString("op")).isEqualTo("welcome");
        return c;
    }

    private static URI ws(URI uri) {
        return URI.create(uri.toString().replaceFirst("^http", "ws"));
    }

    public int send(JsonObject frame) {
        int id = nextId++;
        sendRaw(frame.copy().put("id", id).encode());
        return id;
    }

    public void sendRaw(String text) {
        await(socket.sendText(text, true));
    }

    public void sendBinary(byte[] bytes) {
        await(socket.sendBinary(ByteBuffer.wrap(bytes), true));
    }

    /** Subscribes and returns the {@code subscribed} reply, failing on anything else. */
    public JsonObject subscribe(String channel) {
        int id = send(new JsonObject().put("op", "subscribe").put("channel", channel));
        JsonObject reply = next();
        assertThat(reply.getString("op")).as("reply to subscribe %s: %s", channel, reply).isEqualTo("subscribed");
        assertThat(reply.getInteger("id")).isEqualTo(id);
        return reply;
    }

    public JsonObject next() {
        return next(WAIT);
    }

    public JsonObject next(Duration wait) {
        try {
            JsonObject f = frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (f == null) {
                fail("no frame arrived within " + wait + (closed.isDone() ? "; the connection closed with " + closed.getNow(null) : ""));
            }
            return f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next frame, which must have this op. */
    public JsonObject expect(String op) {
        JsonObject f = next();
        assertThat(f.getString("op")).as("frame %s", f).isEqualTo(op);
        return f;
    }

    public List<JsonObject> events(int n) {
        List<JsonObject> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(expect("event"));
        }
        return out;
    }

    /** Every frame that has arrived and not been taken yet, without waiting. */
    public List<JsonObject> drain() {
        List<JsonObject> out = new ArrayList<>();
        frames.drainTo(out);
        return out;
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** The close code the server sent. */
    public int awaitClose() {
        try {
            return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the server did not close the connection within " + WAIT, e);
        }
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
        }
        socket.abort();
    }

    private static void await(CompletableFuture<WebSocket> sent) {
        try {
            sent.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("could not send", e);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(new JsonObject(partial.toString()));
                partial.setLength(0);
            }
            if (!paused) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            if (!paused) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
