package io.junction.event;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Server-made event ids: UUIDv7, so ids sort by creation time and need no coordination between pods. */
public final class EventIds {

    private EventIds() {
    }

    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long millis = System.currentTimeMillis();
        long msb = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
