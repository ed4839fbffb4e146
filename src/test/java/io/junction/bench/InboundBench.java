package io.junction.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.junction.sns.SigningCertificate;
import io.junction.support.Aws;
import io.junction.support.JunctionProcess;
import io.junction.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Events from other services into channels, through both inbound paths of one Junction (packaged
 * jar): signed SNS notifications POSTed to {@code /sns/<name>} (SignatureVersion 2, certificate made
 * here; each message verified, handed to the channel and answered), and messages sent to a queue that
 * Junction's SQS consumer drains (the emulator). One WebSocket client counts what arrives.
 * Run it with scripts/bench-inbound.sh; it needs a running AWS emulator.
 */
public final class InboundBench {

    static final int IN_FLIGHT = 32;
    static final int WINDOW = 50;

    public static void main(String[] args) throws Exception {
        try {
            run();
        } finally {
            System.exit(0); // the certificate server's thread would keep the JVM alive
        }
    }

    static void run() throws Exception {
        int posts = 5000;
        int queued = 2000;
        String sfx = UUID.randomUUID().toString().substring(0, 8);
        String topic = "bench-in-" + sfx;
        String queue = "bench-in-q-" + sfx;
        String cert = SigningCertificate.serve();
        Path config = Path.of("target", "bench", "inbound.properties").toAbsolutePath();
        Files.createDirectories(config.getParent());
        Files.writeString(config, String.join("\n",
                "junction.topology.reconcile-on-start=false",
                "junction.sns.trusted-cert-urls=" + cert.substring(0, cert.lastIndexOf('/') + 1),
                "junction.topology.subscriptions.web.topic=" + topic,
                "junction.topology.subscriptions.web.protocol=http",
                "junction.topology.subscriptions.web.channel=bench:in",
                "junction.topology.subscriptions.feed.topic=" + topic,
                "junction.topology.subscriptions.feed.queue=" + queue,
                "junction.topology.subscriptions.feed.channel=bench:in",
                "junction.topology.subscriptions.feed.raw=true",
                "junction.sqs.wait-time=2S", ""));
        Map<String, String> env = new HashMap<>(Map.of("QUARKUS_CONFIG_LOCATIONS", config.toString(), "QUARKUS_LOG_LEVEL", "WARN"));
        Aws.junctionConfig(Aws.ENDPOINT).forEach((k, v) -> env.put(k.toUpperCase().replace('.', '_').replace('-', '_'), v));
        JsonObject result = new JsonObject().put("machine", Machine.describe());
        try (SqsClient sqs = Aws.sqs()) {
            String queueUrl = sqs.createQueue(b -> b.queueName(queue)).queueUrl();
            try (JunctionProcess node = new JunctionProcess("inbound", env)
                    .jvmOptions(List.of("-XX:+UseSerialGC", "-Xmn32m", "-Xmx512m")).start();
                    WsClient client = WsClient.welcomed(node.ws())) {
                client.subscribe("bench:in");
                String topicArn = "arn:aws:sns:us-east-1:123456789012:" + topic;
                httpPath(node, client, topicArn, 1000, cert); // warm-up
                JsonObject http = httpPath(node, client, topicArn, posts, cert);
                JsonObject sqsPath = sqsPath(sqs, queueUrl, client, queued);
                result.put("snsHttp", http).put("sqsConsumer", sqsPath);
                FanoutBench.say("SNS http endpoint: %,d signed notifications, 32 in flight: %,.0f/s, answer p50 %.2f ms, p99 %.2f ms,"
                        + " all delivered: %s", posts, http.getDouble("perSecond"), http.getDouble("p50Ms"), http.getDouble("p99Ms"),
                        http.getBoolean("allDelivered"));
                FanoutBench.say("SQS consumer: %,d messages sent in batches of 10, at most 50 outstanding: %,.0f delivered/s, send→client p50 %.0f ms,"
                        + " p99 %.0f ms", queued, sqsPath.getDouble("perSecond"), sqsPath.getDouble("p50Ms"), sqsPath.getDouble("p99Ms"));
            }
        }
        Files.writeString(Path.of("target/bench/inbound.json"), result.encodePrettily());
    }

