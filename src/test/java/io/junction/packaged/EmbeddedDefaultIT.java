package io.junction.packaged;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.junction.support.JunctionProcess;
import io.junction.support.WsClient;
import io.vertx.core.json.JsonObject;

/**
 * The packaged jar with no configuration at all, as a newcomer first runs it: one pod, in-memory
 * bus, no Redis, no AWS, and the README's walk-through works end to end.
 */
class EmbeddedDefaultIT {

    @Test
    void theJarRunsOnItsEmbeddedDefaultAndDeliversAPostedEvent() {
        try (JunctionProcess junction = new JunctionProcess("embedded", Map.of()).start();
                WsClient client = WsClient.welcomed(junction.ws())) {
            client.subscribe("team:7");
            HttpResponse<String> accepted = junction.post("/api/events",
                    "{\"type\":\"user_invited\",\"channel\":\"team:7\",\"data\":{\"email\":\"a@b.c\"}}");
            assertThat(accepted.statusCode()).isEqualTo(202);
            String id = new JsonObject(accepted.body()).getString("id");
            assertThat(client.expect("event").getJsonObject("event").getString("id")).isEqualTo(id);
            assertThat(new JsonObject(junction.get("/q/health/ready").body()).getString("status")).isEqualTo("UP");
        }
    }
}
