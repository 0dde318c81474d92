package dev.pipescope.pipeline;

/**
 * What a run did, for the {@code run_completed} event and the program's summary.
 *
 * @param batches        batches processed.
 * @param recordsIn      records that entered the pipeline.
 * @param recordsOut     records that left it.
 * @param rejected       input lines rejected as malformed.
 * @param alerts         records flagged as anomalies.
 * @param elapsedNanos   wall time of the run.
 * @param stopReason     why the run ended: {@code batches}, {@code duration}, {@code input}, {@code stopped}.
 */
public record RunSummary(long batches, long recordsIn, long recordsOut, long rejected, long alerts,
                         long elapsedNanos, String stopReason) {

    /** @return records in per second of wall time, or 0 for an empty run. */
    public double throughputRps() {
        return elapsedNanos <= 0 ? 0 : recordsIn * 1e9 / elapsedNanos;
    }

    /** @return elapsed wall time in milliseconds. */
    public double elapsedMs() {
        return elapsedNanos / 1e6;
    }
}
