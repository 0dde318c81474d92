package dev.pipescope.pipeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

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
 * @param blankLines     blank input lines the source skipped (counted, neither records nor rejections), all
 *                       of them since it was opened: those before the first data line, which a CSV source reads
 *                       when it opens, included.
 * @param droppedByStage records each stage filtered out during the run, by stage name in pipeline order
 *                       (every stage, 0 included); empty when the pipeline was not instrumented, since the
 *                       counts come from the per-stage observations (see {@link PipelineRunner#run()}).
 */
public record RunSummary(long batches, long recordsIn, long recordsOut, long rejected, long alerts, long degraded,
                         long elapsedNanos, String stopReason, StageFailedException failure, long blankLines,
                         Map<String, Long> droppedByStage) {

    /** Compact constructor: keeps the map immutable and in pipeline order. */
    public RunSummary {
        droppedByStage = Collections.unmodifiableMap(new LinkedHashMap<>(droppedByStage));
    }

    /**
     * A summary without blank-line or per-stage counts (as before they were kept).
     *
     * @param batches      batches processed.
     * @param recordsIn    records that entered the pipeline.
     * @param recordsOut   records that left it.
     * @param rejected     input lines rejected as malformed.
     * @param alerts       records flagged as anomalies.
     * @param degraded     records that left flagged degraded.
     * @param elapsedNanos wall time of the run.
     * @param stopReason   why the run ended.
     * @param failure      what failed the pipeline, or null.
     */
    public RunSummary(final long batches, final long recordsIn, final long recordsOut, final long rejected,
        final long alerts, final long degraded, final long elapsedNanos, final String stopReason,
        final StageFailedException failure) {
        this(batches, recordsIn, recordsOut, rejected, alerts, degraded, elapsedNanos, stopReason, failure, 0,
            Map.of());
    }

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

    /** @return records filtered out by the stages, all together ({@code recordsIn - recordsOut}). */
    public long recordsDropped() {
        return recordsIn - recordsOut;
    }

    /**
     * @return the name of the stage that dropped the most records (the first of equals), or null when none
     *     dropped any (or the counts were not kept).
     */
    public String topDroppingStage() {
        String top = null;
        long most = 0;
        for (final Map.Entry<String, Long> e : droppedByStage.entrySet()) {
            if (e.getValue() > most) {
                most = e.getValue();
                top = e.getKey();
            }
        }
        return top;
    }
}
