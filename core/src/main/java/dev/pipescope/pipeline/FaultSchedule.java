package dev.pipescope.pipeline;

import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.calibration.SimulatedCalibrationService;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Faults injected by batch number, so that open circuits, retries and bottlenecks can be seen without
 * a real outage. Two kinds, written as the program's {@code --fault} option takes them:
 * <ul>
 *   <li>{@code calibration:S3@200-600} — the simulated calibration service fails for sensor S3 from
 *       batch 200 to batch 600 inclusive;</li>
 *   <li>{@code slow:anomaly@400-800} — stage {@code anomaly} takes an extra millisecond per batch
 *       ({@code slow:anomaly=5ms@400-800} for another delay).</li>
 * </ul>
 * Applied on the processing thread before each batch ({@link PipelineRunner.BatchHook}).
 */
public final class FaultSchedule implements PipelineRunner.BatchHook {
    private static final Pattern FORMAT = Pattern.compile(
        "(calibration|slow):([^@=]+)(?:=(\\d+)(us|ms))?@(\\d+)-(\\d+)");

    /**
     * One fault.
     *
     * @param kind        {@code calibration} or {@code slow}.
     * @param target      the sensor (calibration) or stage (slow).
     * @param delayNanos  the extra time per batch (slow only).
     * @param firstBatch  first affected batch (1-based, inclusive).
     * @param lastBatch   last affected batch (inclusive).
     */
    public record Fault(String kind, String target, long delayNanos, long firstBatch, long lastBatch) {
        @Override
        public String toString() {
            return kind + ":" + target + ("slow".equals(kind) ? "=" + delayNanos / 1000 + "us" : "")
                + "@" + firstBatch + "-" + lastBatch;
        }
    }

    private final Fault[] faults;
    private final int[] targetIds;
    private final Pipeline pipeline;
    private final SimulatedCalibrationService calibration;

    /**
     * @param faults      the faults.
     * @param pipeline    where slow faults apply.
     * @param registry    resolves calibration faults' sensor names (registered if new).
     * @param calibration where calibration faults apply.
     * @throws IllegalArgumentException when a slow fault names no stage of the pipeline.
     */
    public FaultSchedule(final List<Fault> faults, final Pipeline pipeline, final SensorRegistry registry,
        final SimulatedCalibrationService calibration) {
        this.faults = faults.toArray(new Fault[0]);
        this.pipeline = pipeline;
        this.calibration = calibration;
        targetIds = new int[this.faults.length];
        for (int i = 0; i < this.faults.length; i++) {
            final Fault f = this.faults[i];
            if ("calibration".equals(f.kind())) {
                targetIds[i] = registry.register(f.target());
            } else if (pipeline.stage(f.target()) == null) {
                throw new IllegalArgumentException("fault " + f + ": the pipeline has no stage '" + f.target()
                    + "'; stages: " + pipeline.stages());
            }
        }
    }

    /**
     * Parses {@code calibration:SENSOR@FIRST-LAST} or {@code slow:STAGE[=Nms|Nus]@FIRST-LAST}.
     *
     * @param text the fault.
     * @return it.
     * @throws IllegalArgumentException saying what is expected.
     */
    public static Fault parse(final String text) {
        final Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("fault '" + text + "' must be calibration:SENSOR@FIRST-LAST"
                + " or slow:STAGE[=DELAYms]@FIRST-LAST, e.g. calibration:S3@200-600 or slow:anomaly@400-800");
        }
        final long first = Long.parseLong(m.group(5));
        final long last = Long.parseLong(m.group(6));
        if (first < 1 || last < first) {
            throw new IllegalArgumentException("fault '" + text + "': batches must satisfy 1 <= FIRST <= LAST");
        }
        long delay = 0;
        if ("slow".equals(m.group(1))) {
            delay = 1_000_000L;
            if (m.group(3) != null) {
                delay = Long.parseLong(m.group(3)) * ("ms".equals(m.group(4)) ? 1_000_000L : 1_000L);
            }
        } else if (m.group(3) != null) {
            throw new IllegalArgumentException("fault '" + text + "': a calibration fault takes no delay");
        }
        return new Fault(m.group(1), m.group(2), delay, first, last);
    }

    /**
     * @param texts faults as text.
     * @return them parsed.
     */
    public static List<Fault> parseAll(final List<String> texts) {
        final List<Fault> parsed = new ArrayList<>();
        for (final String t : texts) {
            parsed.add(parse(t));
        }
        return parsed;
    }

    @Override
    public void beforeBatch(final long batchNumber) {
        for (int i = 0; i < faults.length; i++) {
            final Fault f = faults[i];
            if (batchNumber == f.firstBatch() || batchNumber == f.lastBatch() + 1) {
                final boolean active = batchNumber == f.firstBatch();
                if ("calibration".equals(f.kind())) {
                    calibration.setFailing(targetIds[i], active);
                } else {
                    pipeline.injectDelay(f.target(), active ? f.delayNanos() : 0);
                }
            }
        }
    }
}
