package dev.pipescope.events;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.health.HealthDashboard;
import dev.pipescope.health.HealthListener;
import dev.pipescope.health.HealthReason;
import dev.pipescope.health.HealthReport;
import dev.pipescope.health.HealthStatus;
import dev.pipescope.health.HealthStatusListener;
import dev.pipescope.health.MemoryHealth;
import dev.pipescope.health.StageHealth;
import dev.pipescope.log.JsonKey;
import dev.pipescope.log.JsonLogEncoder;
import dev.pipescope.log.LogContext;
import dev.pipescope.log.LogLevel;
import dev.pipescope.log.StructuredLogger;
import dev.pipescope.pipeline.BatchObserver;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.StageFailedException;
import dev.pipescope.resilience.CircuitBreaker;
import dev.pipescope.resilience.CircuitBreakerListener;
import dev.pipescope.stage.AnomalyStage;
import dev.pipescope.stage.ConfiguredStage;
import dev.pipescope.stage.ParameterSpec;
import dev.pipescope.stage.builtin.AnomalyDetector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns what a pipeline does into the JSON events of the catalogue (see README): {@code stage_completed}
 * (every Nth batch per stage), {@code anomaly_detected} (limited per sensor in reading time, with an exact
 * suppressed count, see {@link AnomalyEventLimiter}), {@code anomalies_suppressed} (the rest, at
 * {@link #finish()}), {@code circuit_state_changed}, {@code parameter_changed}, {@code pipeline_health},
 * {@code health_status_changed} and {@code run_failed}. The processing-thread events are allocation-free;
 * each logger is created once here, at assembly.
 *
 * <p>An {@code anomaly_detected} event carries the reading ({@code value}, {@code rawValue} as it entered the
 * pipeline, {@code readingTime} in ISO-8601 UTC and {@code readingTimestampMs}), the detector's statistic
 * ({@code zScore}, three decimals) and its {@code score} in [0, 1] (exactly as the record output writes it, NaN
 * as the log's non-finite style when the detector wrote none); when the
 * detector is an {@link AnomalyDetector} and the pipeline's last stage, also the {@code mean} and
 * {@code stdev} the z-score was computed against (see {@link ZScoreBaseline}).
 *
 * <p>{@link #attach(Pipeline, HealthDashboard)} subscribes it to everything it logs; other observers (Flight
 * Recorder events, an embedder's own) attach themselves beside it.
 */
public final class PipelineEventLog implements BatchObserver, CircuitBreakerListener, HealthListener,
    HealthStatusListener, ConfiguredStage.ParameterChangeListener {
    // Keys of the two most frequent events, encoded once (JsonKey: no per-field lookup); same bytes as Strings.
    private static final JsonKey K_BATCH = JsonKey.of("batch");
    private static final JsonKey K_RECORDS_IN = JsonKey.of("recordsIn");
    private static final JsonKey K_RECORDS_OUT = JsonKey.of("recordsOut");
    private static final JsonKey K_ELAPSED_MS = JsonKey.of("elapsedMs");
    private static final JsonKey K_THROUGHPUT_RPS = JsonKey.of("throughputRps");
    private static final JsonKey K_STATUS = JsonKey.of("status");
    private static final JsonKey K_SEQUENCE = JsonKey.of("sequence");
    private static final JsonKey K_BATCH_COUNT = JsonKey.of("batchCount");
    private static final JsonKey K_TOTAL_ALERTS = JsonKey.of("totalAlerts");
    private static final JsonKey K_OPEN_CIRCUITS = JsonKey.of("openCircuits");
    private static final JsonKey K_BOTTLENECK_STAGE = JsonKey.of("bottleneckStage");
    private static final JsonKey K_BOTTLENECK_RPS = JsonKey.of("bottleneckRps");
    private static final JsonKey K_MEAN_RECENT_THROUGHPUT_RPS = JsonKey.of("meanRecentThroughputRps");
    private static final JsonKey K_PIPELINE_RPS = JsonKey.of("pipelineRps");
    private static final JsonKey K_BUSY_SHARE = JsonKey.of("busyShare");
    private static final JsonKey K_SOURCE_BOUND = JsonKey.of("sourceBound");
    private static final JsonKey K_HOST_SPEED_RATIO = JsonKey.of("hostSpeedRatio");
    private static final JsonKey K_CACHE_HIT_RATES = JsonKey.of("cacheHitRates");
    private static final JsonKey K_RETRIES_LAST1M = JsonKey.of("retriesLast1m");
    private static final JsonKey K_FAILURES_LAST1M = JsonKey.of("failuresLast1m");
    private static final JsonKey K_SHORT_CIRCUITED_LAST1M = JsonKey.of("shortCircuitedLast1m");
    private static final JsonKey K_REJECTED = JsonKey.of("rejected");
    private static final JsonKey K_DEGRADED_RECORDS = JsonKey.of("degradedRecords");
    private static final JsonKey K_BOTTLENECK_LATENCY_MICROS = JsonKey.of("bottleneckLatencyMicros");
    private static final JsonKey K_P50 = JsonKey.of("p50");
    private static final JsonKey K_P90 = JsonKey.of("p90");
    private static final JsonKey K_P99 = JsonKey.of("p99");
    private static final JsonKey K_P999 = JsonKey.of("p999");
    private static final JsonKey K_MAX = JsonKey.of("max");
    private static final JsonKey K_MEMORY = JsonKey.of("memory");
    private static final JsonKey K_HEAP_USED_KB = JsonKey.of("heapUsedKb");
    private static final JsonKey K_HEAP_COMMITTED_KB = JsonKey.of("heapCommittedKb");
    private static final JsonKey K_LIVE_SET_LIMIT_KB = JsonKey.of("liveSetLimitKb");
    private static final JsonKey K_LIVE_SET_KB = JsonKey.of("liveSetKb");
    private static final JsonKey K_LIVE_SET_SHARE = JsonKey.of("liveSetShare");
    private static final JsonKey K_GC_COUNT = JsonKey.of("gcCount");
    private static final JsonKey K_GC_TIME_MS = JsonKey.of("gcTimeMs");
    private static final JsonKey K_GC_SHARE = JsonKey.of("gcShare");
    private static final JsonKey K_ALLOCATION_RATE_BYTES_PER_SEC = JsonKey.of("allocationRateBytesPerSec");
    private static final JsonKey K_HEAP_GROWING = JsonKey.of("heapGrowing");
    private static final JsonKey K_HEAP_SLOPE_BYTES_PER_SEC = JsonKey.of("heapSlopeBytesPerSec");
    private static final JsonKey K_REASONS = JsonKey.of("reasons");
    private static final JsonKey K_CODE = JsonKey.of("code");
    private static final JsonKey K_SUBJECT = JsonKey.of("subject");
    private static final JsonKey K_MESSAGE = JsonKey.of("message");

    private final StructuredLogger[] stageLoggers;
    private final StructuredLogger pipelineLog;
    private final StructuredLogger anomalyLog;
    private final StructuredLogger circuitLog;
    private final SensorRegistry registry;
    private final long stageLogEvery;
    private final AnomalyEventLimiter limiter;
    private final AnomalyEventLimiter.Drain summary = this::logSuppressed;
    /** The z-score statistics behind each logged anomaly, when they can be had exactly; else null. */
    private final ZScoreBaseline baseline;
    private long stageLogBatch = -1;
    private boolean stageLogThisBatch;
    // the batch's anomalies to log, decided in order before any is written (sized to the batch, once)
    private int[] logIndex = new int[0];
    private long[] logSuppressed = new long[0];

    /**
     * @param pipeline          the pipeline whose events to log.
     * @param log               where events go.
     * @param threshold         the lowest level logged.
     * @param stageLogEvery     log {@code stage_completed} for every Nth batch (1 = all).
     * @param anomalyIntervalMs at most one {@code anomaly_detected} per sensor per this many ms of reading
     *                          time (0 = every flagged reading); the others are counted exactly.
     */
    public PipelineEventLog(final Pipeline pipeline, final LogContext log, final LogLevel threshold,
        final long stageLogEvery, final long anomalyIntervalMs) {
        if (stageLogEvery < 1) {
            throw new IllegalArgumentException("stage log interval must be at least 1 batch, was " + stageLogEvery);
        }
        this.registry = pipeline.context().registry();
        this.stageLogEvery = stageLogEvery;
        this.limiter = new AnomalyEventLimiter(registry.capacity(), anomalyIntervalMs);
        stageLoggers = new StructuredLogger[pipeline.stages().size()];
        for (int i = 0; i < stageLoggers.length; i++) {
            stageLoggers[i] = log.logger(pipeline.stages().get(i).name(), threshold);
        }
        pipelineLog = log.logger(pipeline.name(), threshold);
        anomalyLog = log.logger(anomalyComponent(pipeline), threshold);
        circuitLog = log.logger("resilience", threshold);
        baseline = ZScoreBaseline.of(pipeline);
    }

    /** Anomaly events are named after the pipeline's (first) detector, whatever its class or type name. */
    private static String anomalyComponent(final Pipeline pipeline) {
        for (final ConfiguredStage s : pipeline.stages()) {
            if (s.stage() instanceof AnomalyStage) {
                return s.name();
            }
        }
        return "anomaly";
    }

    /**
     * Subscribes to everything the pipeline, its breakers, its stages and (optionally) its dashboard say.
     *
     * @param pipeline  the pipeline.
     * @param dashboard its dashboard, or null.
     * @return this.
     */
    public PipelineEventLog attach(final Pipeline pipeline, final HealthDashboard dashboard) {
        pipeline.addObserver(this);
        pipeline.context().circuitBreakers().addListener(this);
        for (final ConfiguredStage s : pipeline.stages()) {
            s.addParameterChangeListener(this);
        }
        if (dashboard != null) {
            dashboard.addListener(this);
            dashboard.addStatusListener(this);
        }
        return this;
    }

    /** @return the logger of pipeline-level events (run_started, run_completed, record_rejected, health). */
    public StructuredLogger pipelineLogger() {
        return pipelineLog;
    }

    /** @return every logger this event log writes with (for changing levels at runtime). */
    public List<StructuredLogger> loggers() {
        final List<StructuredLogger> all = new ArrayList<>(List.of(stageLoggers));
        all.add(pipelineLog);
        all.add(anomalyLog);
        all.add(circuitLog);
        return all;
    }

    /** @return the limiter deciding which anomalies are logged (its counts are exact). */
    public AnomalyEventLimiter anomalyLimiter() {
        return limiter;
    }

    @Override
    public void stageCompleted(final long batchNumber, final int stageIndex, final ConfiguredStage stage,
        final int recordsIn, final int recordsOut, final long nanos) {
        if (batchNumber != stageLogBatch) { // one division per batch, not one per stage
            stageLogBatch = batchNumber;
            stageLogThisBatch = batchNumber % stageLogEvery == 0;
        }
        if (!stageLogThisBatch) {
            return;
        }
        final StructuredLogger log = stageLoggers[stageIndex];
        if (log.isEnabled(LogLevel.INFO)) {
            log.begin(LogLevel.INFO, "stage_completed")
                .field(K_BATCH, batchNumber)
                .field(K_RECORDS_IN, recordsIn)
                .field(K_RECORDS_OUT, recordsOut)
                .field(K_ELAPSED_MS, nanos / 1e6, 3)
                .field(K_THROUGHPUT_RPS, nanos > 0 ? recordsOut * 1e9 / nanos : 0.0, 1)
                .end();
        }
    }

    @Override
    public void batchCompleted(final long batchNumber, final RecordBatch batch, final int anomalies) {
        if (anomalies == 0) {
            return; // the pipeline counted the flags already: most batches cost this comparison only
        }
        final boolean enabled = anomalyLog.isEnabled(LogLevel.WARNING);
        if (logIndex.length < batch.size()) {
            growPlan(batch.capacity()); // once per batch capacity
        }
        // first decide, in reading order, which flagged readings become events (the limiter's count is exact
        // whether or not the level is enabled), then compute what they need, then write them in order
        int planned = 0;
        final int[] flags = batch.flags;
        for (int i = 0, n = batch.size(); i < n; i++) {
            if ((flags[i] & RecordBatch.FLAG_ANOMALY) == 0) {
                continue;
            }
            final long suppressed = limiter.offer(batch.sensor[i], batch.timestamp[i]);
            if (suppressed >= 0 && enabled) {
                logIndex[planned] = i;
                logSuppressed[planned] = suppressed;
                planned++;
            }
        }
        if (planned == 0) {
            return;
        }
        if (baseline != null) {
            baseline.compute(batchNumber, batch, logIndex, planned);
        }
        for (int k = 0; k < planned; k++) {
            logAnomaly(batchNumber, batch, logIndex[k], logSuppressed[k], k);
        }
    }

    private void growPlan(final int capacity) {
        logIndex = new int[capacity];
        logSuppressed = new long[capacity];
        if (baseline != null) {
            baseline.grow(capacity);
        }
    }

    private void logAnomaly(final long batchNumber, final RecordBatch batch, final int i, final long suppressed,
        final int planIndex) {
        final JsonLogEncoder e = anomalyLog.begin(LogLevel.WARNING, "anomaly_detected")
            .field("sensor", registry.name(batch.sensor[i]))
            .field("value", batch.value[i])
            .field("rawValue", batch.raw[i])
            .field("zScore", batch.zScore[i], 3)
            .field("score", batch.score[i]);
        if (baseline != null) {
            e.field("mean", baseline.mean(planIndex)).field("stdev", baseline.stdev(planIndex));
        }
        e.fieldTimestamp("readingTime", batch.timestamp[i])
            .field("readingTimestampMs", batch.timestamp[i])
            .field("sequence", batch.sequence[i])
            .field("batch", batchNumber)
            .field("suppressed", suppressed)
            .end();
    }

    /**
     * Ends the run's anomaly accounting: one {@code anomalies_suppressed} event per sensor whose flagged
     * readings since its last {@code anomaly_detected} were not logged. Call on the processing thread after
     * the last batch (the program does before {@code run_completed}).
     */
    public void finish() {
        limiter.drain(summary);
    }

    private void logSuppressed(final int sensor, final long suppressed) {
        if (anomalyLog.isEnabled(LogLevel.WARNING)) {
            anomalyLog.begin(LogLevel.WARNING, "anomalies_suppressed")
                .field("sensor", registry.name(sensor))
                .field("suppressed", suppressed)
                .field("flagged", limiter.flagged(sensor))
                .field("logged", limiter.logged(sensor))
                .end();
        }
    }

    /**
     * Logs {@code run_failed}: the run ended because a stage (or something else) threw.
     *
     * @param error   what ended the run.
     * @param batches batches completed before it.
     */
    public void runFailed(final Throwable error, final long batches) {
        final JsonLogEncoder e = pipelineLog.begin(LogLevel.ERROR, "run_failed");
        if (error instanceof StageFailedException) {
            final StageFailedException f = (StageFailedException) error;
            if (f.stage() != null) {
                e.field("stage", f.stage());
            } else {
                e.nullField("stage");
            }
            e.field("batch", f.batch());
            final Throwable cause = f.getCause() != null ? f.getCause() : f;
            e.field("errorType", cause.getClass().getName());
            e.field("error", String.valueOf(cause.getMessage()));
        } else {
            e.nullField("stage");
            e.field("errorType", error.getClass().getName());
            e.field("error", String.valueOf(error.getMessage()));
        }
        e.field("batchesCompleted", batches).field("message", String.valueOf(error.getMessage())).end();
    }

    @Override
    public void stateChanged(final CircuitBreaker breaker, final CircuitBreaker.State from,
        final CircuitBreaker.State to, final long nowNanos) {
        final LogLevel level = to == CircuitBreaker.State.OPEN || to == CircuitBreaker.State.FORCED_OPEN
            ? LogLevel.WARNING : LogLevel.INFO;
        circuitLog.begin(level, "circuit_state_changed")
            .field("circuit", breaker.name())
            .field("from", from.name())
            .field("to", to.name())
            .field("failureRate", breaker.windowFailureRate(), 3)
            .field("opened", breaker.transitionCount(CircuitBreaker.State.OPEN))
            .end();
    }

    @Override
    public void parameterChanged(final ConfiguredStage stage, final ParameterSpec parameter, final double oldValue,
        final double newValue) {
        pipelineLog.begin(LogLevel.INFO, "parameter_changed")
            .field("stage", stage.name())
            .field("parameter", parameter.name())
            .field("oldValue", parameter.format(oldValue))
            .field("newValue", parameter.format(newValue))
            .end();
    }

    @Override
    public void onReport(final HealthReport r) {
        final JsonLogEncoder e = pipelineLog.begin(r.status() == HealthStatus.HEALTHY ? LogLevel.INFO : LogLevel.WARNING,
            "pipeline_health");
        e.field(K_STATUS, r.status().name())
            .field(K_SEQUENCE, r.sequence())
            .field(K_BATCH_COUNT, r.totals().batches())
            .field(K_TOTAL_ALERTS, r.totals().alerts());
        reasons(e, r);
        e.beginArray(K_OPEN_CIRCUITS);
        for (final String c : r.openCircuits()) {
            e.item(c);
        }
        e.endArray();
        if (r.bottleneck() != null) {
            e.field(K_BOTTLENECK_STAGE, r.bottleneck().name());
        } else {
            e.nullField(K_BOTTLENECK_STAGE);
        }
        final HealthReport.Throughput t = r.throughput();
        e.field(K_BOTTLENECK_RPS, r.bottleneckRps(), 1)
            .field(K_MEAN_RECENT_THROUGHPUT_RPS, t.meanRecentBottleneckRps(), 1)
            .field(K_PIPELINE_RPS, t.pipelineRps(), 1)
            .field(K_BUSY_SHARE, t.busyShare(), 4)
            .field(K_SOURCE_BOUND, t.sourceBound());
        if (Double.isFinite(t.hostSpeedRatio())) {
            e.field(K_HOST_SPEED_RATIO, t.hostSpeedRatio(), 3);
        } else {
            e.nullField(K_HOST_SPEED_RATIO);
        }
        e.beginObject(K_CACHE_HIT_RATES);
        for (final Map.Entry<String, HealthReport.CacheHealth> c : r.caches().entrySet()) {
            e.field(c.getKey(), c.getValue().hitRate(), 4);
        }
        e.endObject();
        e.field(K_RETRIES_LAST1M, r.resilience().retriesLast1m())
            .field(K_FAILURES_LAST1M, r.resilience().failuresLast1m())
            .field(K_SHORT_CIRCUITED_LAST1M, r.resilience().shortCircuitedLast1m())
            .field(K_RECORDS_IN, r.totals().recordsIn())
            .field(K_RECORDS_OUT, r.totals().recordsOut())
            .field(K_REJECTED, r.totals().rejected())
            .field(K_DEGRADED_RECORDS, r.totals().degraded());
        if (r.bottleneck() != null) {
            final StageHealth b = r.bottleneck();
            e.beginObject(K_BOTTLENECK_LATENCY_MICROS)
                .field(K_P50, b.p50Micros(), 1).field(K_P90, b.p90Micros(), 1).field(K_P99, b.p99Micros(), 1)
                .field(K_P999, b.p999Micros(), 1).field(K_MAX, b.maxMicros(), 1)
                .endObject();
        }
        final MemoryHealth m = r.memory();
        e.beginObject(K_MEMORY)
            .field(K_HEAP_USED_KB, m.heapUsedBytes() / 1024)
            .field(K_HEAP_COMMITTED_KB, m.heapCommittedBytes() / 1024)
            .field(K_LIVE_SET_LIMIT_KB, m.liveSetLimitBytes() < 0 ? -1 : m.liveSetLimitBytes() / 1024)
            .field(K_LIVE_SET_KB, m.liveSetBytes() < 0 ? -1 : m.liveSetBytes() / 1024)
            .field(K_LIVE_SET_SHARE, m.liveSetShare(), 4)
            .field(K_GC_COUNT, m.gcCount())
            .field(K_GC_TIME_MS, m.gcTimeMillis())
            .field(K_GC_SHARE, m.gcShare(), 4)
            .field(K_ALLOCATION_RATE_BYTES_PER_SEC, m.allocationRateBytesPerSec(), 0)
            .field(K_HEAP_GROWING, m.heapGrowing())
            .field(K_HEAP_SLOPE_BYTES_PER_SEC, m.heapSlopeBytesPerSec(), 1)
            .endObject();
        e.end();
    }

    private static void reasons(final JsonLogEncoder e, final HealthReport r) {
        e.beginArray(K_REASONS);
        for (final HealthReason reason : r.reasons()) {
            e.beginObjectItem()
                .field(K_CODE, reason.code())
                .field(K_SUBJECT, reason.subject())
                .field(K_STATUS, reason.status().name())
                .field(K_MESSAGE, reason.message())
                .endObject();
        }
        e.endArray();
    }

    @Override
    public void onStatusChange(final HealthStatus from, final HealthStatus to, final HealthReport report) {
        final JsonLogEncoder e = pipelineLog.begin(to == HealthStatus.HEALTHY ? LogLevel.INFO : LogLevel.WARNING,
            "health_status_changed");
        if (from == null) {
            e.nullField("from");
        } else {
            e.field("from", from.name());
        }
        e.field("to", to.name()).field("batchCount", report.totals().batches());
        reasons(e, report);
        e.end();
    }

    /**
     * The mean and standard deviation an {@link AnomalyDetector} scored a reading against. The detector
     * keeps only each sensor's running statistics (Welford: count, mean, sum of squared deviations), and by
     * the time the event log sees the batch they include that reading and every later one of the batch. So
     * they are rolled back: walking the batch from its end to the first logged reading, each reading is taken
     * out again with Welford's update inverted ({@code mean' = mean + (mean - v) / (n - 1)},
     * {@code m2' = m2 - (v - mean') (v - mean)}), which yields the statistics before each logged reading,
     * exact to rounding. This holds only if the batch the log sees is the one the detector left: the detector
     * must be the pipeline's last stage, or a later stage could drop records or change values. For any other
     * pipeline (or detector) {@link #of} returns null and the fields are not written.
     *
     * <p>Processing thread only; allocation-free once sized (per-sensor scratch at construction, per-record
     * results once per batch capacity). Costs nothing for batches with no anomaly to log, and one pass over
     * the batch's tail for the others.
     */
    static final class ZScoreBaseline {
        private final AnomalyDetector detector;
        private final long[] touchedInBatch;
        private final long[] count;
        private final double[] mean;
        private final double[] m2;
        private double[] meanBefore = new double[0];
        private double[] stdevBefore = new double[0];

        private ZScoreBaseline(final AnomalyDetector detector, final int sensors) {
            this.detector = detector;
            touchedInBatch = new long[sensors];
            java.util.Arrays.fill(touchedInBatch, -1);
            count = new long[sensors];
            mean = new double[sensors];
            m2 = new double[sensors];
        }

        /** @return a baseline for the pipeline's first detector if it is an {@link AnomalyDetector} and the last stage, else null. */
        static ZScoreBaseline of(final Pipeline pipeline) {
            final List<ConfiguredStage> stages = pipeline.stages();
            for (int i = 0; i < stages.size(); i++) {
                final Object stage = stages.get(i).stage();
                if (stage instanceof AnomalyStage) {
                    return stage instanceof AnomalyDetector && i == stages.size() - 1
                        ? new ZScoreBaseline((AnomalyDetector) stage, pipeline.context().registry().capacity())
                        : null;
                }
            }
            return null;
        }

        void grow(final int capacity) {
            meanBefore = new double[capacity];
            stdevBefore = new double[capacity];
        }

        /**
         * @param stamp   the batch number (marks the sensors whose statistics were copied for this batch).
         * @param batch   the batch the detector left.
         * @param indices the logged readings' indices, ascending.
         * @param n       how many.
         */
        void compute(final long stamp, final RecordBatch batch, final int[] indices, final int n) {
            final double[] value = batch.value;
            final int[] sensor = batch.sensor;
            final double floor = detector.minStdev();
            int k = n - 1;
            for (int j = batch.size() - 1; j >= 0 && k >= 0; j--) {
                final double v = value[j];
                if (!Double.isFinite(v)) {
                    continue; // the detector skipped it too (a flagged reading is always finite)
                }
                final int s = sensor[j];
                if (touchedInBatch[s] != stamp) {
                    touchedInBatch[s] = stamp;
                    final long c = detector.samples(s);
                    count[s] = c;
                    mean[s] = detector.mean(s);
                    m2[s] = c < 2 ? 0.0 : detector.variance(s) * (c - 1);
                }
                final long c = count[s];
                final double mu = mean[s];
                double muBefore = 0.0;
                double m2Before = 0.0;
                if (c > 1) {
                    muBefore = mu + (mu - v) / (c - 1);
                    m2Before = Math.max(0.0, m2[s] - (v - muBefore) * (v - mu));
                }
                count[s] = c - 1;
                mean[s] = muBefore;
                m2[s] = m2Before;
                if (j == indices[k]) {
                    // the detector divided by max(sqrt(m2 / (c - 1)), minStdev) with c the count before
                    meanBefore[k] = muBefore;
                    stdevBefore[k] = c - 1 >= 2 ? Math.max(Math.sqrt(m2Before / (c - 2)), floor) : Double.NaN;
                    k--;
                }
            }
        }

        double mean(final int planIndex) {
            return meanBefore[planIndex];
        }

        double stdev(final int planIndex) {
            return stdevBefore[planIndex];
        }
    }
}
