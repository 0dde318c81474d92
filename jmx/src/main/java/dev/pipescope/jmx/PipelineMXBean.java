package dev.pipescope.jmx;

/** {@code dev.pipescope:type=Pipeline,pipeline=<pipeline>}: the pipeline's shape and totals. */
@Description("A pipescope pipeline: its stages in order, the available stage types and its totals.")
public interface PipelineMXBean {
    /** @return the pipeline's name. */
    @Description("The pipeline's name.")
    String getName();

    /** @return stage names in processing order. */
    @Description("Stage names in processing order.")
    String[] getStageNames();

    /** @return stage types available to configs. */
    @Description("Stage types discovered on the class path (usable in pipeline configs).")
    String[] getAvailableStageTypes();

    /** @return batches processed. */
    @Description("Batches processed since start or the last resetMetrics().")
    long getBatches();

    /** @return records in. */
    @Description("Records that entered the first stage.")
    long getRecordsIn();

    /** @return records out. */
    @Description("Records that left the last stage.")
    long getRecordsOut();

    /** @return rejected input lines. */
    @Description("Input lines rejected as malformed by the source.")
    long getRecordsRejected();

    /** @return anomalies flagged. */
    @Description("Records flagged as anomalies on leaving the pipeline.")
    long getAlerts();

    /** @return degraded records. */
    @Description("Records that left with stale or no calibration, since start or the last resetMetrics().")
    long getDegradedRecords();

    /** @return uptime. */
    @Description("Seconds since the pipeline was assembled.")
    double getUptimeSeconds();

    /** @return READY, RUNNING, FAILED or CLOSED. */
    @Description("Lifecycle state: READY, RUNNING, FAILED (a stage threw; see Failure) or CLOSED.")
    String getState();

    /** @return what failed the pipeline. */
    @Description("What failed the pipeline: the stage, the batch and the error; null while it has not failed.")
    String getFailure();

    /** Restarts totals and stage metrics from zero. */
    @Description("Restart the totals and every stage's metrics from zero (the pipeline keeps running).")
    void resetMetrics();
}
