package io.junction.event;

/** A client sent something Junction refuses; carries what the HTTP and WebSocket layers need to say why. */
public class InvalidEventException extends RuntimeException {

    public enum Kind {
        /** Malformed, missing or mistyped fields: HTTP 400, WebSocket {@code bad_request}. */
        BAD_REQUEST,
        /** Over a size or count limit: HTTP 413, WebSocket {@code too_large}. */
        TOO_LARGE
    }

    private final Kind kind;

    public InvalidEventException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public static InvalidEventException badRequest(String message) {
        return new InvalidEventException(Kind.BAD_REQUEST, message);
    }

    public static InvalidEventException tooLarge(String message) {
        return new InvalidEventException(Kind.TOO_LARGE, message);
    }

    public Kind kind() {
        return kind;
    }
}
