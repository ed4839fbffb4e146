package io.junction.outbox;

import java.time.Duration;
import java.util.List;

import io.junction.event.Event;
import io.smallrye.mutiny.Uni;

/**
 * Where acknowledged events wait for SNS. {@link RedisOutboxStore} (durable: a Redis Stream read by
 * a consumer group that all pods share) and {@link MemoryOutboxStore} (accepted: a bounded queue in
 * this process). The relay is the only reader.
 */
public interface OutboxStore {

    /** Keeps an event for SNS; fails with PublishRefusedException when it cannot. */
    Uni<Void> append(Event event);

    /**
     * Entries to publish: new ones and ones other pods left unfinished. May wait up to
     * {@code wait} for some to arrive; called from the relay's own thread only.
     */
    List<OutboxEntry> take(int max, Duration wait);

    /** The entries are published: forget them. */
    void done(List<OutboxEntry> entries);

    /** SNS refused the entry for good: move it to the dead letters with the reason. */
    void dead(OutboxEntry entry, String reason);

    List<DeadLetter> deadLetters(int limit);

    /** Puts a dead letter back in the outbox; false when there is no such dead letter. */
    boolean retryDead(String ref);

    /** Entries waiting or in flight, and the age of the oldest, for metrics and the admin API. */
    Depth depth();

    record Depth(long entries, long oldestAgeMillis, long deadLetters) {
    }
}
