package dev.pipescope.pipeline;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.metrics.AllocationMeter;
import dev.pipescope.metrics.StageMetrics;
import dev.pipescope.stage.ConfiguredStage;
import dev.pipescope.stage.ParameterSpec;
import dev.pipescope.stage.StageCatalog;
import dev.pipescope.stage.StageContext;
import dev.pipescope.stage.StageType;
import org.agrona.concurrent.NanoClock;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An ordered chain of configured stages run on one batch at a time by one processing thread. Each stage
 * is timed and counted into its {@link StageMetrics} with one clock read between stages (the end of one
 * stage is the start of the next) and, when the JVM supports it, the bytes the thread allocated in it.
 * Totals are published for readers on other threads without blocking the processing thread.
 */
public final class Pipeline implements AutoCloseable {
    /** Lifecycle of a pipeline. */
    public enum State {
        /** assembled, no batch processed yet. */
        READY,
        /** at least one batch processed. */
        RUNNING,
        /** closed; no more batches. */
        CLOSED
    }

    /**
     * Batches per allocation sample: reading the thread's allocation counter is a call into the VM (tens of
     * nanoseconds), so by default it is read around each stage on one batch in 16 and the bytes are scaled
     * by 16. A pipeline that allocates nothing reads exactly 0 either way.
     */
    public static final int DEFAULT_ALLOCATION_SAMPLE_EVERY = 16;

    private final String name;
    private final StageContext context;
    private final ConfiguredStage[] stages;
    private final StageMetrics[] metrics;
    private final long[] injectedDelayNanos;
    private final NanoClock clock;
    private final StageCatalog catalog;
    private final boolean allocationMetered = AllocationMeter.isAvailable();
    private volatile int allocationSampleMask = DEFAULT_ALLOCATION_SAMPLE_EVERY - 1;

    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong recordsIn = new AtomicLong();
    private final AtomicLong recordsOut = new AtomicLong();
    private final AtomicLong alerts = new AtomicLong();
    private final AtomicLong degraded = new AtomicLong();
    private final AtomicLong invalid = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong batchStartedNanos = new AtomicLong();
    private volatile long baseBatches;
    private volatile long baseRecordsIn;
    private volatile long baseRecordsOut;
    private volatile long baseAlerts;
    private volatile long baseRejected;
    private volatile State state = State.READY;
    private volatile boolean instrumented = true;
    private volatile BatchObserver observer;
    private volatile long processingThreadId = -1;
    private final long createdNanos;

    private Pipeline(final String name, final StageContext context, final List<ConfiguredStage> stages,
        final StageCatalog catalog) {
        this.name = name;
        this.context = context;
        this.stages = stages.toArray(new ConfiguredStage[0]);
        this.catalog = catalog;
        this.clock = context.nanoClock();
        injectedDelayNanos = new long[this.stages.length];
        metrics = new StageMetrics[this.stages.length];
        for (int i = 0; i < metrics.length; i++) {
            metrics[i] = new StageMetrics(this.stages[i].name(), clock);
        }
        createdNanos = clock.nanoTime();
    }

    /**
     * Assembles a pipeline: resolves every stage type in the catalog, applies and checks parameters, and
     * opens the stages.
     *
     * @param name       the pipeline's name.
     * @param definition the stages to assemble.
     * @param catalog    the available stage types.
     * @param context    the shared services.
     * @return the pipeline, ready for its first batch.
     * @throws PipelineConfigException naming the line, stage, parameter and what is allowed.
     */
    public static Pipeline assemble(final String name, final PipelineDefinition definition,
        final StageCatalog catalog, final StageContext context) {
        final String origin = definition.origin();
        final List<ConfiguredStage> stages = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        for (final PipelineDefinition.StageSpec spec : definition.stages()) {
            final StageType type = catalog.find(spec.type());
            if (type == null) {
                throw new PipelineConfigException(origin, spec.line(), "unknown stage type '" + spec.type()
                    + "'; available types: " + catalog.typeNames());
            }
            if (!names.add(spec.name())) {
                throw new PipelineConfigException(origin, spec.line(), "stage name '" + spec.name()
                    + "' is used twice; give the second one a name with 'as NAME'");
            }
            final ConfiguredStage stage = new ConfiguredStage(spec.name(), type, type.newInstance());
            for (final Map.Entry<String, String> p : spec.parameters().entrySet()) {
                final ParameterSpec parameter = type.parameter(p.getKey());
                if (parameter == null) {
                    throw new PipelineConfigException(origin, spec.line(), "stage '" + spec.name() + "' ("
                        + type.name() + ") has no parameter '" + p.getKey() + "'; valid parameters: "
                        + type.parameterNames());
                }
                try {
                    stage.configure(p.getKey(), parameter.parse(p.getValue()));
                } catch (final IllegalArgumentException e) {
                    throw new PipelineConfigException(origin, spec.line(), prefixed(spec.name(), type, e));
                }
            }
            try {
                stage.validate();
            } catch (final IllegalArgumentException e) {
                throw new PipelineConfigException(origin, spec.line(), e.getMessage());
            }
            stages.add(stage);
        }
        if (stages.isEmpty()) {
            throw new PipelineConfigException(origin, 0, "the pipeline defines no stage");
        }
        for (final ConfiguredStage stage : stages) {
            stage.stage().open(context);
        }
        return new Pipeline(name, context, stages, catalog);
    }

