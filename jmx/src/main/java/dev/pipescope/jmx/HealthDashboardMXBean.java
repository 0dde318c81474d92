package dev.pipescope.jmx;

import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/** {@code dev.pipescope:type=HealthDashboard,pipeline=<pipeline>}: is the pipeline healthy, and if not, why. */
@Description("The pipeline's health: status, bottleneck stage and why, circuits, retries, caches, memory and GC."
    + " Figures come from the latest report (taken every health interval).")
public interface HealthDashboardMXBean {
    /** @return HEALTHY, DEGRADED or UNHEALTHY. */
    @Description("HEALTHY, DEGRADED or UNHEALTHY (UNKNOWN before the first report).")
    String getStatus();

    /** @return 0 healthy, 1 degraded, 2 unhealthy, -1 unknown. */
    @Description("Status as a number for exporters: 0 HEALTHY, 1 DEGRADED, 2 UNHEALTHY, -1 before the first report"
        + " (higher is worse, so an alert rule can say StatusCode > 0).")
    int getStatusCode();

    /** @return every finding. */
    @Description("Every finding behind the status, root cause first, each a sentence starting with its code,"
        + " e.g. 'CIRCUIT_OPEN calibration:S3 open for 4.2 s'.")
    String[] getReasons();

    /** @return the root cause's code. */
    @Description("Code of the first reason, the root cause (e.g. CIRCUIT_OPEN, THROUGHPUT_DROP, STALLED); null when"
        + " there is none (healthy).")
    String getFirstReasonCode();

    /** @return what the root cause is about. */
    @Description("What the first reason is about: a stage, a breaker (calibration:S3), a dependency, heap, gc, host"
        + " or pipeline; null when there is none.")
    String getFirstReasonSubject();

    /** @return the busiest stage. */
    @Description("The stage with the largest busy share in the last interval; null when the pipeline is source-bound"
        + " (see SourceBound) or no stage ran.")
    String getBottleneckStage();

    /** @return its capacity. */
    @Description("The bottleneck's capacity in records per second of its own time.")
    double getBottleneckRps();

    /** @return its p99. */
    @Description("The bottleneck's 99th percentile batch latency in microseconds.")
    double getBottleneckP99Micros();

    /** @return mean of recent bottleneck capacities. */
    @Description("Mean of the bottleneck capacity over the last 10 reports.")
    double getMeanRecentThroughputRps();

    /** @return records per second of wall time. */
    @Description("Records in per second of wall time over the last interval.")
    double getPipelineRps();

    /** @return whether the pipeline waits for its source. */
    @Description("True when the stages were busy less than half of the last interval: the pipeline waits for its"
        + " source, and no stage is named the bottleneck.")
    boolean isSourceBound();

    /** @return the whole host's speed against the stages' baselines. */
    @Description("The stages' median capacity against their long-run baselines: about 1 normally, well below 1 when"
        + " the whole machine slowed (HOST_SLOWDOWN) rather than one stage; NaN until baselines are known.")
    double getHostSpeedRatio();

    /** @return circuits not closed. */
    @Description("Names of circuits that are not closed.")
    String[] getOpenCircuits();

    /** @return how many. */
    @Description("Number of circuits that are not closed.")
    int getOpenCircuitCount();

    /** @return retries in the last minute. */
    @Description("Retries of calls to dependencies in the last minute.")
    long getRetriesLast1m();

    /** @return retries in the last 5 minutes. */
    @Description("Retries of calls to dependencies in the last five minutes, read from the calls' windows when asked"
        + " (the health report itself carries only the last minute).")
    long getRetriesLast5m();

    /** @return failed attempts in the last minute. */
    @Description("Failed attempts of calls to dependencies in the last minute.")
    long getFailuresLast1m();

    /** @return short-circuited calls in the last minute. */
    @Description("Calls refused by open circuits in the last minute.")
    long getShortCircuitedLast1m();

    /** @return anomalies. */
    @Description("Records flagged as anomalies since start.")
    long getTotalAlerts();

    /** @return batches. */
    @Description("Batches processed since start.")
    long getBatchCount();

    /** @return hit rates per cache. */
    @Description("Hit rate (0..1) since start and over the last interval, per cache.")
    TabularData getCacheHitRates();

    /** @return the calibration cache's hit rate. */
    @Description("Hit rate (0..1) of the calibration cache since start (NaN before any lookup).")
    double getCalibrationCacheHitRate();

    /** @return heap used. */
    @Description("Heap in use, bytes.")
    long getHeapUsedBytes();

    /** @return heap committed. */
    @Description("Heap committed, bytes.")
    long getHeapCommittedBytes();

    /** @return heap after GC. */
    @Description("The live set: heap in use after recent collections, bytes (the leak signal); -1 before the first"
        + " collection or report.")
    long getHeapAfterGcBytes();

    /** @return GC count. */
    @Description("Collections in the last interval.")
    long getGcCount();

    /** @return GC time. */
    @Description("Milliseconds spent collecting in the last interval.")
    long getGcTimeMillis();

    /** @return GC share. */
    @Description("Share (0..1) of the last interval spent collecting.")
    double getGcShare();

    /** @return allocation rate. */
    @Description("Bytes allocated per second by the processing thread.")
    double getAllocationRateBytesPerSec();

    /** @return growing. */
    @Description("Whether the heap after collections is growing steadily.")
    boolean isHeapGrowing();

    /** @return slope. */
    @Description("Trend of the heap after collections, bytes per second.")
    double getHeapSlopeBytesPerSec();

    /** @return report number. */
    @Description("Number of the latest report (1, 2, ...).")
    long getReportSequence();

    /** @return the whole report. */
    @Description("The whole latest report as one composite value.")
    CompositeData getLastReport();

    /** Asks for a report now. */
    @Description("Ask the reporter for a report now (it is taken on its thread, not the caller's).")
    void requestReport();
}
