package dev.pipescope.benchmarks;

import dev.pipescope.calibration.CalibrationService;
import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.calibration.SimulatedCalibrationService;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.PipelineDefinition;
import dev.pipescope.source.SimulatedSensorSource;
import dev.pipescope.stage.ConfiguredStage;
import dev.pipescope.stage.StageCatalog;
import dev.pipescope.stage.StageContext;
import dev.pipescope.stage.StageType;
import org.agrona.concurrent.EpochClock;

/**
 * Pre-generated input for benchmarks that process {@link RecordBatch}es, and the one working batch they
 * process.
 *
 * <p>Filters compact a batch in place and {@code calibrate} rewrites values in place, so running a stage
 * on the same batch over and over would measure an empty batch (or values drifting to infinity). Each
 * invocation therefore starts with {@link #refill()}: an {@link RecordBatch#copyFrom(RecordBatch)} of
 * the next of {@link #POOL} pre-generated batches (rotating, so the data is not the same batch every
 * time). That copy is part of every measured invocation; suites measure it alone in a baseline benchmark
 * ({@code copy}) and the report shows it beside them.
 *
 * <p>The readings come from {@link SimulatedSensorSource} with a fixed seed and a fixed clock: the same
 * data on every run and in every suite.
 */
public final class BatchFixture {
    /** Number of distinct pre-generated batches rotated through (a power of two). */
    public static final int POOL = 4;
    /** The fixed wall-clock time stamped on the simulated readings. */
    public static final long EPOCH_MS = 1_795_000_000_000L;

    private final SensorRegistry registry;
    private final StageContext context;
    private final RecordBatch[] templates;
    private final RecordBatch work;
    private int next;

    /**
     * @param pipelineName name for the stage context.
     * @param batchSize    records per batch.
     */
    public BatchFixture(final String pipelineName, final int batchSize) {
        registry = new SensorRegistry(4096);
        context = StageContext.builder(pipelineName, registry).service(CalibrationService.class, new SimulatedCalibrationService(registry.capacity())).build();
        final EpochClock fixedClock = () -> EPOCH_MS;
        final SimulatedSensorSource source = new SimulatedSensorSource(registry, BenchmarkSettings.SENSORS,
            BenchmarkSettings.SEED, BenchmarkSettings.SPIKE_PROBABILITY, fixedClock);
        templates = new RecordBatch[POOL];
        for (int i = 0; i < POOL; i++) {
            templates[i] = new RecordBatch(batchSize);
            source.fill(templates[i]);
        }
        work = new RecordBatch(batchSize);
    }

    /**
     * Copies the next pre-generated batch into the working batch. Allocation-free.
     *
     * @return the working batch, full.
     */
    public RecordBatch refill() {
        final int i = next;
        next = (i + 1) & (POOL - 1);
        work.copyFrom(templates[i]);
        return work;
    }

    /** @return the pre-generated batches (do not modify). */
    public RecordBatch[] templates() {
        return templates;
    }

    /** @return the registry holding the simulated sensors {@code S0..S9}. */
    public SensorRegistry registry() {
        return registry;
    }

    /** @return a context over the registry, system clocks and a healthy simulated calibration service. */
    public StageContext context() {
        return context;
    }

    /**
     * Builds one stage of a built-in (or discovered) type with its default parameters, opened and ready,
     * without a pipeline around it: no timing, no counters, only the stage.
     *
     * @param type the stage type, e.g. {@code "threshold"}.
     * @return the configured stage.
     */
    public ConfiguredStage openStage(final String type) {
        final StageType stageType = StageCatalog.discover().find(type);
        if (stageType == null) {
            throw new IllegalArgumentException("no stage type '" + type + "'");
        }
        final ConfiguredStage stage = new ConfiguredStage(type, stageType, stageType.newInstance());
        stage.validate();
        stage.stage().open(context);
        return stage;
    }

    /**
     * Assembles a pipeline over this fixture's context.
     *
     * @param definition the stages.
     * @return the pipeline (close it in a {@code @TearDown}).
     */
    public Pipeline assemble(final PipelineDefinition definition) {
        return Pipeline.assemble(context.pipelineName(), definition, StageCatalog.discover(), context);
    }
}
