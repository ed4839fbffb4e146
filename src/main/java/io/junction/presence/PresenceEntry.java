package io.junction.presence;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One subscriber of a channel as presence reports it; {@code user} is null for anonymous sessions. */
@RegisterForReflection
public record PresenceEntry(String session, String user, String node, long joinedAt) {
}
