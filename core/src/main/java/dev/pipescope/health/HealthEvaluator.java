package dev.pipescope.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The status rules, as a pure function of the figures, so each rule is testable without a running
 * pipeline:
 * <ul>
 *   <li>UNHEALTHY — a batch has been in flight longer than the stall timeout ({@code STALLED}); or more
 *       than {@code failingShare} of the interval's records failed ({@code RECORDS_FAILING});</li>
 *   <li>DEGRADED — a circuit is not closed ({@code CIRCUIT_OPEN}); retries in the last minute above the
 *       threshold ({@code RETRY_STORM}); GC share above its threshold ({@code GC_PRESSURE}); the post-GC
 *       heap growing ({@code HEAP_GROWING}); a stage below {@code throughputDropRatio} of its recent mean
 *       ({@code THROUGHPUT_DROP}); more than {@code degradedShare} of records degraded
 *       ({@code DEGRADED_RECORDS});</li>
 *   <li>HEALTHY otherwise.</li>
 * </ul>
 * When the status is not HEALTHY, a {@code BOTTLENECK} finding names the busiest stage with its p99 and
 * busy share, as context for the operator.
 */
public final class HealthEvaluator {
    private HealthEvaluator() {
    }

    /** The figures one evaluation judges. */
    public record Inputs(List<StageHealth> stages, List<CircuitHealth> circuits, long retriesLast1m,
                         long intervalRecordsIn, long intervalDegraded, long intervalFailing,
                         long inFlightMillis, MemoryHealth memory) {
    }

    /** What the rules found. */
    public record Verdict(HealthStatus status, List<HealthReason> reasons, StageHealth bottleneck) {
    }

    /**
     * @param in         the figures.
     * @param thresholds the limits.
     * @return the status, the findings, and the bottleneck stage (null when no stage ran).
     */
    public static Verdict evaluate(final Inputs in, final HealthThresholds thresholds) {
        final List<HealthReason> reasons = new ArrayList<>();
        if (in.inFlightMillis() > thresholds.stallTimeoutMs()) {
            reasons.add(reason(HealthReason.STALLED, "pipeline", HealthStatus.UNHEALTHY,
                "no batch completed for %.1f s although one is in flight (stall timeout %.1f s)",
                in.inFlightMillis() / 1e3, thresholds.stallTimeoutMs() / 1e3));
        }
        if (in.intervalRecordsIn() > 0) {
            final double failing = (double) in.intervalFailing() / in.intervalRecordsIn();
            final double degraded = (double) in.intervalDegraded() / in.intervalRecordsIn();
            if (failing > thresholds.failingShare()) {
                reasons.add(reason(HealthReason.RECORDS_FAILING, "pipeline", HealthStatus.UNHEALTHY,
                    "%.0f%% of records failed in the last interval (limit %.0f%%)", failing * 100,
                    thresholds.failingShare() * 100));
            } else if (degraded > thresholds.degradedShare()) {
                reasons.add(reason(HealthReason.DEGRADED_RECORDS, "calibrate", HealthStatus.DEGRADED,
                    "%.1f%% of records passed with stale or no calibration (limit %.1f%%)", degraded * 100,
                    thresholds.degradedShare() * 100));
            }
        }
        for (final CircuitHealth c : in.circuits()) {
            if (c.isOpen()) {
                reasons.add(reason(HealthReason.CIRCUIT_OPEN, c.name(), HealthStatus.DEGRADED,
                    "%s %s for %.1f s", c.name(), "OPEN".equals(c.state()) ? "open" : "half-open (probing)",
                    c.inStateMillis() / 1e3));
            }
        }
        if (in.retriesLast1m() > thresholds.retriesPerMinute()) {
            reasons.add(reason(HealthReason.RETRY_STORM, "retries", HealthStatus.DEGRADED,
                "%d retries in the last minute (limit %.0f)", in.retriesLast1m(), thresholds.retriesPerMinute()));
        }
        final MemoryHealth memory = in.memory();
        if (memory.gcShare() > thresholds.gcShare()) {
            reasons.add(reason(HealthReason.GC_PRESSURE, "gc", HealthStatus.DEGRADED,
                "GC took %.0f%% of the last interval (%d collections, %d ms; limit %.0f%%)", memory.gcShare() * 100,
                memory.gcCount(), memory.gcTimeMillis(), thresholds.gcShare() * 100));
        }
        if (memory.heapGrowing()) {
            reasons.add(reason(HealthReason.HEAP_GROWING, "heap", HealthStatus.DEGRADED,
                "heap after GC growing by %.1f MB/min (now %.1f MB)", memory.heapSlopeBytesPerSec() * 60 / 1e6,
                memory.heapAfterGcBytes() / 1e6));
        }
        StageHealth bottleneck = null;
        for (final StageHealth s : in.stages()) {
            if (!s.hasData()) {
                continue;
            }
            if (bottleneck == null || s.busyShare() > bottleneck.busyShare()) {
                bottleneck = s;
            }
            if (s.batches() >= thresholds.minBatchesForDrop() && s.recentMeanRps() > 0
                && s.throughputRps() < thresholds.throughputDropRatio() * s.recentMeanRps()) {
                reasons.add(reason(HealthReason.THROUGHPUT_DROP, s.name(), HealthStatus.DEGRADED,
                    "%s at %.0f rps, %.0f%% of its recent %.0f rps", s.name(), s.throughputRps(),
                    100 * s.throughputRps() / s.recentMeanRps(), s.recentMeanRps()));
            }
        }
        HealthStatus status = HealthStatus.HEALTHY;
        for (final HealthReason r : reasons) {
            status = status.worst(r.status());
        }
        if (status != HealthStatus.HEALTHY && bottleneck != null) {
            reasons.add(reason(HealthReason.BOTTLENECK, bottleneck.name(), HealthStatus.HEALTHY,
                "%s p99 %s, %.0f%% busy", bottleneck.name(), formatMicros(bottleneck.p99Micros()),
                bottleneck.busyShare() * 100));
        }
        return new Verdict(status, reasons, bottleneck);
    }

    private static HealthReason reason(final String code, final String subject, final HealthStatus status,
        final String format, final Object... args) {
        return new HealthReason(code, subject, status, code + " " + String.format(Locale.ROOT, format, args));
    }

    /**
     * @param micros a latency in microseconds.
     * @return e.g. {@code 850 us} or {@code 3.1 ms}.
     */
    static String formatMicros(final double micros) {
        if (Double.isNaN(micros)) {
            return "n/a";
        }
        return micros >= 1000 ? String.format(Locale.ROOT, "%.1f ms", micros / 1000)
            : String.format(Locale.ROOT, "%.0f us", micros);
    }
}
