package io.junction.support;

import java.util.Map;
import java.util.UUID;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Runs a test class against the Redis bus on the real Redis that scripts/test.sh starts
 * ({@code JUNCTION_TEST_REDIS}, default redis://127.0.0.1:6379). Keys get a prefix of their own,
 * so runs never see each other's channels.
 */
public class RedisBusProfile implements QuarkusTestProfile {

    private static final String PREFIX = "jt-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    public Map<String, String> getConfigOverrides() {
        String url = System.getenv().getOrDefault("JUNCTION_TEST_REDIS", "redis://127.0.0.1:6379");
        return Map.of("junction.bus", "redis", "quarkus.redis.hosts", url, "junction.redis.key-prefix", PREFIX);
    }
}
