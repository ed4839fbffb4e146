package io.junction.presence;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import io.smallrye.mutiny.Uni;

/** Presence of this process only: exact, and all there is in the embedded mode. */
@ApplicationScoped
@Typed(MemoryPresence.class)
public class MemoryPresence implements Presence {

    private final ConcurrentHashMap<String, Map<String, PresenceEntry>> channels = new ConcurrentHashMap<>();

    @Override
    public void add(String channel, PresenceEntry entry) {
        channels.computeIfAbsent(channel, c -> new ConcurrentHashMap<>()).put(entry.session(), entry);
    }

    @Override
    public void remove(String channel, String session) {
        channels.computeIfPresent(channel, (c, sessions) -> {
            sessions.remove(session);
            return sessions.isEmpty() ? null : sessions;
        });
    }

    @Override
    public Uni<List<PresenceEntry>> list(String channel) {
        Map<String, PresenceEntry> sessions = channels.getOrDefault(channel, Map.of());
        return Uni.createFrom().item(sessions.values().stream()
                .sorted(Comparator.comparingLong(PresenceEntry::joinedAt).thenComparing(PresenceEntry::session))
                .toList());
    }
}
