package io.junction.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.junction.support.Deadline;
import io.junction.support.Metrics;
import io.junction.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The pod-wide connection limit: one more is closed with 1013, and a place frees when someone leaves. */
@QuarkusTest
@TestProfile(ConnectionCapTest.ThreeConnections.class)
class ConnectionCapTest {

    public static class ThreeConnections implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("junction.websocket.max-connections", "3", "junction.websocket.max-connections-per-ip", "0");
        }
    }

    @TestHTTPResource("/ws")
    URI ws;

    @Test
    void connectionsPerPodAreLimited() {
        List<WsClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(WsClient.welcomed(ws));
            }
            try (WsClient fourth = WsClient.connect(ws)) {
                assertThat(fourth.awaitClose()).isEqualTo(1013);
            }
            open.remove(0).close();
            Deadline.await("the place to be given back", Duration.ofSeconds(10),
                    () -> Metrics.value("junction_connections_open") == 2);
            open.add(WsClient.welcomed(ws));
        } finally {
            open.forEach(WsClient::close);
        }
    }
}
