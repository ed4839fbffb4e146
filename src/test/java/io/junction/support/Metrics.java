package io.junction.support;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One value from /q/metrics of the application under test. */
public final class Metrics {

    private Metrics() {
    }

    public static double value(String name) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(body);
        assertThat(m.find()).as("metric %s in /q/metrics", name).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
