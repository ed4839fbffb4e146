package io.junction.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.junction.config.JunctionConfig;
import io.junction.event.Event;
import io.vertx.core.Vertx;

class MemoryBusTest {

    final Vertx vertx = Vertx.vertx();
    final AtomicLong now = new AtomicLong(1_000_000);

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    void numbersEventsPerChannelAndHandsThemOverInOrder() {
        MemoryBus bus = bus(10, Duration.ofMinutes(5), List.of());
        List<Delivery> seen = new ArrayList<>();
        bus.listen(seen::add);
        for (int i = 0; i < 3; i++) {
            bus.publish(event("a")).await().indefinitely();
        }
        bus.publish(event("b")).await().indefinitely();
        assertThat(seen).extracting(Delivery::channel).containsExactly("a", "a", "a", "b");
        assertThat(seen).extracting(Delivery::seq).containsExactly(1L, 2L, 3L, 1L);
    }

    @Test
    void historyKeepsTheNewestEventsUpToItsSize() {
        MemoryBus bus = bus(3, Duration.ofMinutes(5), List.of());
        for (int i = 0; i < 5; i++) {
            bus.publish(event("a")).await().indefinitely();
        }
        HistorySlice all = bus.history("a", null, 10).await().indefinitely();
        assertThat(all.events()).extracting(Delivery::seq).containsExactly(3L, 4L, 5L);
        assertThat(all.top()).isEqualTo(5);
        assertThat(all.oldest()).isEqualTo(3);
        assertThat(all.reachesBackTo(new Offset(all.epoch(), 2))).isTrue();
        assertThat(all.reachesBackTo(new Offset(all.epoch(), 1))).isFalse();
        assertThat(all.reachesBackTo(new Offset("other", 4))).isFalse();
        assertThat(bus.history("a", new Offset(all.epoch(), 3), 10).await().indefinitely().events())
                .extracting(Delivery::seq).containsExactly(4L, 5L);
    }

    @Test
    void historyForgetsEventsPastTheirAge() {
        MemoryBus bus = bus(10, Duration.ofMillis(50), List.of());
        bus.publish(event("a")).await().indefinitely();
        now.addAndGet(51);
        HistorySlice slice = bus.history("a", null, 10).await().indefinitely();
        assertThat(slice.events()).isEmpty();
        assertThat(slice.top()).isEqualTo(1);
        assertThat(slice.reachesBackTo(new Offset(slice.epoch(), 1))).isTrue();
        assertThat(slice.reachesBackTo(new Offset(slice.epoch(), 0))).isFalse();
    }

    @Test
    void channelsWithHistoryTurnedOffAreNumberedButNotKept() {
        MemoryBus bus = bus(10, Duration.ofMinutes(5), List.of("typing:*"));
        bus.publish(event("typing:1")).await().indefinitely();
        bus.publish(event("kept")).await().indefinitely();
        assertThat(bus.history("typing:1", null, 10).await().indefinitely().events()).isEmpty();
        assertThat(bus.history("typing:1", null, 10).await().indefinitely().top()).isEqualTo(1);
        assertThat(bus.history("kept", null, 10).await().indefinitely().events()).hasSize(1);
    }

    @Test
    void aForgottenChannelStartsAgainUnderANewEpoch() {
        MemoryBus bus = bus(10, Duration.ofMillis(20), List.of());
        bus.publish(event("a")).await().indefinitely();
        String epoch = bus.history("a", null, 1).await().indefinitely().epoch();
        now.addAndGet(21);
        bus.sweep();
        HistorySlice after = bus.history("a", null, 1).await().indefinitely();
        assertThat(after.epoch()).isNotEqualTo(epoch);
        assertThat(after.reachesBackTo(new Offset(epoch, 1))).isFalse();
    }

    @Test
    void aJoinedChannelIsNeverForgotten() {
        MemoryBus bus = bus(10, Duration.ofMillis(20), List.of());
        bus.join("a").await().indefinitely();
        bus.publish(event("a")).await().indefinitely();
        String epoch = bus.history("a", null, 1).await().indefinitely().epoch();
        now.addAndGet(21);
        bus.sweep();
        assertThat(bus.history("a", null, 1).await().indefinitely().epoch()).isEqualTo(epoch);
    }

    private MemoryBus bus(int size, Duration ttl, List<String> disabled) {
        return new MemoryBus(config(size, ttl, disabled), vertx, now::get);
    }

    private static Event event(String channel) {
        return new Event("id", "t", channel, null, null, Map.of(),
                ("{\"id\":\"x\",\"channel\":\"" + channel + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static JunctionConfig config(int size, Duration ttl, List<String> disabled) {
        JunctionConfig.History history = new JunctionConfig.History() {
            public int size() {
                return size;
            }

            public Duration ttl() {
                return ttl;
            }

            public Optional<List<String>> disabledChannels() {
                return Optional.of(disabled);
            }
        };
        return (JunctionConfig) java.lang.reflect.Proxy.newProxyInstance(JunctionConfig.class.getClassLoader(),
                new Class<?>[] { JunctionConfig.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "history" -> history;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
