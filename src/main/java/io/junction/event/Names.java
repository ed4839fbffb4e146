package io.junction.event;

/**
 * The name grammars of the wire contract. Checked by hand rather than with a regex because
 * every event and every subscribe goes through here.
 */
public final class Names {

    public static final int MAX_CHANNEL_LENGTH = 128;
    public static final int MAX_TOPIC_LENGTH = 256;

    private Names() {
    }

    /** {@code [A-Za-z0-9_\-:.@]{1,128}}; no character that would need escaping in JSON. */
    public static boolean isChannel(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_CHANNEL_LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(isAlnum(c) || c == '_' || c == '-' || c == ':' || c == '.' || c == '@')) {
                return false;
            }
        }
        return true;
    }

    /** {@code [A-Za-z0-9_-]{1,256}}, optionally ending in {@code .fifo} (the suffix counts in the 256). */
    public static boolean isTopic(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_TOPIC_LENGTH) {
            return false;
        }
        String base = s.endsWith(".fifo") ? s.substring(0, s.length() - 5) : s;
        if (base.isEmpty()) {
            return false;
        }
        for (int i = 0; i < base.length(); i++) {
            char c = base.charAt(i);
            if (!(isAlnum(c) || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
