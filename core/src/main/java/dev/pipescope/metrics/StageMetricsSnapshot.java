package dev.pipescope.metrics;

/**
 * What one stage did, as of one {@link StageMetrics#sample(long)}: the last interval (since the previous
 * sample) and the running totals (since the stage's metrics were created or last reset). Immutable.
 *
 * <p>Rates and shares are {@link Double#NaN} when the interval has no length (two samples at the same
 * instant); latency summaries are {@link LatencySummary#EMPTY} when no batch completed in their period.
 *
 * @param stage                       the stage's name.
 * @param timestampNanos              the sample's time on the metrics' {@code NanoClock}.
 * @param intervalNanos               wall time covered by the interval.
 * @param totalNanos                  wall time since creation or the last reset.
 * @param interval                    counters for the interval.
 * @param total                       counters since creation or the last reset.
 * @param throughputPerSecond         records out per second over the interval.
 * @param smoothedThroughputPerSecond exponentially weighted moving average of the interval throughputs,
 *                                    weighted by interval length (time constant set at construction).
 * @param busyShare                   share of the interval spent inside the stage (0..1; a batch counts in
 *                                    the interval in which it completed, so a long batch can push one
 *                                    interval slightly above 1).
 * @param batchLatency                per-batch latency over the interval.
 * @param batchLatencyTotal           per-batch latency since creation or reset.
 * @param recordLatency               latency per record (batch latency / records in) over the interval.
 * @param recordLatencyTotal          latency per record since creation or reset.
 * @param batchLatencyCumulativeCounts since start, batches at or below each of {@link LatencyBuckets}' bounds
 *                                    (a classic histogram's buckets).
 * @param batchLatencyNativeBuckets   since start, the batch latencies as the populated buckets of a native
 *                                    histogram of seconds ({@link NativeLatencyBuckets}, schema
 *                                    {@value NativeLatencyBuckets#SCHEMA}), from the same HdrHistogram as the
 *                                    classic counts, so both count the same batches.
 */
public record StageMetricsSnapshot(
    String stage,
    long timestampNanos,
    long intervalNanos,
    long totalNanos,
    StageCounters interval,
    StageCounters total,
    double throughputPerSecond,
    double smoothedThroughputPerSecond,
    double busyShare,
    LatencySummary batchLatency,
    LatencySummary batchLatencyTotal,
    LatencySummary recordLatency,
    LatencySummary recordLatencyTotal,
    long[] batchLatencyCumulativeCounts,
    NativeLatencyBuckets batchLatencyNativeBuckets) {

    /**
     * Compact constructor: the classic bucket counts are copied, so the snapshot stays immutable; a null
     * array or native buckets stand for none ({@link NativeLatencyBuckets#EMPTY}).
     */
    public StageMetricsSnapshot {
        batchLatencyCumulativeCounts = batchLatencyCumulativeCounts == null ? new long[0]
            : batchLatencyCumulativeCounts.clone();
        batchLatencyNativeBuckets = batchLatencyNativeBuckets == null ? NativeLatencyBuckets.EMPTY
            : batchLatencyNativeBuckets;
    }

    /**
     * @return since start (or the last reset), how many batches took at most each of
     *         {@link LatencyBuckets}' bounds (a copy).
     */
    @Override
    public long[] batchLatencyCumulativeCounts() {
        return batchLatencyCumulativeCounts.clone();
    }

    /** @return bytes allocated per batch over the interval, or NaN when no batch completed. */
    public double allocatedBytesPerBatch() {
        return interval.batches() == 0 ? Double.NaN : (double)interval.allocatedBytes() / interval.batches();
    }
}
