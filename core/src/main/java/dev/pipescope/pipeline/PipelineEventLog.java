package dev.pipescope.pipeline;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.health.HealthDashboard;
import dev.pipescope.health.HealthListener;
import dev.pipescope.health.HealthReason;
import dev.pipescope.health.HealthReport;
import dev.pipescope.health.HealthStatus;
import dev.pipescope.health.StageHealth;
import dev.pipescope.log.JsonLogEncoder;
import dev.pipescope.log.LogContext;
import dev.pipescope.log.LogLevel;
import dev.pipescope.log.StructuredLogger;
import dev.pipescope.resilience.CircuitBreaker;
import dev.pipescope.resilience.CircuitBreakerListener;
import dev.pipescope.stage.ConfiguredStage;
import dev.pipescope.stage.ParameterSpec;
import org.agrona.concurrent.EpochClock;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Turns what a pipeline does into the JSON events of the catalogue (see README): {@code stage_completed}
 * (every Nth batch per stage), {@code anomaly_detected} (rate-limited per sensor, with a suppressed
 * count), {@code circuit_state_changed}, {@code parameter_changed}, {@code pipeline_health} and
 * {@code health_status_changed}. The processing-thread events are allocation-free; each logger is created
 * once here, at assembly.
 */
public final class PipelineEventLog implements BatchObserver, CircuitBreakerListener, HealthListener,
    ConfiguredStage.ParameterChangeListener {
    private final StructuredLogger[] stageLoggers;
    private final StructuredLogger pipelineLog;
    private final StructuredLogger anomalyLog;
    private final StructuredLogger circuitLog;
    private final SensorRegistry registry;
    private final EpochClock clock;
    private final long stageLogEvery;
    private final long anomalyIntervalMs;
    private final long[] lastAnomalyLogMs;
    private final long[] suppressedAnomalies;

    /**
     * @param pipeline          the pipeline whose events to log.
     * @param log               where events go.
     * @param threshold         the lowest level logged.
     * @param stageLogEvery     log {@code stage_completed} for every Nth batch (1 = all).
     * @param anomalyIntervalMs at most one {@code anomaly_detected} per sensor per this many ms; the others
     *                          are counted and reported in the next event's {@code suppressed}.
     */
    public PipelineEventLog(final Pipeline pipeline, final LogContext log, final LogLevel threshold,
        final long stageLogEvery, final long anomalyIntervalMs) {
        if (stageLogEvery < 1) {
            throw new IllegalArgumentException("stage log interval must be at least 1 batch, was " + stageLogEvery);
        }
        this.registry = pipeline.context().registry();
        this.clock = log.clock();
        this.stageLogEvery = stageLogEvery;
        this.anomalyIntervalMs = anomalyIntervalMs;
        stageLoggers = new StructuredLogger[pipeline.stages().size()];
        for (int i = 0; i < stageLoggers.length; i++) {
            stageLoggers[i] = log.logger(pipeline.stages().get(i).name(), threshold);
        }
        pipelineLog = log.logger(pipeline.name(), threshold);
        anomalyLog = log.logger(anomalyComponent(pipeline), threshold);
        circuitLog = log.logger("resilience", threshold);
        lastAnomalyLogMs = new long[registry.capacity()];
        suppressedAnomalies = new long[registry.capacity()];
        Arrays.fill(lastAnomalyLogMs, Long.MIN_VALUE / 2);
    }

    private static String anomalyComponent(final Pipeline pipeline) {
        for (final ConfiguredStage s : pipeline.stages()) {
            if ("anomaly".equals(s.type().name())) {
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
     */
    public void attach(final Pipeline pipeline, final HealthDashboard dashboard) {
        pipeline.observer(this);
        pipeline.context().circuitBreakers().addListener(this);
        for (final ConfiguredStage s : pipeline.stages()) {
            s.addParameterChangeListener(this);
        }
        if (dashboard != null) {
            dashboard.addListener(this);
        }
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

    @Override
    public void stageCompleted(final long batchNumber, final int stageIndex, final ConfiguredStage stage,
        final int recordsIn, final int recordsOut, final long nanos) {
        if (batchNumber % stageLogEvery != 0) {
            return;
        }
        final StructuredLogger log = stageLoggers[stageIndex];
        if (log.isEnabled(LogLevel.INFO)) {
            log.begin(LogLevel.INFO, "stage_completed")
                .field("batch", batchNumber)
                .field("recordsIn", recordsIn)
                .field("recordsOut", recordsOut)
                .field("elapsedMs", nanos / 1e6, 3)
                .field("throughputRps", nanos > 0 ? recordsOut * 1e9 / nanos : 0.0, 1)
                .end();
        }
    }

    @Override
    public void batchCompleted(final long batchNumber, final RecordBatch batch) {
        if (!anomalyLog.isEnabled(LogLevel.WARNING)) {
            return;
        }
        final int[] flags = batch.flags;
        long now = Long.MIN_VALUE;
        for (int i = 0, n = batch.size(); i < n; i++) {
            if ((flags[i] & RecordBatch.FLAG_ANOMALY) == 0) {
                continue;
            }
            if (now == Long.MIN_VALUE) {
                now = clock.time();
            }
            final int s = batch.sensor[i];
            if (now - lastAnomalyLogMs[s] < anomalyIntervalMs) {
                suppressedAnomalies[s]++;
                continue;
            }
            lastAnomalyLogMs[s] = now;
            anomalyLog.begin(LogLevel.WARNING, "anomaly_detected")
                .fieldJson("sensor", registry.jsonName(s))
                .field("value", batch.value[i])
                .field("zScore", batch.zScore[i], 3)
                .field("readingTimestampMs", batch.timestamp[i])
                .field("sequence", batch.sequence[i])
                .field("batch", batchNumber)
                .field("suppressed", suppressedAnomalies[s])
                .end();
            suppressedAnomalies[s] = 0;
        }
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
        e.field("status", r.status().name())
            .field("batchCount", r.batchCount())
            .field("totalAlerts", r.totalAlerts());
        e.beginArray("openCircuits");
        for (final String c : r.openCircuits()) {
            e.item(c);
        }
        e.endArray();
        if (r.bottleneckStage() != null) {
            e.field("bottleneckStage", r.bottleneckStage());
        } else {
            e.nullField("bottleneckStage");
        }
        e.field("bottleneckRps", r.bottleneckRps(), 1)
            .field("meanRecentThroughputRps", r.meanRecentThroughputRps(), 1)
            .field("pipelineRps", r.pipelineRps(), 1);
        e.beginObject("cacheHitRates");
        for (final Map.Entry<String, Double> c : r.cacheHitRates().entrySet()) {
            e.field(c.getKey(), c.getValue(), 4);
        }
        e.endObject();
        e.field("retriesLast1m", r.retriesLast1m())
            .field("retriesLast5m", r.retriesLast5m())
            .field("failuresLast1m", r.failuresLast1m())
            .field("shortCircuitedLast1m", r.shortCircuitedLast1m())
            .field("recordsIn", r.recordsIn())
            .field("recordsOut", r.recordsOut())
            .field("rejected", r.rejected())
            .field("degradedRecords", r.degradedRecords());
        e.beginArray("reasons");
        for (final HealthReason reason : r.reasons()) {
            e.item(reason.message());
        }
        e.endArray();
        if (r.bottleneck() != null) {
            final StageHealth b = r.bottleneck();
            e.beginObject("bottleneckLatencyMicros")
                .field("p50", b.p50Micros(), 1).field("p90", b.p90Micros(), 1).field("p99", b.p99Micros(), 1)
                .field("p999", b.p999Micros(), 1).field("max", b.maxMicros(), 1)
                .endObject();
        }
        e.beginObject("memory")
            .field("heapUsedKb", r.memory().heapUsedBytes() / 1024)
            .field("heapCommittedKb", r.memory().heapCommittedBytes() / 1024)
            .field("heapAfterGcKb", r.memory().heapAfterGcBytes() / 1024)
            .field("gcCount", r.memory().gcCount())
            .field("gcTimeMs", r.memory().gcTimeMillis())
            .field("gcShare", r.memory().gcShare(), 4)
            .field("allocationRateBytesPerSec", r.memory().allocationRateBytesPerSec(), 0)
            .field("heapGrowing", r.memory().heapGrowing())
            .field("heapSlopeBytesPerSec", r.memory().heapSlopeBytesPerSec(), 1)
            .endObject();
        e.end();
    }

    @Override
    public void onStatusChange(final HealthStatus from, final HealthStatus to, final HealthReport report) {
        final JsonLogEncoder e = pipelineLog.begin(to == HealthStatus.HEALTHY ? LogLevel.INFO : LogLevel.WARNING,
            "health_status_changed");
        e.field("from", from.name()).field("to", to.name()).field("batchCount", report.batchCount());
        e.beginArray("reasons");
        for (final HealthReason reason : report.reasons()) {
            e.item(reason.message());
        }
        e.endArray().end();
    }
}
