package dev.pipescope.metrics;

/**
 * Heap, garbage collection and allocation as of one {@link MemoryGcSampler#sample()}. Immutable. Interval
 * figures cover the time since the previous sample (or since the sampler was created).
 *
 * <p><b>For a health rule on memory</b>, the figures to use are the {@code liveSet*} ones and
 * {@code secondsToExhaustion}, taken from the collectors' notifications after every collection:
 * <ul>
 *   <li>{@link #liveSetGrowing()}: the live set has grown steadily and significantly and never came back
 *   down (a leak signal); a natural trigger for a degraded status.</li>
 *   <li>{@link #liveSetShareOfLimit()}: how full the room for live data is, whether or not it is growing;
 *   near 1 (for example above 0.9) the collector is close to thrashing and to {@code OutOfMemoryError}
 *   whatever the trend says.</li>
 *   <li>{@link #secondsToExhaustion()}: at the growth's slope, when the live set reaches the limit; a short
 *   horizon (for example under a minute or a few reporting intervals) means act now.</li>
 *   <li>{@link #gcNotifications()} = 0 while {@link #gcCount()} &gt; 0 over many samples means the signal is
 *   unavailable (no notifying collector), not that the heap is fine.</li>
 * </ul>
 *
 * @param timestampEpochMillis         wall-clock time of the sample.
 * @param timestampNanos               monotonic time of the sample.
 * @param intervalNanos                length of the interval.
 * @param heapUsedBytes                heap in use now (live and not yet collected garbage).
 * @param heapCommittedBytes           heap the JVM has reserved from the OS.
 * @param heapMaxBytes                 the heap's limit, or -1 when undefined.
 * @param heapAfterGcBytes             sum over heap pools of {@code MemoryPoolMXBean.getCollectionUsage()}: each
 *                                     pool's usage after the last collection that collected it; -1 when the
 *                                     JVM reports none. Stale for the old generation on G1, Parallel and Serial
 *                                     until a full collection; prefer {@code liveSetBytes}.
 * @param oldGenAfterGcBytes           the old (tenured) pool's usage after its last collection, or -1 when
 *                                     the collector has no such pool. Same staleness.
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
 * @param trendSlopeBytesPerSecond     the same as {@code liveSetSlopeBytesPerSecond}; kept for existing readers.
 * @param trendRSquared                how well a line fits the live-set floors the slope was fitted over (1 =
 *                                     a perfect line; NaN when undefined).
 * @param trendSamples                 live-set floors the slope was fitted over (see {@link LiveSetTrend}).
 * @param heapGrowing                  the same as {@code liveSetGrowing}; kept for existing readers.
 * @param liveSetBytes                 the live-set estimate: the floor (lowest heap-after-GC) of the latest
 *                                     250 ms bucket of collections, or the current bucket's when lower;
 *                                     an upper bound of the live data that lags growth by at most a bucket;
 *                                     -1 before the first notified collection.
 * @param liveSetLimitBytes            the most the live set can reach: the old generation's maximum on
 *                                     Serial and Parallel (live data must fit there; about two thirds of
 *                                     {@code -Xmx} by default), the heap's maximum otherwise (G1, ZGC); -1
 *                                     when undefined.
 * @param liveSetShareOfLimit          {@code liveSetBytes / liveSetLimitBytes}, normally 0..1 (may slightly
 *                                     exceed 1 on Serial/Parallel, where survivors count in the live set but
 *                                     not in the limit); NaN when either is undefined.
 * @param gcNotifications              collections seen through notifications in the interval (pause
 *                                     notifications of concurrent collectors are not counted).
 * @param majorGcNotifications         of those, the ones reported as major ({@code "end of major GC"}: full or
 *                                     old-generation stop-the-world collections of Serial, Parallel, G1);
 *                                     back-to-back majors mean the collector is fighting for room. ZGC cycles
 *                                     are not counted as major.
 * @param liveSetSlopeBytesPerSecond   least-squares slope of the live-set floors (their lower envelope, see
 *                                     {@link LiveSetTrend}): over the growing run when growing, otherwise over
 *                                     the slow trend's window once it has enough floors, else the fast one's;
 *                                     NaN until two floors.
 * @param liveSetGrowing               true when the live set shows significant, steady growth that no later
 *                                     collection undid, on the fast (seconds) or the slow (minutes) scale.
 * @param secondsToExhaustion          when growing, seconds until the live set reaches the limit at the
 *                                     current slope (0 when already there); NaN when not growing or the limit
 *                                     is undefined.
 * @param gcNotificationsDropped       collection notifications lost since the sampler started, because samples
 *                                     were too far apart for the hand-over buffer (1024 collections) or a
 *                                     notification could not be read; non-zero means the figures above miss
 *                                     collections.
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
    boolean heapGrowing,
    long liveSetBytes,
    long liveSetLimitBytes,
    double liveSetShareOfLimit,
    long gcNotifications,
    long majorGcNotifications,
    double liveSetSlopeBytesPerSecond,
    boolean liveSetGrowing,
    double secondsToExhaustion,
    long gcNotificationsDropped) {
}
