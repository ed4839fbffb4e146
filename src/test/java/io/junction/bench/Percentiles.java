package io.junction.bench;

import java.util.Arrays;

/** Latency samples in microseconds, collected from several threads, summarized once at the end of a step. */
final class Percentiles {

    private final long[] samples;
    private final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();

    Percentiles(int capacity) {
        samples = new long[capacity];
    }

    void add(long micros) {
        int i = count.getAndIncrement();
        if (i < samples.length) {
            samples[i] = micros;
        }
    }

    int count() {
        return Math.min(count.get(), samples.length);
    }

    Summary summary() {
        int n = count();
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        return new Summary(n, at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.99), n == 0 ? 0 : sorted[n - 1]);
    }

    private static long at(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    }

    record Summary(int count, long p50, long p90, long p99, long max) {
    }
}
