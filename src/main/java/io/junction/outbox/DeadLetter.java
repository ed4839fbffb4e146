package io.junction.outbox;

/** An outbox entry SNS refused for good, kept with the reason until someone retries or drops it. */
public record DeadLetter(String ref, OutboxEntry entry, String reason, long failedAt) {
}
