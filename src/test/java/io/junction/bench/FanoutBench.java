package io.junction.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.junction.support.JunctionProcess;
import io.junction.support.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Cross-node fan-out benchmark: N Junction nodes (the packaged jar, each its own process) on one
 * private Redis; C WebSocket clients spread over the nodes and K channels; events POSTed to the nodes
 * in turn at rising rates. Prints and saves per rate: delivery latency (POST sent → frame received,
 * one clock), deliveries/s, lost and duplicated deliveries, POST ack latency, and the nodes' CPU time
 * per delivery; then RSS per idle subscribed connection on a fresh node, and time to ready.
 *
 * Run it with scripts/bench.sh; every figure in the README comes from its output.
 */
public final class FanoutBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        int nodes = Integer.parseInt(opt.getOrDefault("nodes", "2"));
        int clients = Integer.parseInt(opt.getOrDefault("clients", "1000"));
        int channels = Integer.parseInt(opt.getOrDefault("channels", "10"));
        int[] rates = Arrays.stream(opt.getOrDefault("rates", "100,300,450,600").split(",")).mapToInt(Integer::parseInt).toArray();
        int stepSeconds = Integer.parseInt(opt.getOrDefault("step-seconds", "15"));
        int warmupSeconds = Integer.parseInt(opt.getOrDefault("warmup-seconds", "20"));
        int idle = Integer.parseInt(opt.getOrDefault("idle", "10000"));
        int payload = Integer.parseInt(opt.getOrDefault("payload", "128"));
        List<String> jvm = List.of(opt.getOrDefault("jvm", "-XX:+UseSerialGC -Xmn32m -Xmx512m").split(" "));
        Path out = Path.of(opt.getOrDefault("out", "target/bench"));
        Files.createDirectories(out);

        JsonObject result = new JsonObject().put("machine", Machine.describe()).put("jvmOptions", String.join(" ", jvm))
                .put("setup", new JsonObject().put("nodes", nodes).put("clients", clients).put("channels", channels)
                        .put("receiversPerEvent", clients / channels).put("payloadBytes", payload)
                        .put("stepSeconds", stepSeconds).put("warmupSeconds", warmupSeconds));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        try (RedisServer redis = new RedisServer().start()) {
            // Every client connects from 127.0.0.1: the per-address limit is lifted for the benchmark.
            Map<String, String> env = new LinkedHashMap<>(Map.of("JUNCTION_BUS", "redis", "QUARKUS_REDIS_HOSTS", redis.url(),
                    "QUARKUS_LOG_LEVEL", "WARN", "JUNCTION_WEBSOCKET_MAX_CONNECTIONS_PER_IP", "0"));
            // Extra settings for the nodes, e.g. --env=QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE=1
            for (String pair : opt.getOrDefault("env", "").split(",")) {
                if (pair.contains("=")) {
                    env.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
                }
            }
            result.put("nodeEnv", new JsonObject(new LinkedHashMap<>(env)).copy().put("QUARKUS_REDIS_HOSTS", "(private)"));
            List<JunctionProcess> cluster = new ArrayList<>();
            JsonArray startup = new JsonArray();
            for (int i = 0; i < nodes; i++) {
                JunctionProcess node = new JunctionProcess("bench-" + (char) ('a' + i), env).jvmOptions(jvm).start();
                cluster.add(node);
                startup.add(new JsonObject().put("node", node.name()).put("readyAfterMs", node.readyAfterMillis()));
                say("%s ready after %d ms (pid %d)", node.name(), node.readyAfterMillis(), node.pid());
            }
            result.put("startup", startup);
            try {
                Fanout fanout = new Fanout(vertx, cluster, clients, channels, payload);
                fanout.connect();
                say("%d clients subscribed over %d channels on %d nodes; warming up for %d s", clients, channels, nodes,
                        warmupSeconds);
                fanout.step(rates[rates.length / 2], warmupSeconds / 2, false);
                fanout.step(rates[rates.length - 1], warmupSeconds - warmupSeconds / 2, false);
                say("%8s %12s %8s %8s %8s %8s %8s %6s %6s %9s %9s %10s", "events/s", "deliveries/s", "p50 ms", "p90 ms",
                        "p99 ms", "max ms", "ack p99", "lost", "dups", "cpu µs/d", "node cpu%", "gen cpu%");
                JsonArray steps = new JsonArray();
                for (int rate : rates) {
                    JsonObject step = fanout.step(rate, stepSeconds, true);
                    steps.add(step);
                    say("%8d %12.0f %8.2f %8.2f %8.2f %8.2f %8.2f %6d %6d %9.2f %9.0f %10.0f", rate,
                            step.getDouble("deliveriesPerSecond"), step.getDouble("p50Ms"), step.getDouble("p90Ms"),
                            step.getDouble("p99Ms"), step.getDouble("maxMs"), step.getDouble("ackP99Ms"), step.getLong("lost"),
                            step.getLong("duplicates"), step.getDouble("serverCpuMicrosPerDelivery"),
                            step.getDouble("nodesCpuPercent"), step.getDouble("generatorCpuPercent"));
                }
                result.put("steps", steps);
                fanout.close();

                if (idle > 0) {
                    JunctionProcess fresh = new JunctionProcess("bench-idle", env).jvmOptions(jvm).start();
                    cluster.add(fresh);
                    JsonObject idleResult = IdleConnections.measure(vertx, fresh, idle);
                    result.put("idle", idleResult);
                    say("%d idle subscribed connections: RSS %d MB → %d MB, %.1f KB per connection", idle,
                            idleResult.getLong("rssBeforeBytes") >> 20, idleResult.getLong("rssAfterBytes") >> 20,
                            idleResult.getDouble("rssPerConnectionKB"));
                }
            } finally {
                cluster.forEach(JunctionProcess::close);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        Files.writeString(out.resolve("fanout.json"), result.encodePrettily());
        Files.writeString(out.resolve("fanout.svg"), BenchChart.latencyChart(result));
        say("results: %s, chart: %s", out.resolve("fanout.json"), out.resolve("fanout.svg"));
    }

    static void say(String format, Object... args) {
        System.out.printf(format + "%n", args);
        System.out.flush();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opt = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                opt.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        return opt;
    }

    /** The clients, the publisher and what they count. */
    static final class Fanout {
        private final Vertx vertx;
        private final List<JunctionProcess> nodes;
        private final int clients;
        private final int channels;
        private final String pad;
        private final WebSocketClient wsClient;
        private final List<HttpClient> http = new ArrayList<>();
        private final List<WebSocket> sockets = new ArrayList<>();
        private final AtomicLong received = new AtomicLong();
        private final AtomicLong lost = new AtomicLong();
        private final AtomicLong duplicates = new AtomicLong();
        private volatile Percentiles latency = new Percentiles(1);
        private volatile boolean recording;

        Fanout(Vertx vertx, List<JunctionProcess> nodes, int clients, int channels, int payload) {
            this.vertx = vertx;
            this.nodes = nodes;
            this.clients = clients;
            this.channels = channels;
            this.pad = "x".repeat(Math.max(0, payload - 40));
            this.wsClient = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000)
                    .setConnectTimeout(20_000));
            for (JunctionProcess node : nodes) {
                http.add(vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                        .setDefaultPort(node.http("/").getPort()).setKeepAlive(true).setMaxPoolSize(32)));
            }
        }

        void connect() throws Exception {
            for (int start = 0; start < clients; start += 250) {
                List<Future<WebSocket>> batch = new ArrayList<>();
                for (int i = start; i < Math.min(clients, start + 250); i++) {
                    batch.add(open(i));
                }
                Future.all(batch).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                for (Future<WebSocket> f : batch) {
                    sockets.add(f.result());
                }
            }
        }

        private Future<WebSocket> open(int i) {
            JunctionProcess node = nodes.get(i % nodes.size());
            String channel = "bench:" + (i % channels);
            WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1")
                    .setPort(node.http("/").getPort()).setURI("/ws");
            return wsClient.connect(options).compose(ws -> {
                io.vertx.core.Promise<WebSocket> subscribed = io.vertx.core.Promise.promise();
                long[] lastSeq = { 0 };
                ws.handler(buffer -> onFrame(buffer, lastSeq, subscribed, ws));
                ws.writeTextMessage("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\",\"id\":1}");
                return subscribed.future();
            });
        }

        /** Runs on the client's event loop; reads seq and the send time out of the bytes, no JSON parsing. */
        private void onFrame(Buffer frame, long[] lastSeq, io.vertx.core.Promise<WebSocket> subscribed, WebSocket ws) {
            long now = System.nanoTime();
            if (!startsWith(frame, EVENT)) {
                if (startsWith(frame, SUBSCRIBED)) {
                    subscribed.tryComplete(ws);
                }
                return;
            }
            long seq = number(frame, SEQ);
            long sent = number(frame, SENT);
            long last = lastSeq[0];
            if (last != 0 && seq != last + 1) {
                if (seq <= last) {
                    duplicates.incrementAndGet();
                    return;
                }
                lost.addAndGet(seq - last - 1);
            }
            lastSeq[0] = seq;
            received.incrementAndGet();
            if (recording) {
                latency.add((now - sent) / 1_000);
            }
        }

        JsonObject step(int rate, int seconds, boolean record) throws Exception {
            int receivers = clients / channels;
            long events = (long) rate * seconds;
            Percentiles stepLatency = new Percentiles((int) Math.min(Integer.MAX_VALUE - 8, events * receivers + 1024));
            Percentiles ack = new Percentiles((int) events + 1024);
            latency = stepLatency;
            recording = record;
            long receivedBefore = received.get();
            long lostBefore = lost.get();
            long dupBefore = duplicates.get();
            long[] cpuBefore = nodes.stream().mapToLong(n -> ProcStats.cpuNanos(n.pid())).toArray();
            long genCpuBefore = ProcStats.cpuNanos(ProcessHandle.current().pid());
            long begin = System.nanoTime();
            AtomicLong sent = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            CompletableFuture<Void> done = new CompletableFuture<>();
            long timer = vertx.setPeriodic(2, id -> {
                long elapsed = System.nanoTime() - begin;
                long due = Math.min(events, rate * elapsed / 1_000_000_000L);
                while (sent.get() < due) {
                    long n = sent.getAndIncrement();
                    publish(n, ack, failed);
                }
                if (sent.get() >= events) {
                    vertx.cancelTimer(id);
                    done.complete(null);
                }
            });
            done.get(seconds + 30L, TimeUnit.SECONDS);
            long publishedNanos = System.nanoTime() - begin;
            long expected = (events - failed.get()) * receivers;
            long drainEnd = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (received.get() - receivedBefore < expected && System.nanoTime() < drainEnd) {
                Thread.sleep(20);
            }
            long elapsed = System.nanoTime() - begin;
            vertx.cancelTimer(timer);
            recording = false;
            long delivered = received.get() - receivedBefore;
            long cpu = 0;
            for (int i = 0; i < nodes.size(); i++) {
                cpu += ProcStats.cpuNanos(nodes.get(i).pid()) - cpuBefore[i];
            }
            long genCpu = ProcStats.cpuNanos(ProcessHandle.current().pid()) - genCpuBefore;
            Percentiles.Summary s = stepLatency.summary();
            Percentiles.Summary a = ack.summary();
            return new JsonObject().put("eventsPerSecond", rate).put("events", events).put("failedPosts", failed.get())
                    .put("deliveries", delivered).put("deliveriesPerSecond", delivered / (publishedNanos / 1e9))
                    .put("p50Ms", s.p50() / 1000.0).put("p90Ms", s.p90() / 1000.0).put("p99Ms", s.p99() / 1000.0)
                    .put("maxMs", s.max() / 1000.0).put("ackP50Ms", a.p50() / 1000.0).put("ackP99Ms", a.p99() / 1000.0)
                    .put("lost", Math.max(0, expected - delivered))
                    .put("seqGaps", lost.get() - lostBefore).put("duplicates", duplicates.get() - dupBefore)
                    .put("serverCpuMicrosPerDelivery", delivered == 0 ? 0 : cpu / 1000.0 / delivered)
                    .put("nodesCpuPercent", 100.0 * cpu / elapsed).put("generatorCpuPercent", 100.0 * genCpu / elapsed);
        }

        private void publish(long n, Percentiles ack, AtomicLong failed) {
            HttpClient client = http.get((int) (n % http.size()));
            String body = "{\"type\":\"bench\",\"channel\":\"bench:" + (n % channels) + "\",\"data\":{\"sent\":"
                    + System.nanoTime() + ",\"pad\":\"" + pad + "\"}}";
            long start = System.nanoTime();
            client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/events")
                    .putHeader("content-type", "application/json"))
                    .compose(req -> req.send(body))
                    .onComplete(ar -> {
                        if (ar.succeeded() && ar.result().statusCode() == 202) {
                            ack.add((System.nanoTime() - start) / 1_000);
                        } else {
                            failed.incrementAndGet();
                        }
                    });
        }

        void close() {
            sockets.forEach(ws -> ws.close());
            wsClient.close();
            http.forEach(HttpClient::close);
        }

        private static final byte[] EVENT = "{\"op\":\"event\"".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] SUBSCRIBED = "{\"op\":\"subscribed\"".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] SENT = "\"sent\":".getBytes(StandardCharsets.US_ASCII);

        private static boolean startsWith(Buffer b, byte[] prefix) {
            if (b.length() < prefix.length) {
                return false;
            }
            for (int i = 0; i < prefix.length; i++) {
                if (b.getByte(i) != prefix[i]) {
                    return false;
                }
            }
            return true;
        }

        private static long number(Buffer b, byte[] key) {
            int n = b.length();
            outer: for (int i = 0; i <= n - key.length; i++) {
                for (int j = 0; j < key.length; j++) {
                    if (b.getByte(i + j) != key[j]) {
                        continue outer;
                    }
                }
                long value = 0;
                for (int k = i + key.length; k < n; k++) {
                    byte c = b.getByte(k);
                    if (c < '0' || c > '9') {
                        break;
                    }
                    value = value * 10 + (c - '0');
                }
                return value;
            }
            return -1;
        }
    }
}
