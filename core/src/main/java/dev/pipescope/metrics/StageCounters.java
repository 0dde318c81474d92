package dev.pipescope.metrics;

/**
 * A consistent set of a stage's counters: all figures come from the same instant of the writer's
 * history (see {@link StageMetrics} for how that is guaranteed), so {@code recordsOut <= recordsIn}
 * always holds.
 *
 * @param batches        batches processed.
 * @param recordsIn      records handed to the stage.
 * @param recordsOut     records the stage passed on.
 * @param busyNanos      time spent inside the stage.
 * @param allocatedBytes bytes the processing thread allocated while in the stage, as reported through
 *                       {@link StageMetrics#recordAllocatedBytes(long)}.
 * @param clampedValues  latency values outside the histograms' trackable range, recorded at the edge of
 *                       the range instead.
 */
public record StageCounters(
    long batches, long recordsIn, long recordsOut, long busyNanos, long allocatedBytes, long clampedValues) {

    /** All zero. */
    public static final StageCounters ZERO = new StageCounters(0, 0, 0, 0, 0, 0);

    /** @return records the stage filtered out: {@code recordsIn - recordsOut}. */
    public long recordsDropped() {
        return recordsIn - recordsOut;
    }

    /**
     * @param earlier counters taken before these (same stage).
     * @return what happened between {@code earlier} and these.
     */
    public StageCounters minus(final StageCounters earlier) {
        return new StageCounters(
            batches - earlier.batches,
            recordsIn - earlier.recordsIn,
            recordsOut - earlier.recordsOut,
            busyNanos - earlier.busyNanos,
            allocatedBytes - earlier.allocatedBytes,
            clampedValues - earlier.clampedValues);
    }
}
