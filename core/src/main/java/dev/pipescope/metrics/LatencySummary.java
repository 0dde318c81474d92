package dev.pipescope.metrics;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of one latency distribution, in nanoseconds, as of one sample.
 *
 * <p>An empty distribution (nothing recorded in the period) has {@code count == 0} and every value
 * {@link Double#NaN}: a quiet interval must read as "no data", never as the previous interval's numbers.
 * Values carry HdrHistogram's precision: with 3 significant digits each figure is within 0.1% of the
 * recorded value it stands for (it is the highest value equivalent to it).
 *
 * @param count     values recorded in the period.
 * @param p50Nanos  median.
 * @param p90Nanos  90th percentile.
 * @param p99Nanos  99th percentile.
 * @param p999Nanos 99.9th percentile.
 * @param maxNanos  largest value.
 * @param meanNanos arithmetic mean.
 */
public record LatencySummary(
    long count, double p50Nanos, double p90Nanos, double p99Nanos, double p999Nanos, double maxNanos, double meanNanos) {

    /** The summary of a period in which nothing was recorded. */
    public static final LatencySummary EMPTY =
        new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /**
     * Summarises a histogram.
     *
     * @param histogram      the values; not modified.
     * @param nanosPerUnit   what one recorded unit is worth in nanoseconds (1 for nanoseconds, 0.001 for
     *                       picoseconds).
     * @return the summary, or {@link #EMPTY} when the histogram holds nothing.
     */
    public static LatencySummary of(final Histogram histogram, final double nanosPerUnit) {
        final long count = histogram.getTotalCount();
        if (count == 0) {
            return EMPTY;
        }
        return new LatencySummary(
            count,
            histogram.getValueAtPercentile(50.0) * nanosPerUnit,
            histogram.getValueAtPercentile(90.0) * nanosPerUnit,
            histogram.getValueAtPercentile(99.0) * nanosPerUnit,
            histogram.getValueAtPercentile(99.9) * nanosPerUnit,
            histogram.getMaxValue() * nanosPerUnit,
            histogram.getMean() * nanosPerUnit);
    }

    /** @return true when at least one value was recorded in the period. */
    public boolean hasData() {
        return count > 0;
    }
}
