package io.junction.realtime;

import io.junction.support.RedisBusProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The whole WebSocket protocol table again, with events travelling through a real Redis. */
@QuarkusTest
@TestProfile(RedisBusProfile.class)
class WebSocketProtocolOnRedisTest extends WebSocketProtocolTest {
}
