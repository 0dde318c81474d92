package dev.pipescope.health;

/**
 * The limits the health rules judge by. Immutable; the dashboard swaps in a new instance to change them.
 *
 * @param retriesPerMinute      retries in the last minute above which the pipeline is in a retry storm.
 * @param gcShare               share of wall time in GC (0..1) above which there is GC pressure.
 * @param throughputDropRatio   a stage whose throughput falls below this fraction of its recent mean has
 *                              dropped (0..1).
 * @param minBatchesForDrop     batches an interval needs before its throughput is judged.
 * @param stallTimeoutMs        a batch in flight longer than this means the pipeline is stalled.
 * @param degradedShare         share of records passing degraded (stale or no calibration) that makes the
 *                              pipeline DEGRADED (0..1).
 * @param failingShare          share of records failing that makes it UNHEALTHY (0..1).
 */
public record HealthThresholds(double retriesPerMinute, double gcShare, double throughputDropRatio,
                               long minBatchesForDrop, long stallTimeoutMs, double degradedShare,
                               double failingShare) {

    /** The defaults: 50 retries/min, 20% GC, half the recent throughput, 5 s stall, 1% degraded, 50% failing. */
    public static final HealthThresholds DEFAULTS = new HealthThresholds(50, 0.20, 0.5, 5, 5_000, 0.01, 0.5);

    /** Compact constructor: checks ranges. */
    public HealthThresholds {
        requireRange("retriesPerMinute", retriesPerMinute, 0, Double.MAX_VALUE);
        requireRange("gcShare", gcShare, 0, 1);
        requireRange("throughputDropRatio", throughputDropRatio, 0, 1);
        requireRange("minBatchesForDrop", minBatchesForDrop, 1, Long.MAX_VALUE);
        requireRange("stallTimeoutMs", stallTimeoutMs, 1, Long.MAX_VALUE);
        requireRange("degradedShare", degradedShare, 0, 1);
        requireRange("failingShare", failingShare, 0, 1);
    }

    private static void requireRange(final String name, final double value, final double min, final double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], was " + value);
        }
    }
}
