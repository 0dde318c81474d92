package dev.pipescope.health;

/**
 * Memory and GC over the last interval.
 *
 * @param heapUsedBytes             heap in use now.
 * @param heapCommittedBytes        heap committed now.
 * @param liveSetLimitBytes         the most the live set can reach (the old generation's max on Serial and
 *                                  Parallel, the heap's max on G1 and ZGC), or -1 when undefined.
 * @param liveSetBytes              the live set: the lowest heap in use after collections of the last
 *                                  moments, from GC notifications (the leak signal); -1 before the first.
 * @param liveSetShare              the live set as a share of its limit (0..1), NaN when unknown.
 * @param gcCount                   collections in the interval.
 * @param gcTimeMillis              time spent collecting in the interval.
 * @param gcShare                   share of the interval's wall time spent collecting (0..1).
 * @param allocationRateBytesPerSec bytes allocated per second by the measured threads.
 * @param heapGrowing               whether the live set grows steadily.
 * @param heapSlopeBytesPerSec      the live set's growth rate.
 * @param secondsToExhaustion       at that rate, seconds until the live set reaches its limit (NaN when not
 *                                  growing or unbounded).
 */
public record MemoryHealth(long heapUsedBytes, long heapCommittedBytes, long liveSetLimitBytes, long liveSetBytes,
                           double liveSetShare, long gcCount, long gcTimeMillis, double gcShare,
                           double allocationRateBytesPerSec, boolean heapGrowing, double heapSlopeBytesPerSec,
                           double secondsToExhaustion) {
    /** No memory figures (before the first sample). */
    public static final MemoryHealth UNKNOWN = new MemoryHealth(0, 0, -1, -1, Double.NaN, 0, 0, 0, 0, false, 0,
        Double.NaN);
}
