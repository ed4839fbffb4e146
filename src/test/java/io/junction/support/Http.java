package io.junction.support;

import static io.restassured.RestAssured.given;

import io.restassured.response.ValidatableResponse;
import io.vertx.core.json.JsonObject;

/** Publishing over the real HTTP API, the way a backend service does. */
public final class Http {

    private Http() {
    }

    public static ValidatableResponse post(String path, String contentType, String body) {
        return given().contentType(contentType).body(body).when().post(path).then();
    }

    /** Posts an event and returns the id from the {@code 202}. */
    public static String publish(JsonObject event) {
        return post("/api/events", "application/json", event.encode())
                .statusCode(202)
                .extract().path("id");
    }

    public static JsonObject event(String channel, String type) {
        return new JsonObject().put("type", type).put("channel", channel).put("data", new JsonObject().put("n", 1));
    }
}
