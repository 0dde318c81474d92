package dev.pipescope.health;

/**
 * One stage as the health report sees it over the last interval. Capacity is records per second of the
 * stage's own time, judged from its median batch, so it shows how fast the stage is even when the input
 * rate is limited and one hiccup does not read as a drop. Latencies are per batch, in microseconds; NaN
 * when the interval had no batch.
 *
 * @param name                   the stage's name.
 * @param batches                batches in the interval.
 * @param recordsIn              records in, in the interval.
 * @param recordsOut             records out, in the interval.
 * @param busyShare              share of the interval's wall time spent in the stage (0..1).
 * @param capacityRps            records per second of the stage's own time, from its median batch.
 * @param baselineRps            the stage's typical capacity over a long horizon of healthy intervals
 *                               (the baseline drops are judged against; NaN until known).
 * @param allocatedBytesPerBatch bytes the processing thread allocated in the stage per batch (sampled).
 * @param p50Micros              batch latency median.
 * @param p90Micros              90th percentile.
 * @param p99Micros              99th percentile.
 * @param p999Micros             99.9th percentile.
 * @param maxMicros              maximum.
 */
public record StageHealth(String name, long batches, long recordsIn, long recordsOut, double busyShare,
                          double capacityRps, double baselineRps, double allocatedBytesPerBatch,
                          double p50Micros, double p90Micros, double p99Micros, double p999Micros,
                          double maxMicros) {

    /** @return true when the interval had at least one batch. */
    public boolean hasData() {
        return batches > 0;
    }

    /** @return capacity as a share of the baseline, NaN when either is unknown. */
    public double capacityRatio() {
        return baselineRps > 0 && capacityRps > 0 ? capacityRps / baselineRps : Double.NaN;
    }
}
