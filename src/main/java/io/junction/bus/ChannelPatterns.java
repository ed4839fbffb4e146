package io.junction.bus;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** Channel patterns from configuration: {@code *} matches any run of characters, everything else itself. */
public final class ChannelPatterns {

    private final List<Pattern> patterns;
    // Answers are cached per channel: the check sits on the publish path.
    private final ConcurrentHashMap<String, Boolean> cache = new ConcurrentHashMap<>();

    public ChannelPatterns(List<String> globs) {
        this.patterns = globs.stream().map(ChannelPatterns::toRegex).toList();
    }

    public boolean matches(String channel) {
        if (patterns.isEmpty()) {
            return false;
        }
        if (cache.size() > 100_000) {
            cache.clear();
        }
        return cache.computeIfAbsent(channel, c -> patterns.stream().anyMatch(p -> p.matcher(c).matches()));
    }

    private static Pattern toRegex(String glob) {
        String[] parts = glob.split("\\*", -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex.toString());
    }
}
