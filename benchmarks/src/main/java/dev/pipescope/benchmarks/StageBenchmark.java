package dev.pipescope.benchmarks;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.calibration.CalibrationService;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.PipelineDefinition;
import dev.pipescope.stage.ConfiguredStage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Suite 1, stages: each built-in stage alone, the whole default pipeline and its hand-fused limit
 * ({@link FusedDefaultPipeline}), at three batch sizes.
 *
 * <p>One operation is one batch of {@code batchSize} records: the score is batches per second, and the
 * report multiplies it by {@code batchSize} to show records per second ({@code @OperationsPerInvocation}
 * cannot follow a {@code @Param}). {@code -prof gc}'s {@code gc.alloc.rate.norm} is therefore bytes per
 * batch; the target is 0.
 *
 * <p>Every benchmark starts from {@link BatchFixture#refill()} (a copy of a pre-generated batch), so the
 * threshold filter never sees an already filtered batch and {@code calibrate} never re-calibrates its own
 * output. {@link #copy()} measures that copy alone; the report shows it as the suite's baseline.
 * Each method returns the batch's size, which JMH consumes, and the stages write their results into the
 * batch's arrays (state reachable after the call), so nothing is dead code. Stage parameters are volatile
 * fields read per batch, so nothing folds to a constant.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = BenchmarkSettings.FORKS,
    jvmArgsAppend = {BenchmarkSettings.ADD_EXPORTS, BenchmarkSettings.HEAP_MIN, BenchmarkSettings.HEAP_MAX})
@Warmup(iterations = BenchmarkSettings.WARMUP_ITERATIONS, time = BenchmarkSettings.ITERATION_SECONDS)
@Measurement(iterations = BenchmarkSettings.MEASUREMENT_ITERATIONS, time = BenchmarkSettings.ITERATION_SECONDS)
@State(Scope.Thread)
public class StageBenchmark extends AllocationProbe {
    /** Records per batch. */
    @Param({"256", "1024", "16384"})
    public int batchSize;

    private BatchFixture fixture;
    private ConfiguredStage threshold;
    private ConfiguredStage calibrate;
    private ConfiguredStage normalize;
    private ConfiguredStage feature;
    private ConfiguredStage anomaly;
    private ConfiguredStage adaptive;
    private Pipeline pipeline;
    private FusedDefaultPipeline fused;

    /** Generates the input and opens each stage alone plus one default pipeline (separate instances). */
    @Setup(Level.Trial)
    public void setUp() {
        fixture = new BatchFixture("stage-benchmark", batchSize);
        threshold = fixture.openStage("threshold");
        calibrate = fixture.openStage("calibrate");
        normalize = fixture.openStage("normalize");
        feature = fixture.openStage("feature");
        anomaly = fixture.openStage("anomaly");
        adaptive = fixture.openStage("adaptive");
        pipeline = fixture.assemble(PipelineDefinition.defaults());
        fused = new FusedDefaultPipeline(fixture.registry().capacity(),
            fixture.context().require(CalibrationService.class));
    }

    /** Closes the pipeline. */
    @TearDown(Level.Trial)
    public void tearDown() {
        pipeline.close();
    }

    /**
     * Baseline: the per-invocation refill alone, included in every other benchmark of this suite.
     *
     * @return the batch size.
     */
    @Benchmark
    public int copy() {
        return fixture.refill().size();
    }

    /** @return records kept by {@code threshold}. */
    @Benchmark
    public int threshold() {
        final RecordBatch batch = fixture.refill();
        threshold.process(batch);
        return batch.size();
    }

    /** @return the batch size after {@code calibrate} (cache hits after the first batch of each TTL). */
    @Benchmark
    public int calibrate() {
        final RecordBatch batch = fixture.refill();
        calibrate.process(batch);
        return batch.size();
    }

    /** @return the batch size after {@code normalize}. */
    @Benchmark
    public int normalize() {
        final RecordBatch batch = fixture.refill();
        normalize.process(batch);
        return batch.size();
    }

    /** @return the batch size after {@code feature}. */
    @Benchmark
    public int feature() {
        final RecordBatch batch = fixture.refill();
        feature.process(batch);
        return batch.size();
    }

    /** @return the batch size after {@code anomaly}. */
    @Benchmark
    public int anomaly() {
        final RecordBatch batch = fixture.refill();
        anomaly.process(batch);
        return batch.size();
    }

    /** @return the batch size after {@code adaptive}, the default pipeline's detector. */
    @Benchmark
    public int adaptive() {
        final RecordBatch batch = fixture.refill();
        adaptive.process(batch);
        return batch.size();
    }

    /**
     * The default pipeline ({@code PipelineDefinition.defaults()}: threshold, calibrate, normalize, feature,
     * adaptive since 2026-12-01, anomaly before, so older committed figures measured anomaly there) through
     * {@link Pipeline}, with its per-stage timing and counters.
     *
     * @return records out of the pipeline.
     */
    @Benchmark
    public int pipeline() {
        final RecordBatch batch = fixture.refill();
        pipeline.process(batch);
        return batch.size();
    }

    /**
     * The limit: {@link FusedDefaultPipeline}, the default pipeline's arithmetic in one hand-written loop,
     * bit-identical output. The report shows {@code pipeline ÷ fused}.
     *
     * @return records out of the loop.
     */
    @Benchmark
    public int fused() {
        final RecordBatch batch = fixture.refill();
        fused.process(batch);
        return batch.size();
    }
}
