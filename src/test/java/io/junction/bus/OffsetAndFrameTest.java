package io.junction.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

class OffsetAndFrameTest {

    @Test
    void anOffsetReadsBackAsItWasWritten() {
        Offset offset = new Offset("1796404524700353", 42);
        assertThat(Offset.parse(offset.toString())).isEqualTo(offset);
    }

    @Test
    void somethingThatIsNoOffsetIsRefused() {
        for (String bad : new String[] { "", "nocolon", ":5", "epoch:", "epoch:-1", "epoch:x", "e:1".repeat(30) }) {
            assertThatThrownBy(() -> Offset.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theEventFrameIsTheJsonTheProtocolDescribes() {
        byte[] envelope = "{\"specversion\":\"1.0\",\"id\":\"x\",\"data\":{\"s\":\"\\\"quoted\\\" é\"}}".getBytes(StandardCharsets.UTF_8);
        byte[] frame = EventFrame.encode("team:7", new Offset("ep", 9), envelope);
        JsonObject json = new JsonObject(new String(frame, StandardCharsets.UTF_8));
        assertThat(json.getString("op")).isEqualTo("event");
        assertThat(json.getString("channel")).isEqualTo("team:7");
        assertThat(json.getString("offset")).isEqualTo("ep:9");
        assertThat(json.getLong("seq")).isEqualTo(9);
        assertThat(json.getJsonObject("event").getJsonObject("data").getString("s")).isEqualTo("\"quoted\" é");
    }

    @Test
    void channelPatternsMatchWholeNamesWithStars() {
        ChannelPatterns patterns = new ChannelPatterns(java.util.List.of("typing:*", "exact", "*:cursor"));
        assertThat(patterns.matches("typing:7")).isTrue();
        assertThat(patterns.matches("exact")).isTrue();
        assertThat(patterns.matches("doc:cursor")).isTrue();
        assertThat(patterns.matches("exactly")).isFalse();
        assertThat(patterns.matches("team:typing:7")).isFalse();
        assertThat(new ChannelPatterns(java.util.List.of()).matches("anything")).isFalse();
    }
}