    static JsonObject httpPath(JunctionProcess node, WsClient client, String topicArn, int n, String certUrl) throws Exception {
        PrivateKey key = SigningCertificate.key();
        List<String> bodies = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            JsonObject m = new JsonObject().put("Type", "Notification").put("MessageId", UUID.randomUUID().toString())
                    .put("TopicArn", topicArn).put("Message", new JsonObject().put("n", i).encode())
                    .put("Timestamp", Instant.now().toString()).put("SignatureVersion", "2").put("SigningCertURL", certUrl);
            String canonical = "Message\n" + m.getString("Message") + "\nMessageId\n" + m.getString("MessageId") + "\nTimestamp\n"
                    + m.getString("Timestamp") + "\nTopicArn\n" + topicArn + "\nType\nNotification\n";
            bodies.add(m.put("Signature", SigningCertificate.sign(key, canonical, "SHA256withRSA")).encode());
        }
        Vertx vertx = Vertx.vertx();
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(node.http("/").getPort()).setMaxPoolSize(IN_FLIGHT).setKeepAlive(true));
        Percentiles answers = new Percentiles(n);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        CompletableFuture<Void> done = new CompletableFuture<>();
        long start = System.nanoTime();
        // Closed loop: IN_FLIGHT requests outstanding, each answer sends the next.
        Runnable[] send = new Runnable[1];
        send[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= n) {
                return;
            }
            long sent = System.nanoTime();
            http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/sns/web")
                    .putHeader("content-type", "text/plain; charset=UTF-8")).compose(r -> r.send(bodies.get(i))).onComplete(ar -> {
                        answers.add((System.nanoTime() - sent) / 1000);
                        if (ar.failed() || ar.result().statusCode() != 200) {
                            failed.incrementAndGet();
                        }
                        if (answered.incrementAndGet() == n) {
                            done.complete(null);
                        }
                        send[0].run();
                    });
        };
        vertx.runOnContext(v -> {
            for (int k = 0; k < IN_FLIGHT; k++) {
                send[0].run();
            }
        });
        done.get(120, TimeUnit.SECONDS);
        vertx.close();
        int delivered = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (delivered < n && System.nanoTime() < deadline) {
            delivered += (int) client.drain().stream().filter(f -> "event".equals(f.getString("op"))).count();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Percentiles.Summary p = answers.summary();
        return new JsonObject().put("messages", n).put("perSecond", n / seconds).put("p50Ms", p.p50() / 1000.0)
                .put("p99Ms", p.p99() / 1000.0).put("failed", failed.get()).put("allDelivered", delivered == n);
    }

    /**
     * Closed loop, at most WINDOW messages sent and not yet at the client: the emulator's receive
     * cost grows with its backlog (moto: ~0.9 s per receive with 2,000 waiting), so a deep queue would
     * measure moto, not the consumer.
     */
    static JsonObject sqsPath(SqsClient sqs, String queueUrl, WsClient client, int n) {
        Percentiles latencies = new Percentiles(n);
        int sent = 0;
        int got = 0;
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(180).toNanos();
        while (got < n && System.nanoTime() < deadline) {
            while (sent < n && sent - got + 10 <= WINDOW) {
                List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                for (int j = 0; j < 10 && sent < n; j++, sent++) {
                    String body = new JsonObject().put("specversion", "1.0").put("id", UUID.randomUUID().toString())
                            .put("type", "bench").put("source", "/bench")
                            .put("data", new JsonObject().put("sent", System.nanoTime())).encode();
                    entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(j)).messageBody(body).build());
                }
                sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            }
            JsonObject f = client.next(Duration.ofSeconds(30));
            if ("event".equals(f.getString("op"))) {
                latencies.add((System.nanoTime() - f.getJsonObject("event").getJsonObject("data").getLong("sent")) / 1000);
                got++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Percentiles.Summary p = latencies.summary();
        return new JsonObject().put("messages", n).put("delivered", got).put("window", WINDOW).put("perSecond", got / seconds)
                .put("p50Ms", p.p50() / 1000.0).put("p99Ms", p.p99() / 1000.0);
    }
}
