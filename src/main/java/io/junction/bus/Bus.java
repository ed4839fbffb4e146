package io.junction.bus;

import io.junction.event.Event;
import io.smallrye.mutiny.Uni;

/**
 * The seam between the pods: carries accepted events to every node that has subscribers for their
 * channel, numbers them per channel, and keeps recent history for recovery. {@link MemoryBus} is the
 * one-pod implementation; a Redis one fans out across pods. Nothing here may block the caller.
 */
public interface Bus {

    /** Register the node's receiver of deliveries; called once at start-up. */
    void listen(DeliveryListener listener);

    /**
     * Hand an event with a channel to every node. Completes, with the event's place in its channel,
     * once the bus has taken it, so that the caller may acknowledge it; deliveries may still be on
     * their way. Fails when the bus cannot take it now; nothing is delivered then.
     */
    Uni<Offset> publish(Event event);

    /**
     * From now on deliver this channel's events to this node. Completes only when the bus confirmed it,
     * so an event published after completion is never missed. Calls are counted by the caller:
     * one {@code join} per channel with local subscribers.
     */
    Uni<Void> join(String channel);

    /** Stop delivering this channel to this node. */
    Uni<Void> leave(String channel);

    /**
     * The kept events after {@code since} (all kept events when null), at most {@code limit}, plus
     * where the channel stands now.
     */
    Uni<HistorySlice> history(String channel, Offset since, int limit);

    /** Whether the bus can take events now; readiness follows it. */
    boolean isReady();

    /** A short name for health reports and logs. */
    String name();
}
