package io.junction.packaged;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.junction.support.Deadline;
import io.junction.support.JunctionProcess;
import io.junction.support.RedisServer;
import io.junction.support.WsClient;
import io.vertx.core.json.JsonObject;

/**
 * A pod stopped the way Kubernetes stops it, while it holds 500 clients and events keep flowing:
 * every client is told 1012, resumes on the other pod with {@code since}, and ends up with exactly
 * the events that were acknowledged.
 */
class GracefulShutdownIT {

    static final int CLIENTS = 500;
    static final int CHANNELS = 10;

    @Test
    void sigtermHandsEveryClientToTheOtherPodWithoutLosingAnEvent() throws Exception {
        try (RedisServer redis = new RedisServer().start()) {
            // All 500 clients come from 127.0.0.1: lift the per-address limit.
            Map<String, String> env = Map.of("JUNCTION_BUS", "redis", "QUARKUS_REDIS_HOSTS", redis.url(),
                    "JUNCTION_WEBSOCKET_MAX_CONNECTIONS_PER_IP", "0");
            try (JunctionProcess stopping = new JunctionProcess("stopping", env).start();
                    JunctionProcess staying = new JunctionProcess("staying", env).start()) {
                List<WsClient> clients = new ArrayList<>();
                try {
                    for (int i = 0; i < CLIENTS; i++) {
                        WsClient c = WsClient.welcomed(stopping.ws());
                        c.subscribe(channel(i));
                        clients.add(c);
                    }
                    Map<String, List<String>> acked = new ConcurrentHashMap<>();
                    AtomicBoolean publishing = new AtomicBoolean(true);
                    List<Throwable> publishErrors = new CopyOnWriteArrayList<>();
                    Thread publisher = new Thread(() -> {
                        int n = 0;
                        while (publishing.get()) {
                            // About 200 events/s over 10 channels: a steady flow, well inside each
                            // channel's kept history (100 events) for a client that resumes in time.
                            sleepQuietly(5);
                            String channel = channel(n++);
                            try {
                                HttpResponse<String> r = staying.post("/api/events",
                                        new JsonObject().put("type", "tick").put("channel", channel).encode());
                                if (r.statusCode() == 202) {
                                    acked.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>())
                                            .add(new JsonObject(r.body()).getString("id"));
                                }
                            } catch (RuntimeException e) {
                                publishErrors.add(e);
                            }
                        }
                    }, "publisher");
                    publisher.start();
                    Deadline.await("some events to be acknowledged", Duration.ofSeconds(10), () -> acked.size() == CHANNELS);

                    // Clients react to 1012 as it arrives, while the pod is still finishing, like real clients.
                    stopping.signalTerminate();

                    Map<Integer, Set<String>> received = new HashMap<>();
                    Map<Integer, Integer> duplicates = new HashMap<>();
                    List<WsClient> resumed = new ArrayList<>();
                    for (int i = 0; i < CLIENTS; i++) {
                        WsClient c = clients.get(i);
                        assertThat(c.awaitClose()).as("close code for client %d", i).isEqualTo(1012);
                        String since = null;
                        for (JsonObject f : c.drain()) {
                            if ("event".equals(f.getString("op"))) {
                                record(received, duplicates, i, f);
                                since = f.getString("offset");
                            }
                        }
                        WsClient again = WsClient.welcomed(staying.ws());
                        JsonObject subscribe = new JsonObject().put("op", "subscribe").put("channel", channel(i));
                        if (since != null) {
                            subscribe.put("since", since);
                        }
                        again.send(subscribe);
                        resumed.add(again);
                    }
                    int exit = stopping.awaitExit(Duration.ofSeconds(30));
                    assertThat(exit).as("exit code of the stopped pod (-1: still running after 30 s)").isIn(0, 143);
                    // Events keep flowing for a moment after everyone is back, then stop.
                    Thread.sleep(300);
                    publishing.set(false);
                    publisher.join();
                    assertThat(publishErrors).isEmpty();

                    for (int i = 0; i < CLIENTS; i++) {
                        WsClient c = resumed.get(i);
                        Set<String> expected = new LinkedHashSet<>(acked.get(channel(i)));
                        int client = i;
                        boolean[] recovered = { true };
                        try {
                        Deadline.await("client " + i + " to hold every acknowledged event of " + channel(i),
                                Duration.ofSeconds(20), () -> {
                                    for (JsonObject f : c.drain()) {
                                        if ("event".equals(f.getString("op"))) {
                                            record(received, duplicates, client, f);
                                        } else if ("subscribed".equals(f.getString("op"))) {
                                            recovered[0] &= f.getBoolean("recovered");
                                        }
                                    }
                                    return received.getOrDefault(client, Set.of()).containsAll(expected);
                                });
                        } catch (AssertionError e) {
                            Set<String> missing = new LinkedHashSet<>(expected);
                            missing.removeAll(received.getOrDefault(client, Set.of()));
                            throw new AssertionError(e.getMessage() + ": " + missing.size() + " of " + expected.size()
                                    + " missing, recovered=" + recovered[0] + ", first missing " + missing.stream().limit(3).toList(), e);
                        }
                        assertThat(recovered[0]).as("client %d resumed with recovered:true", i).isTrue();
                        assertThat(received.get(i)).as("client %d received only acknowledged events", i)
                                .isSubsetOf(expected);
                    }
                    assertThat(duplicates).as("events received twice").isEmpty();
                    resumed.forEach(WsClient::close);
                } finally {
                    clients.forEach(WsClient::close);
                }
            }
        }
    }

    private static void record(Map<Integer, Set<String>> received, Map<Integer, Integer> duplicates, int client, JsonObject frame) {
        String id = frame.getJsonObject("event").getString("id");
        if (!received.computeIfAbsent(client, c -> new LinkedHashSet<>()).add(id)) {
            duplicates.merge(client, 1, Integer::sum);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String channel(int i) {
        return "drain:" + (i % CHANNELS);
    }
}
