package io.junction.bus;

import java.util.List;

/**
 * What the bus still holds of a channel after some point.
 *
 * @param epoch the life of the channel's history the numbers belong to
 * @param top the seq of the newest event the channel has had in this epoch (0 when none)
 * @param oldest the seq of the oldest event still kept, or {@code top + 1} when none is kept
 * @param events kept events after the requested point, oldest first
 */
public record HistorySlice(String epoch, long top, long oldest, List<Delivery> events) {

    public Offset topOffset() {
        return new Offset(epoch, top);
    }

    /** Whether every event after {@code since} is still here (so a resume from it misses nothing). */
    public boolean reachesBackTo(Offset since) {
        return since.epoch().equals(epoch) && since.seq() <= top && since.seq() + 1 >= oldest;
    }
}
