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
import dev.pipescope.stage.builtin.AnomalyDetector;
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
    private final AnomalyDetector detector;
    private final long[] flaggedAtLastLog;
    private final int[] chosenRecord;
    private final int[] chosenSensors;
    private final boolean[] everLogged;
    private int sensorsLogged;
    private long flaggedTotalSeen;
    private long earliestEligibleMs = Long.MIN_VALUE;
    private long stageLogBatch = -1;
    private boolean stageLogThisBatch;

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
        flaggedAtLastLog = new long[registry.capacity()];
        chosenRecord = new int[registry.capacity()];
        Arrays.fill(chosenRecord, -1);
        chosenSensors = new int[registry.capacity()];
        everLogged = new boolean[registry.capacity()];
        detector = builtInDetector(pipeline);
        Arrays.fill(lastAnomalyLogMs, Long.MIN_VALUE / 2);
    }

    /**
     * The built-in detector when it is the pipeline's only one; its per-sensor counts then let most batches
     * skip the scan for anomalies to log. (A record a later stage drops is counted but cannot be logged.)
     */
    private static AnomalyDetector builtInDetector(final Pipeline pipeline) {
        AnomalyDetector found = null;
        for (final ConfiguredStage s : pipeline.stages()) {
            if (s.stage() instanceof AnomalyDetector) {
                if (found != null) {
                    return null;
                }
                found = (AnomalyDetector) s.stage();
            }
        }
        return found;
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
        if (detector != null) {
            logFromDetector(batchNumber, batch);
            return;
        }
        // Without the built-in detector's counts: count every flagged record, pick the first record of each
        // eligible sensor, and log after the scan so that suppressed also runs to the end of the batch.
        final int[] flags = batch.flags;
        long now = Long.MIN_VALUE;
        int chosen = 0;
        for (int i = 0, n = batch.size(); i < n; i++) {
            if ((flags[i] & RecordBatch.FLAG_ANOMALY) == 0) {
                continue;
            }
            if (now == Long.MIN_VALUE) {
                now = clock.time();
            }
            final int s = batch.sensor[i];
            suppressedAnomalies[s]++;
            if (chosenRecord[s] < 0 && now - lastAnomalyLogMs[s] >= anomalyIntervalMs) {
                chosenRecord[s] = i;
                chosenSensors[chosen++] = s;
            }
        }
        for (int k = 0; k < chosen; k++) {
            final int s = chosenSensors[k];
            lastAnomalyLogMs[s] = now;
            logAnomaly(batchNumber, batch, chosenRecord[s], s, suppressedAnomalies[s] - 1);
            suppressedAnomalies[s] = 0;
            chosenRecord[s] = -1;
        }
    }

    /**
     * With the built-in detector's per-sensor counts the batch is scanned only when it may hold an event to
     * log: new anomalies were flagged, and either a flagged sensor has never been logged or some sensor's
     * interval has passed. At the default one event per sensor per second that is a few batches a second;
     * every other batch costs a comparison. {@code suppressed} is the sensor's anomalies flagged since its
     * previous event, up to the end of this batch, not counting the one logged.
     */
    private void logFromDetector(final long batchNumber, final RecordBatch batch) {
        final long total = detector.flaggedTotal();
        if (total == flaggedTotalSeen) {
            return;
        }
        flaggedTotalSeen = total;
        final long now = clock.time();
        if (detector.sensorsFlagged() == sensorsLogged && now < earliestEligibleMs) {
            return;
        }
        final int[] flags = batch.flags;
        for (int i = 0, n = batch.size(); i < n; i++) {
            if ((flags[i] & RecordBatch.FLAG_ANOMALY) == 0) {
                continue;
            }
            final int s = batch.sensor[i];
            if (everLogged[s] && now - lastAnomalyLogMs[s] < anomalyIntervalMs) {
                continue;
            }
            final long flaggedNow = detector.flagged(s);
            final long suppressed = everLogged[s] ? flaggedNow - flaggedAtLastLog[s] - 1 : flaggedNow - 1;
            if (!everLogged[s]) {
                everLogged[s] = true;
                sensorsLogged++;
            }
            lastAnomalyLogMs[s] = now;
            flaggedAtLastLog[s] = flaggedNow;
            logAnomaly(batchNumber, batch, i, s, suppressed);
        }
        long earliest = Long.MAX_VALUE;
        for (int s = 0, n = registry.size(); s < n; s++) {
            if (everLogged[s]) {
                earliest = Math.min(earliest, lastAnomalyLogMs[s] + anomalyIntervalMs);
            }
        }
        earliestEligibleMs = earliest;
    }

    private void logAnomaly(final long batchNumber, final RecordBatch batch, final int i, final int s,
        final long suppressed) {
        anomalyLog.begin(LogLevel.WARNING, "anomaly_detected")
            .fieldJson("sensor", registry.jsonName(s))
            .field("value", batch.value[i])
            .field("zScore", batch.zScore[i], 3)
            .field("readingTimestampMs", batch.timestamp[i])
            .field("sequence", batch.sequence[i])
            .field("batch", batchNumber)
            .field("suppressed", suppressed)
            .end();
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
