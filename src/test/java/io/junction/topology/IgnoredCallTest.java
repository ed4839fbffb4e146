package io.junction.topology;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.junction.support.Aws;
import io.junction.support.Deadline;
import io.junction.support.Declare;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * A call the emulator accepts and ignores, caught by the read-back: moto answers SetTopicAttributes
 * (SignatureVersion=2) with success and keeps nothing. The reconcile reports it as drift and the
 * topology as not confirmed; with readiness=degraded the pod serves anyway and says why. A
 * declaration Junction cannot honour (raw delivery to its own endpoint) is refused with the reason.
 */
@QuarkusTest
@TestProfile(IgnoredCallTest.Degraded.class)
class IgnoredCallTest {

    static final String SFX = UUID.randomUUID().toString().substring(0, 8);
    static final String SUB = "hook-" + SFX;
    static final String RAW = "raw-" + SFX;

    public static class Degraded implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = new HashMap<>(Aws.junctionConfig(Aws.ENDPOINT));
            Declare.subscription(c, SUB, "topic", "hooks-" + SFX, "protocol", "https",
                    "endpoint", "https://partner.example.com/hook");
            // A declaration Junction refuses: raw deliveries to its own endpoint would arrive unsigned.
            Declare.subscription(c, RAW, "topic", "hooks-" + SFX, "protocol", "http", "raw", "true");
            c.put("junction.sns.public-url", "http://127.0.0.1:9");
            c.put("junction.topology.readiness", "degraded");
            return c;
        }
    }

    /** True where the emulator drops SignatureVersion (moto 5); LocalStack and AWS keep it. */
    static boolean emulatorDropsSignatureVersion() {
        try (SnsClient sns = Aws.sns()) {
            String arn = sns.createTopic(b -> b.name("probe-" + SFX)).topicArn();
            sns.setTopicAttributes(b -> b.topicArn(arn).attributeName("SignatureVersion").attributeValue("2"));
            return !"2".equals(sns.getTopicAttributes(b -> b.topicArn(arn)).attributes().get("SignatureVersion"));
        }
    }

    @Test
    void theReadBackReportsTheIgnoredCallAndReadinessSaysDegraded() {
        Deadline.await("the first reconcile to finish", Duration.ofSeconds(30), () -> given().get("/q/health/ready").asString()
                .contains("\"degraded\""));
        JsonPath health = given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
        assertThat(health.getBoolean("checks.find { it.name == 'topology' }.data.confirmed")).isFalse();

        JsonPath topology = given().get("/api/admin/topology").then().statusCode(200).extract().jsonPath();
        assertThat(topology.getBoolean("confirmed")).isFalse();
        assertThat(topology.getString("subscriptions.find { it.name == '" + RAW + "' }.error")).contains("raw deliveries are not signed");

        assumeTrue(emulatorDropsSignatureVersion(), "this emulator keeps SignatureVersion: nothing is ignored to catch");
        String sub = "subscriptions.find { it.name == '" + SUB + "' }";
        assertThat(topology.<String>getList(sub + ".drift.what")).containsExactly("topic SignatureVersion");
        assertThat(topology.getString(sub + ".drift[0].expected")).isEqualTo("2");
        assertThat(topology.getString(sub + ".drift[0].actual")).isNull();
    }
}
