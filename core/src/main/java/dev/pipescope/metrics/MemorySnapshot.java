package dev.pipescope.metrics;

/**
 * Heap, garbage collection and allocation as of one {@link MemoryGcSampler#sample()}. Immutable. Interval
 * figures cover the time since the previous sample (or since the sampler was created).
 *
 * @param timestampEpochMillis         wall-clock time of the sample.
 * @param timestampNanos               monotonic time of the sample.
 * @param intervalNanos                length of the interval.
 * @param heapUsedBytes                heap in use now (live and not yet collected garbage).
 * @param heapCommittedBytes           heap the JVM has reserved from the OS.
 * @param heapMaxBytes                 the heap's limit, or -1 when undefined.
 * @param heapAfterGcBytes             sum over heap pools of the usage left by their last collection: the
 *                                     live set as the collector last saw it; -1 when the JVM reports none.
 * @param oldGenAfterGcBytes           the old (tenured) pool's usage after its last collection, or -1 when
 *                                     the collector has no such pool.
 * @param gcCount                      collections in the interval (all collectors).
 * @param gcTimeMillis                 time spent collecting in the interval, as the collectors report it
 *                                     (accumulated pause/cycle time, milliseconds).
 * @param gcCountTotal                 collections since the JVM started.
 * @param gcTimeMillisTotal            collection time since the JVM started.
 * @param gcTimeShare                  {@code gcTimeMillis} as a share of the interval (0..1), NaN for an
 *                                     empty interval.
 * @param allocatedBytes               bytes allocated in the interval by the measured threads, -1 when
 *                                     allocation accounting is unavailable.
 * @param allocationRateBytesPerSecond {@code allocatedBytes} per second, NaN when unavailable.
 * @param trendSlopeBytesPerSecond     least-squares slope of the trend signal (old generation after GC, or
 *                                     the heap after GC when there is no old pool) over the trend window,
 *                                     NaN until there are two points.
 * @param trendRSquared                how well a line fits the window (NaN when undefined).
 * @param trendSamples                 points in the trend window (one per sample that saw a collection).
 * @param heapGrowing                  true when the trend is a significant, steady growth (leak signal).
 */
public record MemorySnapshot(
    long timestampEpochMillis,
    long timestampNanos,
    long intervalNanos,
    long heapUsedBytes,
    long heapCommittedBytes,
    long heapMaxBytes,
    long heapAfterGcBytes,
    long oldGenAfterGcBytes,
    long gcCount,
    long gcTimeMillis,
    long gcCountTotal,
    long gcTimeMillisTotal,
    double gcTimeShare,
    long allocatedBytes,
    double allocationRateBytesPerSecond,
    double trendSlopeBytesPerSecond,
    double trendRSquared,
    int trendSamples,
    boolean heapGrowing) {
}