    private static String prefixed(final String stageName, final StageType type, final IllegalArgumentException e) {
        final String message = e.getMessage();
        return message.startsWith("stage '") ? message : "stage '" + stageName + "' (" + type.name() + "): " + message;
    }

    /**
     * Runs every stage on the batch, in order. Called by one processing thread; allocation-free.
     *
     * @param batch the records; on return, what the last stage kept.
     */
    public void process(final RecordBatch batch) {
        if (state != State.RUNNING) {
            start();
        }
        final long batchNumber = batches.get() + 1;
        final int in = batch.size();
        if (instrumented) {
            processInstrumented(batch, batchNumber);
        } else {
            for (final ConfiguredStage stage : stages) {
                stage.process(batch);
            }
        }
        int anomalies = 0;
        int degradedRecords = 0;
        int invalidRecords = 0;
        final int[] flags = batch.flags;
        for (int i = 0, n = batch.size(); i < n; i++) {
            final int f = flags[i];
            anomalies += (f >>> 2) & 1;
            degradedRecords += (f >>> 1) & 1;
            invalidRecords += (f >>> 3) & 1;
        }
        recordsIn.lazySet(recordsIn.get() + in);
        recordsOut.lazySet(recordsOut.get() + batch.size());
        alerts.lazySet(alerts.get() + anomalies);
        degraded.lazySet(degraded.get() + degradedRecords);
        invalid.lazySet(invalid.get() + invalidRecords);
        batchStartedNanos.lazySet(0);
        batches.lazySet(batchNumber);
        final BatchObserver o = observer;
        if (o != null) {
            o.batchCompleted(batchNumber, batch);
        }
    }

    private void processInstrumented(final RecordBatch batch, final long batchNumber) {
        final BatchObserver o = observer;
        long start = clock.nanoTime();
        batchStartedNanos.lazySet(start);
        final int sampleMask = allocationSampleMask;
        final boolean sampleAllocation = allocationMetered && (batchNumber & sampleMask) == 0;
        final long allocationScale = sampleMask + 1L;
        long allocated = sampleAllocation ? AllocationMeter.currentThreadAllocatedBytes() : 0;
        for (int i = 0; i < stages.length; i++) {
            final int stageIn = batch.size();
            stages[i].process(batch);
            long end = clock.nanoTime();
            if (injectedDelayNanos[i] != 0) {
                end = spinUntil(end + injectedDelayNanos[i]);
            }
            final StageMetrics m = metrics[i];
            final int stageOut = batch.size();
            if (sampleAllocation) {
                final long now = AllocationMeter.currentThreadAllocatedBytes();
                m.recordBatch(stageIn, stageOut, start, end, (now - allocated) * allocationScale);
                allocated = now;
            } else {
                m.recordBatch(stageIn, stageOut, start, end);
            }
            if (o != null) {
                o.stageCompleted(batchNumber, i, stages[i], stageIn, stageOut, end - start);
                if (sampleAllocation) {
                    allocated = AllocationMeter.currentThreadAllocatedBytes(); // the observer's bytes are not the next stage's
                }
            }
            start = end;
        }
    }

    private long spinUntil(final long deadline) {
        long now;
        do {
            Thread.onSpinWait();
            now = clock.nanoTime();
        } while (now < deadline);
        return now;
    }

    private void start() {
        if (state == State.CLOSED) {
            throw closed(); // message built out of line, see RecordBatch
        }
        processingThreadId = Thread.currentThread().getId();
        state = State.RUNNING;
    }

    private IllegalStateException closed() {
        return new IllegalStateException("pipeline '" + name + "' is closed");
    }

    /**
     * Fault injection: makes a stage take {@code nanos} longer per batch (busy-waiting inside the stage's
     * timing, so it shows as that stage's latency and busy time). Call on the processing thread, between
     * batches; 0 removes the delay. Takes effect only while instrumented.
     *
     * @param stageName the stage.
     * @param nanos     extra time per batch.
     */
    public void injectDelay(final String stageName, final long nanos) {
        for (int i = 0; i < stages.length; i++) {
            if (stages[i].name().equals(stageName)) {
                injectedDelayNanos[i] = nanos;
                return;
            }
        }
        throw new IllegalArgumentException("pipeline '" + name + "' has no stage '" + stageName + "'; stages: "
            + stages().toString());
    }

