package io.junction.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.junction.support.JunctionProcess;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/** Resident memory a node spends per idle, subscribed WebSocket connection. */
final class IdleConnections {

    private IdleConnections() {
    }

    static JsonObject measure(Vertx vertx, JunctionProcess node, int count) throws Exception {
        long pid = node.pid();
        ProcStats.gc(pid);
        Thread.sleep(1000); // let the collector give back what it will before the baseline
        long before = ProcStats.rssBytes(pid);
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(count + 10)
                .setConnectTimeout(30_000));
        List<WebSocket> sockets = new ArrayList<>(count);
        int port = node.http("/").getPort();
        for (int start = 0; start < count; start += 500) {
            List<Future<WebSocket>> batch = new ArrayList<>();
            for (int i = start; i < Math.min(count, start + 500); i++) {
                String channel = "idle:" + (i % 100);
                batch.add(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws"))
                        .compose(ws -> {
                            Promise<WebSocket> subscribed = Promise.promise();
                            ws.textMessageHandler(text -> {
                                if (text.startsWith("{\"op\":\"subscribed\"")) {
                                    subscribed.tryComplete(ws);
                                }
                            });
                            ws.writeTextMessage("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\",\"id\":1}");
                            return subscribed.future();
                        }));
            }
            Future.all(batch).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            batch.forEach(f -> sockets.add(f.result()));
        }
        ProcStats.gc(pid);
        Thread.sleep(1000);
        long after = ProcStats.rssBytes(pid);
        sockets.forEach(WebSocket::close);
        client.close();
        return new JsonObject().put("connections", count).put("rssBeforeBytes", before).put("rssAfterBytes", after)
                .put("rssPerConnectionKB", (after - before) / 1024.0 / count);
    }
}
