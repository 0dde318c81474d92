package dev.pipescope.pipeline;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.metrics.AllocationMeter;
import dev.pipescope.metrics.StageMetrics;
import dev.pipescope.stage.ConfiguredStage;
import dev.pipescope.stage.MissingServiceException;
import dev.pipescope.stage.ParameterSpec;
import dev.pipescope.stage.StageCatalog;
import dev.pipescope.stage.StageContext;
import dev.pipescope.stage.StageDecorator;
import dev.pipescope.stage.StageType;
import org.agrona.concurrent.NanoClock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An ordered chain of configured stages run on one batch at a time by one processing thread. Each stage
 * is timed and counted into its {@link StageMetrics} with one clock read between stages (the end of one
 * stage is the start of the next) and, on one batch in {@link #DEFAULT_ALLOCATION_SAMPLE_EVERY}, the bytes
 * the thread allocated in it. The pipeline's own totals are one seqlocked block ({@link PipelineCounters}),
 * so readers on other threads never block the processing thread and always see figures that belong
 * together.
 *
 * <p><b>Observers</b> ({@link #addObserver(BatchObserver)}) are told about every stage's batch and every
 * finished batch, in the order they were added; the event log, Flight Recorder events and an embedder's
 * own code each add themselves without knowing about one another.
 *
 * <p><b>Failure policy.</b> A stage that throws fails the pipeline: the batch in flight is abandoned (no
 * totals, no observer call for it), the pipeline moves to {@link State#FAILED} and refuses further
 * batches, and {@link #process(RecordBatch)} throws a {@link StageFailedException} naming the stage and the
 * batch. A run driven by {@link PipelineRunner} ends with stop reason {@code failed}; the program logs
 * {@code run_failed} and exits 1. Failing loudly is deliberate: a stage that throws has broken its
 * contract, and skipping batches silently would lose data without anyone knowing.
 */
public final class Pipeline implements AutoCloseable {
    /** Lifecycle of a pipeline. */
    public enum State {
        /** assembled, no batch processed yet. */
        READY,
        /** at least one batch processed. */
        RUNNING,
        /** a stage threw; no more batches (see {@link #failure()}). */
        FAILED,
        /** closed; no more batches. */
        CLOSED
    }

    /**
     * Batches per allocation sample: reading the thread's allocation counter is a call into the VM (tens of
     * nanoseconds), so by default it is read around each stage on one batch in 16 and the bytes are scaled
     * by 16. A pipeline that allocates nothing reads exactly 0 either way.
     */
    public static final int DEFAULT_ALLOCATION_SAMPLE_EVERY = 16;

    /** Most stages a pipeline may have (the in-flight marker keeps the stage index in 10 bits). */
    public static final int MAX_STAGES = 1023;

    private static final int ANOMALY_SHIFT = Integer.numberOfTrailingZeros(RecordBatch.FLAG_ANOMALY);
    private static final int DEGRADED_SHIFT = Integer.numberOfTrailingZeros(RecordBatch.FLAG_DEGRADED);
    private static final int INVALID_SHIFT = Integer.numberOfTrailingZeros(RecordBatch.FLAG_INVALID);
    private static final long NOT_IN_FLIGHT = Long.MIN_VALUE;
    private static final long STAGE_BITS = 0x3FF;
    private static final VarHandle IN_FLIGHT;

    static {
        try {
            IN_FLIGHT = MethodHandles.lookup().findVarHandle(Pipeline.class, "inFlight", long.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final BatchObserver[] NO_OBSERVERS = new BatchObserver[0];

    private final String name;
    private final StageContext context;
    private final ConfiguredStage[] stages;
    private final StageMetrics[] metrics;
    private final NanoClock clock;
    private final StageCatalog catalog;
    private final boolean allocationMetered = AllocationMeter.isAvailable();
    private final PipelineTotals totals = new PipelineTotals();
    private final long createdNanos;
    private volatile int allocationSampleMask = DEFAULT_ALLOCATION_SAMPLE_EVERY - 1;
    private volatile BatchObserver[] observers = NO_OBSERVERS;
    private volatile PipelineCounters baseline = PipelineCounters.ZERO;
    private volatile State state = State.READY;
    private volatile boolean instrumented = true;
    private volatile long processingThreadId = -1;
    private volatile StageFailedException failure;
    /** The stage holding the batch in flight and when it started, packed; NOT_IN_FLIGHT between batches. */
    @SuppressWarnings("unused") // accessed through IN_FLIGHT
    private volatile long inFlight = NOT_IN_FLIGHT;

    private Pipeline(final String name, final StageContext context, final List<ConfiguredStage> stages,
        final StageCatalog catalog) {
        this.name = name;
        this.context = context;
        this.stages = stages.toArray(new ConfiguredStage[0]);
        this.catalog = catalog;
        this.clock = context.nanoClock();
        metrics = new StageMetrics[this.stages.length];
        for (int i = 0; i < metrics.length; i++) {
            metrics[i] = new StageMetrics(this.stages[i].name(), clock);
        }
        createdNanos = clock.nanoTime();
    }

    /**
     * Assembles a pipeline whose stages run as they are.
     *
     * @param name       the pipeline's name.
     * @param definition the stages to assemble.
     * @param catalog    the available stage types.
     * @param context    the shared services.
     * @return the pipeline, ready for its first batch.
     * @throws PipelineConfigException naming the line, stage, parameter and what is allowed, or the service a
     *                                 stage needs and was not given.
     */
    public static Pipeline assemble(final String name, final PipelineDefinition definition,
        final StageCatalog catalog, final StageContext context) {
        return assemble(name, definition, catalog, context, StageDecorator.NONE);
    }

    /**
     * Assembles a pipeline: resolves every stage type in the catalog, applies and checks parameters, opens
     * the stages and lets the decorator choose what runs in each stage's place.
     *
     * @param name       the pipeline's name.
     * @param definition the stages to assemble.
     * @param catalog    the available stage types.
     * @param context    the shared services.
     * @param decorator  what runs for each stage ({@link StageDecorator#NONE}: the stage itself).
     * @return the pipeline, ready for its first batch.
     * @throws PipelineConfigException naming the line, stage, parameter and what is allowed, or the service a
     *                                 stage needs and was not given.
     */
    public static Pipeline assemble(final String name, final PipelineDefinition definition,
        final StageCatalog catalog, final StageContext context, final StageDecorator decorator) {
        Objects.requireNonNull(decorator, "decorator");
        final String origin = definition.origin();
        final List<ConfiguredStage> stages = new ArrayList<>();
        final List<Integer> lines = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        for (final PipelineDefinition.StageSpec spec : definition.stages()) {
            final StageType type = catalog.find(spec.type());
            if (type == null) {
                throw new PipelineConfigException(origin, spec.line(), "unknown stage type '" + spec.type()
                    + "'; available types: " + catalog.typeNames() + catalog.unknownTypeHint());
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
            lines.add(spec.line());
        }
        if (stages.isEmpty()) {
            throw new PipelineConfigException(origin, 0, "the pipeline defines no stage");
        }
        if (stages.size() > MAX_STAGES) {
            throw new PipelineConfigException(origin, 0, "the pipeline defines " + stages.size()
                + " stages; at most " + MAX_STAGES + " are allowed");
        }
        final List<ConfiguredStage> opened = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            final ConfiguredStage stage = stages.get(i);
            try {
                stage.stage().open(context);
            } catch (final MissingServiceException e) {
                closeQuietly(opened);
                throw new PipelineConfigException(origin, lines.get(i), "stage '" + stage.name() + "' ("
                    + stage.type().name() + ") " + e.getMessage());
            } catch (final RuntimeException e) {
                closeQuietly(opened);
                throw e;
            }
            opened.add(stage);
            stage.decorate(decorator);
        }
        return new Pipeline(name, context, stages, catalog);
    }

    private static void closeQuietly(final List<ConfiguredStage> opened) {
        for (final ConfiguredStage s : opened) {
            try {
                s.stage().close();
            } catch (final RuntimeException ignored) {
                // the assembly error is the one to report
            }
        }
    }

    private static String prefixed(final String stageName, final StageType type, final IllegalArgumentException e) {
        final String message = e.getMessage();
        return message.startsWith("stage '") ? message : "stage '" + stageName + "' (" + type.name() + "): " + message;
    }

    /**
     * Runs every stage on the batch, in order. Called by one processing thread; allocation-free.
     *
     * @param batch the records; on return, what the last stage kept.
     * @throws StageFailedException when a stage throws (the pipeline is then {@link State#FAILED}).
     * @throws IllegalStateException when the pipeline is closed or has failed.
     */
    public void process(final RecordBatch batch) {
        if (state != State.RUNNING) {
            start();
        }
        final long batchNumber = totals.batchesPlain() + 1;
        final int in = batch.size();
        final BatchObserver[] os = observers;
        int stageIndex = 0;
        try {
            if (instrumented) {
                stageIndex = processInstrumented(batch, batchNumber, os);
            } else {
                for (; stageIndex < stages.length; stageIndex++) {
                    stages[stageIndex].process(batch);
                }
            }
        } catch (final ObserverFailure e) {
            throw fail(stages.length, batchNumber, e.getCause());
        } catch (final RuntimeException | Error e) {
            throw fail(instrumented ? inFlightIndex() : stageIndex, batchNumber, e);
        }
        int anomalies = 0;
        int degradedRecords = 0;
        int invalidRecords = 0;
        final int[] flags = batch.flags;
        // shifts and masks rather than comparisons: branch-free sums the JIT turns into vector reductions
        for (int i = 0, n = batch.size(); i < n; i++) {
            final int f = flags[i];
            anomalies += (f >>> ANOMALY_SHIFT) & 1;
            degradedRecords += (f >>> DEGRADED_SHIFT) & 1;
            invalidRecords += (f >>> INVALID_SHIFT) & 1;
        }
        totals.addBatch(in, batch.size(), anomalies, degradedRecords, invalidRecords);
        IN_FLIGHT.setOpaque(this, NOT_IN_FLIGHT);
        try {
            for (int k = 0; k < os.length; k++) {
                os[k].batchCompleted(batchNumber, batch, anomalies);
            }
        } catch (final RuntimeException | Error e) {
            throw fail(stages.length, batchNumber, e);
        }
    }

    private int inFlightIndex() {
        final long packed = (long) IN_FLIGHT.getOpaque(this);
        return packed == NOT_IN_FLIGHT ? stages.length : (int) (packed & STAGE_BITS);
    }

    /** Carries an observer's exception out of the stage loop, so that it is not blamed on the stage. */
    private static final class ObserverFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ObserverFailure(final Throwable cause) {
            super(null, cause, false, false);
        }
    }

    private int processInstrumented(final RecordBatch batch, final long batchNumber, final BatchObserver[] os) {
        long start = clock.nanoTime();
        final int sampleMask = allocationSampleMask;
        final boolean sampleAllocation = allocationMetered && (batchNumber & sampleMask) == 0;
        final long allocationScale = sampleMask + 1L;
        long allocated = sampleAllocation ? AllocationMeter.currentThreadAllocatedBytes() : 0;
        for (int i = 0; i < stages.length; i++) {
            IN_FLIGHT.setOpaque(this, (start & ~STAGE_BITS) | i); // one store: who holds the batch, since when
            final int stageIn = batch.size();
            stages[i].process(batch);
            final long end = clock.nanoTime();
            final StageMetrics m = metrics[i];
            final int stageOut = batch.size();
            if (sampleAllocation) {
                final long now = AllocationMeter.currentThreadAllocatedBytes();
                m.recordBatch(stageIn, stageOut, start, end, (now - allocated) * allocationScale);
                allocated = now;
            } else {
                m.recordBatch(stageIn, stageOut, start, end);
            }
            if (os.length != 0) {
                try {
                    for (int k = 0; k < os.length; k++) {
                        os[k].stageCompleted(batchNumber, i, stages[i], stageIn, stageOut, end - start);
                    }
                } catch (final RuntimeException | Error e) {
                    throw new ObserverFailure(e);
                }
                if (sampleAllocation) {
                    allocated = AllocationMeter.currentThreadAllocatedBytes(); // the observers' bytes are not the next stage's
                }
            }
            start = end;
        }
        return stages.length;
    }

    private StageFailedException fail(final int stageIndex, final long batchNumber, final Throwable cause) {
        IN_FLIGHT.setOpaque(this, NOT_IN_FLIGHT);
        final String stageName = stageIndex < stages.length ? stages[stageIndex].name() : null;
        final StageFailedException e = new StageFailedException(name, stageName, batchNumber, cause);
        failure = e;
        state = State.FAILED;
        return e;
    }

    private void start() {
        if (state == State.CLOSED || state == State.FAILED) {
            throw notRunnable(); // message built out of line, see RecordBatch
        }
        processingThreadId = Thread.currentThread().getId();
        state = State.RUNNING;
    }

    private IllegalStateException notRunnable() {
        return state == State.FAILED
            ? new IllegalStateException("pipeline '" + name + "' has failed: " + failure.getMessage(), failure)
            : new IllegalStateException("pipeline '" + name + "' is closed");
    }

    /**
     * Adds an observer, told after those added before it. Any thread; takes effect from the next batch (or
     * stage) the processing thread starts.
     *
     * @param observer told about each stage's batch and each finished batch.
     */
    public synchronized void addObserver(final BatchObserver observer) {
        Objects.requireNonNull(observer, "observer");
        final BatchObserver[] current = observers;
        final BatchObserver[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = observer;
        observers = next;
    }

    /**
     * @param observer an observer added before; no longer told.
     * @return true when it was attached.
     */
    public synchronized boolean removeObserver(final BatchObserver observer) {
        final BatchObserver[] current = observers;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == observer) {
                final BatchObserver[] next = new BatchObserver[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                observers = next;
                return true;
            }
        }
        return false;
    }

    /** @return the observers, in the order they are told. */
    public List<BatchObserver> observers() {
        return List.of(observers);
    }

    /**
     * Turns per-stage timing, metrics and the observers on or off (on by default); the totals are always
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

    /**
     * Records the source's count of rejected input lines; the runner calls it after each fill, on the
     * processing thread.
     *
     * @param totalRejected rejected lines since the source opened.
     */
    public void rejectedTotal(final long totalRejected) {
        totals.rejectedTotal(totalRejected);
    }

    /**
     * Restarts every total and stage metric from zero, as seen by readers; safe from any thread (the
     * processing thread keeps counting, readers subtract a baseline).
     */
    public void resetMetrics() {
        baseline = totals.read();
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
        final int i = indexOf(stageName);
        return i < 0 ? null : stages[i];
    }

    /**
     * @param stageName a stage's name.
     * @return its position, or -1.
     */
    public int indexOf(final String stageName) {
        for (int i = 0; i < stages.length; i++) {
            if (stages[i].name().equals(stageName)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param stageName a stage's name.
     * @return its metrics.
     * @throws IllegalArgumentException naming the stages when there is no such stage.
     */
    public StageMetrics metrics(final String stageName) {
        final int i = indexOf(stageName);
        if (i < 0) {
            throw new IllegalArgumentException("pipeline '" + name + "' has no stage '" + stageName + "'; stages: "
                + stageNames());
        }
        return metrics[i];
    }

    /**
     * @param index a stage's position.
     * @return its metrics.
     */
    public StageMetrics metrics(final int index) {
        return metrics[index];
    }

    /** @return the stages' names in order. */
    public List<String> stageNames() {
        final List<String> names = new ArrayList<>(stages.length);
        for (final ConfiguredStage s : stages) {
            names.add(s.name());
        }
        return names;
    }

    /** @return the shared services the stages were opened with. */
    public StageContext context() {
        return context;
    }

    /** @return the catalog the pipeline was assembled from. */
    public StageCatalog catalog() {
        return catalog;
    }

    /**
     * A consistent reading of the totals since start, unaffected by {@link #resetMetrics()} (for interval
     * arithmetic). Any thread; never blocks the processing thread.
     *
     * @return the totals.
     */
    public PipelineCounters totals() {
        return totals.read();
    }

    /** @return the totals since the last {@link #resetMetrics()} (since start when never reset). */
    public PipelineCounters counters() {
        return totals.read().minus(baseline);
    }

    /** @return batches processed (since the last reset). */
    public long batches() {
        return totals.batches() - baseline.batches(); // allocation-free: single counters need no block read
    }

    /** @return records that entered the first stage (since the last reset). */
    public long recordsIn() {
        return totals.recordsIn() - baseline.recordsIn();
    }

    /** @return records that left the last stage (since the last reset). */
    public long recordsOut() {
        return totals.recordsOut() - baseline.recordsOut();
    }

    /** @return records flagged as anomalies on leaving the pipeline (since the last reset). */
    public long alerts() {
        return totals.alerts() - baseline.alerts();
    }

    /** @return input lines the source rejected (since the last reset). */
    public long rejected() {
        return totals.rejected() - baseline.rejected();
    }

    /**
     * What holds the batch in flight, for stall detection: the stage and how long the batch and the stage
     * have taken so far. Only known while instrumented.
     *
     * @return the stage in flight, or null between batches.
     */
    public InFlight inFlight() {
        final long packed = (long) IN_FLIGHT.getOpaque(this);
        if (packed == NOT_IN_FLIGHT) {
            return null;
        }
        final int index = (int) (packed & STAGE_BITS);
        final long since = packed & ~STAGE_BITS;
        return new InFlight(stages[index].name(), index, Math.max(0, clock.nanoTime() - since));
    }

    /**
     * The stage that holds the batch in flight.
     *
     * @param stage      its name.
     * @param index      its position.
     * @param stageNanos how long it has held the batch (to within a microsecond).
     */
    public record InFlight(String stage, int index, long stageNanos) {
    }

    /** @return id of the thread that processes batches, or -1 before the first batch. */
    public long processingThreadId() {
        return processingThreadId;
    }

    /** @return the lifecycle state. */
    public State state() {
        return state;
    }

    /** @return what failed the pipeline, or null while it has not failed. */
    public StageFailedException failure() {
        return failure;
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