    /**
     * Turns per-stage timing, metrics and the observer on or off (on by default); the totals are always
     * counted. Off exists to measure what observability costs.
     *
     * @param on true to instrument.
     */
    public void instrumented(final boolean on) {
        instrumented = on;
    }

    /**
     * Sets how often per-stage allocation is measured: every {@code everyNBatches} batches (a power of two;
     * 1 measures every batch), the bytes then counted {@code everyNBatches} times as an estimate.
     *
     * @param everyNBatches a power of two between 1 and 2^20.
     */
    public void allocationSampling(final int everyNBatches) {
        if (everyNBatches < 1 || everyNBatches > 1 << 20 || Integer.bitCount(everyNBatches) != 1) {
            throw new IllegalArgumentException("allocation sampling must be a power of two in [1, 2^20], was "
                + everyNBatches);
        }
        allocationSampleMask = everyNBatches - 1;
    }

    /** @param batchObserver told about each stage's batch and each finished batch; null for none. */
    public void observer(final BatchObserver batchObserver) {
        observer = batchObserver;
    }

    /**
     * Records the source's count of rejected input lines (the runner calls it after each fill).
     *
     * @param totalRejected rejected lines since the source opened.
     */
    public void rejectedTotal(final long totalRejected) {
        rejected.lazySet(totalRejected);
    }

    /**
     * Restarts every total and stage metric from zero, as seen by readers; safe from any thread (the
     * processing thread keeps counting, readers subtract a baseline).
     */
    public void resetMetrics() {
        baseBatches = batches.get();
        baseRecordsIn = recordsIn.get();
        baseRecordsOut = recordsOut.get();
        baseAlerts = alerts.get();
        baseRejected = rejected.get();
        for (final StageMetrics m : metrics) {
            m.reset();
        }
    }

    /** @return the pipeline's name. */
    public String name() {
        return name;
    }

    /** @return its stages in order. */
    public List<ConfiguredStage> stages() {
        return List.of(stages);
    }

    /**
     * @param stageName a stage's name.
     * @return the stage, or null.
     */
    public ConfiguredStage stage(final String stageName) {
        for (final ConfiguredStage s : stages) {
            if (s.name().equals(stageName)) {
                return s;
            }
        }
        return null;
    }

    /**
     * @param index a stage's position.
     * @return its metrics.
     */
    public StageMetrics metrics(final int index) {
        return metrics[index];
    }

    /** @return the shared services the stages were opened with. */
    public StageContext context() {
        return context;
    }

    /** @return the catalog the pipeline was assembled from. */
    public StageCatalog catalog() {
        return catalog;
    }

    /** @return batches processed (since the last reset). */
    public long batches() {
        return batches.get() - baseBatches;
    }

    /** @return records that entered the first stage. */
    public long recordsIn() {
        return recordsIn.get() - baseRecordsIn;
    }

    /** @return records that left the last stage. */
    public long recordsOut() {
        return recordsOut.get() - baseRecordsOut;
    }

    /** @return records flagged as anomalies on leaving the pipeline. */
    public long alerts() {
        return alerts.get() - baseAlerts;
    }

    /** @return input lines the source rejected. */
    public long rejected() {
        return rejected.get() - baseRejected;
    }

    /** @return records that left flagged degraded (stale or no calibration), since start. */
    public long degradedTotal() {
        return degraded.get();
    }

    /** @return records that left flagged invalid (non-finite), since start. */
    public long invalidTotal() {
        return invalid.get();
    }

    /** @return batches since start, unaffected by {@link #resetMetrics()}; for interval arithmetic. */
    public long batchesTotal() {
        return batches.get();
    }

    /** @return records in since start, unaffected by {@link #resetMetrics()}. */
    public long recordsInTotal() {
        return recordsIn.get();
    }

    /**
     * @return how long the batch in flight has been running, in nanoseconds; 0 when none is (stall
     *         detection; only meaningful while instrumented).
     */
    public long inFlightNanos() {
        final long started = batchStartedNanos.get();
        return started == 0 ? 0 : Math.max(0, clock.nanoTime() - started);
    }

    /** @return id of the thread that processes batches, or -1 before the first batch. */
    public long processingThreadId() {
        return processingThreadId;
    }

    /** @return the lifecycle state. */
    public State state() {
        return state;
    }

    /** @return nanoseconds since assembly. */
    public long uptimeNanos() {
        return clock.nanoTime() - createdNanos;
    }

    /** Closes every stage; further batches are refused. */
    @Override
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        for (final ConfiguredStage stage : stages) {
            stage.stage().close();
        }
    }
}
