package dev.pipescope.pipeline;

/**
 * A consistent set of a pipeline's totals: every figure comes from the same instant between two batches
 * (see {@link PipelineTotals}), so {@code recordsOut <= recordsIn} and {@code alerts <= recordsOut} always
 * hold.
 *
 * @param batches    batches processed.
 * @param recordsIn  records that entered the first stage.
 * @param recordsOut records that left the last stage.
 * @param alerts     records that left flagged {@code ANOMALY}.
 * @param degraded   records that left flagged {@code DEGRADED} (a dependency failed; a fallback was used).
 * @param invalid    records that left flagged {@code INVALID} (non-finite readings).
 * @param rejected   input lines the source rejected as malformed.
 */
public record PipelineCounters(long batches, long recordsIn, long recordsOut, long alerts, long degraded,
                               long invalid, long rejected) {
    /** All zero. */
    public static final PipelineCounters ZERO = new PipelineCounters(0, 0, 0, 0, 0, 0, 0);

    /**
     * @param earlier counters taken before these, of the same pipeline.
     * @return what happened between the two.
     */
    public PipelineCounters minus(final PipelineCounters earlier) {
        return new PipelineCounters(batches - earlier.batches, recordsIn - earlier.recordsIn,
            recordsOut - earlier.recordsOut, alerts - earlier.alerts, degraded - earlier.degraded,
            invalid - earlier.invalid, rejected - earlier.rejected);
    }
}
