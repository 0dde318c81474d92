package dev.pipescope.health;

import dev.pipescope.metrics.StageMetricsSnapshot;

import java.util.List;
import java.util.Map;

/**
 * The dashboard's answer to "is the pipeline healthy, and if not, why?": an immutable snapshot taken by
 * the reporter thread, never on the hot path.
 *
 * @param epochMillis             when it was taken.
 * @param sequence                1 for the first report, then 2, 3, ...
 * @param status                  the worst status any finding implies.
 * @param reasons                 every finding that made the status what it is (empty when healthy).
 * @param bottleneckStage         the stage with the largest busy share in the interval, or null.
 * @param bottleneckRps           its capacity throughput (records per busy second).
 * @param bottleneck              the bottleneck stage's figures, or null.
 * @param stages                  every stage's figures, in pipeline order.
 * @param stageMetrics            every stage's raw metrics snapshot (interval and since-start latency,
 *                                smoothed throughput, allocation), in pipeline order.
 * @param batchCount              batches since start.
 * @param recordsIn               records in since start.
 * @param recordsOut              records out since start.
 * @param rejected                input lines rejected since start.
 * @param degradedRecords         records passed with stale or no calibration since start.
 * @param totalAlerts             records flagged as anomalies since start.
 * @param intervalBatches         batches in the interval.
 * @param intervalMillis          the interval's length.
 * @param pipelineRps             records in per second of wall time over the interval.
 * @param meanRecentThroughputRps mean of the bottleneck's capacity throughput over the last 10 intervals.
 * @param openCircuits            names of circuits not closed.
 * @param circuits                every circuit.
 * @param retriesLast1m           retries in the last minute.
 * @param retriesLast5m           retries in the last five minutes.
 * @param failuresLast1m          failed calls in the last minute.
 * @param shortCircuitedLast1m    calls refused by open circuits in the last minute.
 * @param cacheHitRates           hit rate since start per cache, e.g. {@code calibrate -> 0.99}.
 * @param intervalCacheHitRates   hit rate over the interval per cache (NaN without lookups).
 * @param memory                  memory and GC figures.
 */
public record HealthReport(long epochMillis, long sequence, HealthStatus status, List<HealthReason> reasons,
                           String bottleneckStage, double bottleneckRps, StageHealth bottleneck,
                           List<StageHealth> stages, List<StageMetricsSnapshot> stageMetrics, long batchCount, long recordsIn, long recordsOut,
                           long rejected, long degradedRecords, long totalAlerts, long intervalBatches,
                           long intervalMillis, double pipelineRps, double meanRecentThroughputRps,
                           List<String> openCircuits, List<CircuitHealth> circuits, long retriesLast1m,
                           long retriesLast5m, long failuresLast1m, long shortCircuitedLast1m,
                           Map<String, Double> cacheHitRates, Map<String, Double> intervalCacheHitRates,
                           MemoryHealth memory) {

    /** Compact constructor: keeps collections immutable. */
    public HealthReport {
        reasons = List.copyOf(reasons);
        stages = List.copyOf(stages);
        stageMetrics = List.copyOf(stageMetrics);
        openCircuits = List.copyOf(openCircuits);
        circuits = List.copyOf(circuits);
        cacheHitRates = Map.copyOf(cacheHitRates);
        intervalCacheHitRates = Map.copyOf(intervalCacheHitRates);
    }

    /** @return one line for people: status, bottleneck, open circuits and reasons. */
    public String summary() {
        final StringBuilder s = new StringBuilder().append(status);
        if (bottleneckStage != null) {
            s.append(" | bottleneck=").append(bottleneckStage).append(" @ ").append(Math.round(bottleneckRps)).append("rps");
        }
        s.append(" | openCircuits=").append(openCircuits);
        for (final HealthReason r : reasons) {
            s.append(" | ").append(r.message());
        }
        return s.toString();
    }
}
