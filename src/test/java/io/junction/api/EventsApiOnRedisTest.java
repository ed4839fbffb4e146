package io.junction.api;

import io.junction.support.RedisBusProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The publish API with events stored and fanned out through a real Redis (batch order included). */
@QuarkusTest
@TestProfile(RedisBusProfile.class)
class EventsApiOnRedisTest extends EventsApiTest {
}
