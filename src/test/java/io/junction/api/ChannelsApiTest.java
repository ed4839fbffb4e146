package io.junction.api;

import static io.junction.support.Http.event;
import static io.junction.support.Http.publish;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.junction.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** History and presence of a channel, as a backend service reads them. */
@QuarkusTest
class ChannelsApiTest {

    @TestHTTPResource("/ws")
    URI ws;

    @Test
    void historyListsKeptEventsAfterAnOffsetOldestFirst() {
        String a = publish(event("hist:1", "a"));
        String afterA = given().get("/api/channels/hist:1/history").then().statusCode(200).extract().path("offset");
        String b = publish(event("hist:1", "b"));
        String c = publish(event("hist:1", "c"));

        given().queryParam("since", afterA).get("/api/channels/hist:1/history").then()
                .statusCode(200)
                .body("channel", equalTo("hist:1"))
                .body("recovered", equalTo(true))
                .body("events", hasSize(2))
                .body("events[0].event.id", equalTo(b))
                .body("events[1].event.id", equalTo(c))
                .body("events[1].seq", equalTo(3));
        List<String> all = given().get("/api/channels/hist:1/history").then().statusCode(200)
                .extract().path("events.event.id");
        assertThat(all).containsExactly(a, b, c);
        List<String> newest = given().queryParam("limit", 1).get("/api/channels/hist:1/history").then().statusCode(200)
                .extract().path("events.event.id");
        assertThat(newest).containsExactly(c);
    }

    @Test
    void historyRefusesBadInput() {
        given().get("/api/channels/bad name/history").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        given().queryParam("since", "nonsense").get("/api/channels/x/history").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE).body("detail", containsString("not an offset"));
        given().queryParam("limit", 0).get("/api/channels/x/history").then().statusCode(400)
                .body("detail", containsString("limit"));
    }

    @Test
    void presenceListsTheSessionsSubscribedToAChannel() {
        try (WsClient a = WsClient.connect(ws); WsClient b = WsClient.connect(ws)) {
            String sessionA = a.expect("welcome").getString("session");
            String sessionB = b.expect("welcome").getString("session");
            a.subscribe("presence:1");
            b.subscribe("presence:1");
            List<String> sessions = given().get("/api/channels/presence:1/presence").then().statusCode(200)
                    .body("channel", equalTo("presence:1")).extract().path("clients.session");
            assertThat(sessions).containsExactlyInAnyOrder(sessionA, sessionB);

            b.send(new io.vertx.core.json.JsonObject().put("op", "unsubscribe").put("channel", "presence:1"));
            b.expect("unsubscribed");
            assertThat(given().get("/api/channels/presence:1/presence").then().extract().<List<String>>path("clients.session"))
                    .containsExactly(sessionA);
        }
    }
}
