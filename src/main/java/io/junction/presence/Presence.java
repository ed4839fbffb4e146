package io.junction.presence;

import java.util.List;

import io.smallrye.mutiny.Uni;

/** Who is subscribed to a channel, across every node the implementation can see. */
public interface Presence {

    void add(String channel, PresenceEntry entry);

    void remove(String channel, String session);

    Uni<List<PresenceEntry>> list(String channel);
}
