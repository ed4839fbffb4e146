package io.junction.fanout;

/**
 * Junction cannot take an event now without breaking the promise of its ack mode (the bus is down,
 * a queue is full). Nothing was acknowledged; the caller may retry after {@link #retryAfterSeconds()}.
 */
public class PublishRefusedException extends RuntimeException {

    private final int retryAfterSeconds;

    public PublishRefusedException(String message, int retryAfterSeconds) {
        super(message, null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
