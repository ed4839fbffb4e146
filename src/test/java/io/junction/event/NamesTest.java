package io.junction.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamesTest {

    @Test
    void channelGrammar() {
        for (String ok : new String[] { "team:7", "user:42", "invitations", "a", "A-Z_0.9@x", "c".repeat(128) }) {
            assertThat(Names.isChannel(ok)).as(ok).isTrue();
        }
        for (String bad : new String[] { "", "c".repeat(129), "a b", "a/b", "a\"b", "é", "a{b}", null }) {
            assertThat(Names.isChannel(bad)).as(String.valueOf(bad)).isFalse();
        }
    }

    @Test
    void topicGrammar() {
        for (String ok : new String[] { "invitations", "orders.fifo", "a-b_c", "t".repeat(256) }) {
            assertThat(Names.isTopic(ok)).as(ok).isTrue();
        }
        for (String bad : new String[] { "", ".fifo", "a.b", "a:b", "t".repeat(257), "x.fifo.fifo" }) {
            assertThat(Names.isTopic(bad)).as(bad).isFalse();
        }
    }

    @Test
    void serverMadeIdsAreDistinctUuidV7s() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = EventIds.next();
            assertThat(java.util.UUID.fromString(id).version()).isEqualTo(7);
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
    }
}
