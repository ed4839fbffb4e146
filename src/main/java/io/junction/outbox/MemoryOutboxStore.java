package io.junction.outbox;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.junction.event.Event;
import io.junction.fanout.PublishRefusedException;
import io.smallrye.mutiny.Uni;

/**
 * The accepted-mode outbox: a bounded queue in this process. When it is full, new events are
 * refused (503 + Retry-After) rather than acknowledged and dropped. A crash loses what it holds;
 * that is what "accepted" means, and the README says so.
 */
public final class MemoryOutboxStore implements OutboxStore {

    private static final int MAX_DEAD = 1000;

    private final ArrayBlockingQueue<OutboxEntry> queue;
    private final int capacity;
    /** Queued plus taken and not finished (retries included): what the capacity bounds. */
    private final AtomicLong held = new AtomicLong();
    private final Deque<DeadLetter> dead = new ArrayDeque<>();
    private final AtomicLong sequence = new AtomicLong();

    public MemoryOutboxStore(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
    }

    @Override
    public Uni<Void> append(Event event) {
        OutboxEntry entry = OutboxEntry.of(Long.toString(sequence.incrementAndGet()), event, System.currentTimeMillis());
        if (held.incrementAndGet() > capacity || !queue.offer(entry)) {
            held.decrementAndGet();
            return Uni.createFrom().failure(new PublishRefusedException(
                    "the SNS outbox of this pod is full (" + capacity + " events not yet published)", 1));
        }
        return Uni.createFrom().voidItem();
    }

    @Override
    public List<OutboxEntry> take(int max, Duration wait) {
        List<OutboxEntry> out = new ArrayList<>();
        try {
            OutboxEntry first = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (first != null) {
                out.add(first);
                queue.drainTo(out, max - 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    @Override
    public void done(List<OutboxEntry> entries) {
        held.addAndGet(-entries.size());
    }

    @Override
    public synchronized void dead(OutboxEntry entry, String reason) {
        held.decrementAndGet();
        if (dead.size() == MAX_DEAD) {
            dead.removeFirst();
        }
        dead.addLast(new DeadLetter(entry.ref(), entry, reason, System.currentTimeMillis()));
    }

    @Override
    public synchronized List<DeadLetter> deadLetters(int limit) {
        return dead.stream().limit(limit).toList();
    }

    @Override
    public synchronized boolean retryDead(String ref) {
        for (DeadLetter letter : dead) {
            if (letter.ref().equals(ref)) {
                if (held.incrementAndGet() > capacity || !queue.offer(letter.entry())) {
                    held.decrementAndGet();
                    throw new IllegalStateException("the outbox is full; retry later");
                }
                dead.remove(letter);
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized Depth depth() {
        OutboxEntry head = queue.peek();
        return new Depth(held.get(), head == null ? 0 : System.currentTimeMillis() - head.acceptedAt(),
                dead.size());
    }
}
