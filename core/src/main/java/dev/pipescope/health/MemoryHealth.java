package dev.pipescope.health;

/**
 * Memory and GC over the last interval.
 *
 * @param heapUsedBytes         heap in use now.
 * @param heapCommittedBytes    heap committed now.
 * @param heapAfterGcBytes      heap in use after the last collection (the leak signal).
 * @param gcCount               collections in the interval.
 * @param gcTimeMillis          time spent collecting in the interval.
 * @param gcShare               share of the interval's wall time spent collecting (0..1).
 * @param allocationRateBytesPerSec bytes allocated per second by the measured threads.
 * @param heapGrowing           whether the post-GC heap trend is significantly upward.
 * @param heapSlopeBytesPerSec  the trend's slope.
 */
public record MemoryHealth(long heapUsedBytes, long heapCommittedBytes, long heapAfterGcBytes, long gcCount,
                           long gcTimeMillis, double gcShare, double allocationRateBytesPerSec,
                           boolean heapGrowing, double heapSlopeBytesPerSec) {
    /** No memory figures (before the first sample). */
    public static final MemoryHealth UNKNOWN = new MemoryHealth(0, 0, 0, 0, 0, 0, 0, false, 0);
}
