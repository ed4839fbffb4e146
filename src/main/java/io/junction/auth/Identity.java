package io.junction.auth;

import java.util.List;

import io.junction.bus.ChannelPatterns;

/**
 * Who a WebSocket session belongs to and which channels it may use: from a verified token, or
 * anonymous (everything allowed) when the server runs without authentication.
 *
 * @param expiresAtMillis when the token stops being valid, or 0 when it does not expire
 */
public record Identity(String user, ChannelPatterns subscribe, ChannelPatterns publish, long expiresAtMillis) {

    public static final Identity ANONYMOUS = new Identity(null, new ChannelPatterns(List.of("*")),
            new ChannelPatterns(List.of("*")), 0);

    public boolean maySubscribe(String channel) {
        return subscribe.matches(channel);
    }

    public boolean mayPublish(String channel) {
        return publish.matches(channel);
    }
}
