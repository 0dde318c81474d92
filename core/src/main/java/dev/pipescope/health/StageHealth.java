package dev.pipescope.health;

/**
 * One stage as the health report sees it over the last interval. Throughput here is the stage's
 * capacity: records out per second of time spent in the stage, so a slower stage shows a lower figure
 * even when the input rate is limited. Latencies are per batch, in microseconds; NaN when the interval
 * had no batch.
 *
 * @param name             the stage's name.
 * @param batches          batches in the interval.
 * @param recordsIn        records in, in the interval.
 * @param recordsOut       records out, in the interval.
 * @param busyShare        share of the interval's wall time spent in the stage (0..1).
 * @param throughputRps    capacity throughput in the interval.
 * @param recentMeanRps    mean capacity throughput over recent intervals (the baseline for drops).
 * @param p50Micros        batch latency median.
 * @param p90Micros        90th percentile.
 * @param p99Micros        99th percentile.
 * @param p999Micros       99.9th percentile.
 * @param maxMicros        maximum.
 */
public record StageHealth(String name, long batches, long recordsIn, long recordsOut, double busyShare,
                          double throughputRps, double recentMeanRps, double p50Micros, double p90Micros,
                          double p99Micros, double p999Micros, double maxMicros) {

    /** @return true when the interval had at least one batch. */
    public boolean hasData() {
        return batches > 0;
    }
}
