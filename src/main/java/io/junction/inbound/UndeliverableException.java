package io.junction.inbound;

/**
 * The message can never become an event on a channel (no channel for it, not a valid event): SNS
 * should not retry it; SQS moves it to the dead-letter queue after its receives run out.
 */
public class UndeliverableException extends RuntimeException {

    private final String reason;

    public UndeliverableException(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** A short, metric-friendly reason: no-channel, invalid-event. */
    public String reason() {
        return reason;
    }
}
