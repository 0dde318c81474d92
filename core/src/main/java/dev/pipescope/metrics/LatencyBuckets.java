package dev.pipescope.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Cumulative counts of a stage's batch latencies at fixed bounds, read from the sampler's since-start
 * HdrHistogram, so an exporter can publish an exact Prometheus histogram (counts that only grow, and a
 * quantile read back within one bucket of the recorded one). The bounds grow by 2<sup>1/4</sup> (19 %) from
 * 1 µs to about 16.8 s: {@value #BOUNDS} of them, {@link #upperBoundNanos(int)}.
 */
public final class LatencyBuckets {
    /** Number of bounds (the {@code +Inf} bucket is implied by the total count). */
    public static final int BOUNDS = 97;

    private static final long[] UPPER_NANOS = new long[BOUNDS];

    static {
        for (int k = 0; k < BOUNDS; k++) {
            // four significant digits: readable le labels, still strictly increasing
            final double nanos = 1_000 * Math.pow(2, k / 4.0);
            final double scale = Math.pow(10, Math.floor(Math.log10(nanos)) - 3);
            UPPER_NANOS[k] = Math.round(Math.round(nanos / scale) * scale);
        }
    }

    private LatencyBuckets() {
    }

    /**
     * @param index 0 .. {@value #BOUNDS}-1.
     * @return the bucket's upper bound (inclusive), in nanoseconds.
     */
    public static long upperBoundNanos(final int index) {
        return UPPER_NANOS[index];
    }

    /**
     * @param histogram latencies in nanoseconds.
     * @return for each bound, how many recorded values are at or below it (HdrHistogram's precision: a value
     *         within 0.1 % of a bound may count on either side).
     */
    static long[] cumulativeCounts(final Histogram histogram) {
        final long[] counts = new long[BOUNDS];
        int b = 0;
        long below = 0;
        for (final HistogramIterationValue v : histogram.recordedValues()) {
            final long value = v.getValueIteratedTo();
            while (b < BOUNDS && value > UPPER_NANOS[b]) {
                counts[b++] = below;
            }
            below += v.getCountAtValueIteratedTo();
        }
        while (b < BOUNDS) {
            counts[b++] = below;
        }
        return counts;
    }
}
