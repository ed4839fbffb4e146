package io.junction.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.junction.support.Aws;
import io.junction.support.JunctionProcess;
import io.junction.support.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * POST /api/events in both ack modes, with events that name a channel and an SNS topic (the full
 * path): ack latency at a fixed 2,000 requests/s, then the most requests/s wrk gets with 50
 * connections, and how fast the relay moves the outbox to SNS (the emulator) meanwhile.
 * Run it with scripts/bench-publish.sh; it needs wrk, a running AWS emulator and redis-server.
 */
public final class PublishBench {

    public static void main(String[] args) throws Exception {
        int seconds = 15;
        Path out = Path.of("target/bench");
        Files.createDirectories(out);
        Path lua = out.resolve("post.lua");
        String topic = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        Files.writeString(lua, "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
                + "wrk.body = '{\"type\":\"bench\",\"channel\":\"bench:1\",\"topic\":\"" + topic
                + "\",\"data\":{\"pad\":\"" + "x".repeat(100) + "\"}}'\n");
        JsonObject result = new JsonObject().put("machine", Machine.describe()).put("topic", topic);
        JsonArray modes = new JsonArray();
        Vertx vertx = Vertx.vertx();
        try (RedisServer redis = new RedisServer().start()) {
            for (String mode : List.of("accepted", "durable")) {
                Map<String, String> env = new HashMap<>(Map.of("JUNCTION_ACK_MODE", mode, "JUNCTION_SNS_ENABLED", "true",
                        "JUNCTION_SNS_CREATE_TOPICS", "true", "JUNCTION_SNS_TOPICS", topic, "QUARKUS_LOG_LEVEL", "WARN",
                        "JUNCTION_OUTBOX_MEMORY_CAPACITY", "2000000"));
                if (mode.equals("durable")) {
                    env.put("JUNCTION_BUS", "redis");
                    env.put("QUARKUS_REDIS_HOSTS", redis.url());
                }
                Aws.junctionConfig(Aws.ENDPOINT).forEach((k, v) -> env.put(k.toUpperCase().replace('.', '_').replace('-', '_'), v));
                try (JunctionProcess node = new JunctionProcess("publish-" + mode, env)
                        .jvmOptions(List.of("-XX:+UseSerialGC", "-Xmn32m", "-Xmx1g")).start()) {
                    fixedRate(vertx, node, topic, 2000, 5); // warm-up
                    JsonObject fixed = fixedRate(vertx, node, topic, 2000, seconds);
                    double publishedBefore = metric(node, "junction_sns_published_total");
                    long t0 = System.nanoTime();
                    JsonObject wrk = wrk(node, lua, seconds);
                    double relayPerSecond = (metric(node, "junction_sns_published_total") - publishedBefore)
                            / ((System.nanoTime() - t0) / 1e9);
                    JsonObject m = new JsonObject().put("ackMode", mode).put("at2000PerSecond", fixed).put("wrk50", wrk)
                            .put("snsRelayEventsPerSecond", relayPerSecond);
                    modes.add(m);
                    FanoutBench.say("%-9s at 2,000 req/s: ack p50 %.2f ms, p99 %.2f ms, max %.2f ms | wrk -c50: %,.0f req/s,"
                            + " p50 %s, p99 %s, non-2xx %d | SNS relay %,.0f events/s", mode, fixed.getDouble("p50Ms"),
                            fixed.getDouble("p99Ms"), fixed.getDouble("maxMs"), wrk.getDouble("requestsPerSecond"),
                            wrk.getString("p50"), wrk.getString("p99"), wrk.getLong("non2xx"), relayPerSecond);
                }
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        result.put("modes", modes);
        Files.writeString(out.resolve("publish.json"), result.encodePrettily());
        FanoutBench.say("results: %s", out.resolve("publish.json"));
    }

    static JsonObject fixedRate(Vertx vertx, JunctionProcess node, String topic, int rate, int seconds) throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(node.http("/").getPort()).setMaxPoolSize(64).setKeepAlive(true));
        long total = (long) rate * seconds;
        Percentiles acks = new Percentiles((int) total + 16);
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        String body = "{\"type\":\"bench\",\"channel\":\"bench:1\",\"topic\":\"" + topic + "\",\"data\":{\"pad\":\""
                + "x".repeat(100) + "\"}}";
        CompletableFuture<Void> done = new CompletableFuture<>();
        long begin = System.nanoTime();
        vertx.setPeriodic(1, id -> {
            long due = Math.min(total, rate * (System.nanoTime() - begin) / 1_000_000_000L);
            while (sent.get() < due) {
                sent.incrementAndGet();
                long start = System.nanoTime();
                client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/events")
                        .putHeader("content-type", "application/json")).compose(req -> req.send(body)).onComplete(ar -> {
                            if (ar.succeeded() && ar.result().statusCode() == 202) {
                                acks.add((System.nanoTime() - start) / 1000);
                            } else {
                                failed.incrementAndGet();
                            }
                            if (answered.incrementAndGet() == total) {
                                done.complete(null);
                            }
                        });
            }
            if (sent.get() >= total) {
                vertx.cancelTimer(id);
            }
        });
        done.get(seconds + 60L, TimeUnit.SECONDS);
        client.close();
        Percentiles.Summary s = acks.summary();
        return new JsonObject().put("requests", total).put("failed", failed.get()).put("p50Ms", s.p50() / 1000.0)
                .put("p99Ms", s.p99() / 1000.0).put("maxMs", s.max() / 1000.0);
    }

    static JsonObject wrk(JunctionProcess node, Path lua, int seconds) throws Exception {
        Process p = new ProcessBuilder("wrk", "-t2", "-c50", "-d" + seconds + "s", "--latency", "-s", lua.toString(),
                node.http("/api/events").toString()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        Files.writeString(Path.of("target/bench/wrk-" + node.name() + ".txt"), text);
        return new JsonObject().put("requestsPerSecond", Double.parseDouble(find(text, "Requests/sec:\\s+([0-9.]+)")))
                .put("p50", find(text, "\\s50%\\s+(\\S+)")).put("p99", find(text, "\\s99%\\s+(\\S+)"))
                .put("non2xx", Long.parseLong(findOr(text, "Non-2xx or 3xx responses:\\s+(\\d+)", "0")));
    }

    static double metric(JunctionProcess node, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(node.get("/q/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("wrk output lacks " + regex + ":\n" + text);
        }
        return m.group(1);
    }

    private static String findOr(String text, String regex, String fallback) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1) : fallback;
    }
}
