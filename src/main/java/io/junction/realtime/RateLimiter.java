package io.junction.realtime;

/**
 * A token bucket for one connection's incoming frames; used on the connection's event loop only.
 * {@link #tryTake} refuses once the burst is spent until tokens refill at the configured rate.
 */
final class RateLimiter {

    private final double ratePerMilli;
    private final int burst;
    private double tokens;
    private long last;
    private int refusedInARow;

    RateLimiter(int perSecond, int burst) {
        this.ratePerMilli = perSecond / 1000.0;
        this.burst = burst;
        this.tokens = burst;
        this.last = System.currentTimeMillis();
    }

    boolean tryTake() {
        long now = System.currentTimeMillis();
        tokens = Math.min(burst, tokens + (now - last) * ratePerMilli);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            refusedInARow = 0;
            return true;
        }
        refusedInARow++;
        return false;
    }

    /** A client that keeps sending into a refusing limiter is abusing it, not bursting. */
    boolean abused() {
        return refusedInARow >= burst;
    }
}
