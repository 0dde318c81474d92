package dev.pipescope.pipeline;

/**
 * What a run did, for the {@code run_completed} event and the program's summary.
 *
 * @param batches        batches processed.
 * @param recordsIn      records that entered the pipeline.
 * @param recordsOut     records that left it.
 * @param rejected       input lines rejected as malformed.
 * @param alerts         records flagged as anomalies.
 * @param degraded       records that left flagged degraded.
 * @param elapsedNanos   wall time of the run.
 * @param stopReason     why the run ended: {@code batches}, {@code duration}, {@code input}, {@code stopped}
 *                       or {@code failed}.
 * @param failure        what failed the pipeline when the reason is {@code failed}, else null.
 */
public record RunSummary(long batches, long recordsIn, long recordsOut, long rejected, long alerts, long degraded,
                         long elapsedNanos, String stopReason, StageFailedException failure) {

    /** @return true when a stage failed the run. */
    public boolean failed() {
        return failure != null;
    }

    /** @return records in per second of wall time, or 0 for an empty run. */
    public double throughputRps() {
        return elapsedNanos <= 0 ? 0 : recordsIn * 1e9 / elapsedNanos;
    }

    /** @return elapsed wall time in milliseconds. */
    public double elapsedMs() {
        return elapsedNanos / 1e6;
    }
}
