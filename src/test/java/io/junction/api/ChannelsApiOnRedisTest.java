package io.junction.api;

import io.junction.support.RedisBusProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** History and presence read from a real Redis. */
@QuarkusTest
@TestProfile(RedisBusProfile.class)
class ChannelsApiOnRedisTest extends ChannelsApiTest {
}
