package io.junction.observability;

import static io.junction.support.Http.event;
import static io.junction.support.Http.publish;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;

import org.junit.jupiter.api.Test;

import io.junction.support.Metrics;
import io.junction.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HealthAndMetricsTest {

    @TestHTTPResource("/ws")
    URI ws;

    @Test
    void liveAndReadyAreUpOnTheEmbeddedBus() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'bus' }.data.bus", equalTo("memory"));
    }

    @Test
    void metricsCountConnectionsSubscriptionsEventsAndFrames() {
        double eventsBefore = Metrics.value("junction_events_accepted_total");
        double framesBefore = Metrics.value("junction_frames_delivered_total");
        double connectionsBefore = Metrics.value("junction_connections_open");
        try (WsClient a = WsClient.welcomed(ws); WsClient b = WsClient.welcomed(ws)) {
            a.subscribe("metrics:1");
            b.subscribe("metrics:1");
            publish(event("metrics:1", "counted"));
            a.expect("event");
            b.expect("event");
            assertThat(Metrics.value("junction_connections_open")).isGreaterThanOrEqualTo(connectionsBefore + 2);
            assertThat(Metrics.value("junction_subscriptions_active")).isGreaterThanOrEqualTo(2);
            assertThat(Metrics.value("junction_events_accepted_total")).isGreaterThanOrEqualTo(eventsBefore + 1);
            assertThat(Metrics.value("junction_frames_delivered_total")).isGreaterThanOrEqualTo(framesBefore + 2);
        }
    }
}
