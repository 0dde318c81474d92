package dev.pipescope.benchmarks;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.calibration.CalibrationService;
import dev.pipescope.log.NullLogSink;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.PipelineDefinition;
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
 * Suite 8, the pipeline against its limit: the default pipeline ({@code PipelineDefinition.defaults()}) with
 * observability on as the program runs it (instrumented, the event log attached, see
 * {@link ObservabilityOverheadBenchmark#attachProgramEventLog}) against {@link FusedDefaultPipeline}, the same
 * arithmetic in one hand-written loop with bit-identical output, at batch 1024. The target is
 * {@code pipeline ÷ fused ≥ 0.8}.
 *
 * <p>Both include the refill copy of their input batch ({@link BatchFixture#refill()}), as every stage
 * benchmark does. Like the observability suite, it runs {@link BenchmarkSettings#RATIO_FORKS} forks with a
 * longer warm-up, and {@link #alternatingPipelineFused()} runs fused and pipeline in alternate iterations of
 * each fork, so each pipeline iteration has a fused neighbour measured a second before on the same CPU; the
 * report judges the paired target on the median of those pairs' ratios and the separate-fork target on both
 * scores' error bounds.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = BenchmarkSettings.RATIO_FORKS,
    jvmArgsAppend = {BenchmarkSettings.ADD_EXPORTS, BenchmarkSettings.HEAP_MIN, BenchmarkSettings.HEAP_MAX})
@Warmup(iterations = BenchmarkSettings.RATIO_WARMUP_ITERATIONS, time = BenchmarkSettings.ITERATION_SECONDS)
@Measurement(iterations = BenchmarkSettings.MEASUREMENT_ITERATIONS, time = BenchmarkSettings.ITERATION_SECONDS)
@State(Scope.Thread)
public class PipelineLimitBenchmark extends AllocationProbe {

    /** Records per batch (one value: the target is at 1024). */
    @Param({"1024"})
    public int batchSize;

    private BatchFixture fixture;
    private Pipeline pipeline;
    private FusedDefaultPipeline fused;
    private long iterationIndex;
    private boolean pipelineThisIteration;

    /** Assembles the pipeline with its event log and the fused loop over one fixture. */
    @Setup(Level.Trial)
    public void setUp() {
        fixture = new BatchFixture("limit-benchmark", batchSize);
        pipeline = fixture.assemble(PipelineDefinition.defaults());
        pipeline.instrumented(true);
        ObservabilityOverheadBenchmark.attachProgramEventLog(pipeline, new NullLogSink());
        fused = new FusedDefaultPipeline(fixture.registry().capacity(),
            fixture.context().require(CalibrationService.class));
    }

    /** Picks what {@link #alternatingPipelineFused()} runs in the coming iteration: fused first, then pipeline. */
    @Setup(Level.Iteration)
    public void alternate() {
        pipelineThisIteration = (iterationIndex++ & 1) == 1;
    }

    /** Closes the pipeline. */
    @TearDown(Level.Trial)
    public void tearDown() {
        pipeline.close();
    }

    /** @return records out of the default pipeline, observability on. */
    @Benchmark
    public int pipeline() {
        final RecordBatch batch = fixture.refill();
        pipeline.process(batch);
        return batch.size();
    }

    /** @return records out of the fused loop. */
    @Benchmark
    public int fused() {
        final RecordBatch batch = fixture.refill();
        fused.process(batch);
        return batch.size();
    }

    /**
     * The paired measurement: fused in a fork's even iterations, the pipeline in its odd ones. Its own score,
     * the mean of both, means nothing alone.
     *
     * @return records out of what this iteration runs.
     */
    @Benchmark
    @Measurement(iterations = BenchmarkSettings.PAIRED_MEASUREMENT_ITERATIONS, time = BenchmarkSettings.ITERATION_SECONDS)
    public int alternatingPipelineFused() {
        final RecordBatch batch = fixture.refill();
        if (pipelineThisIteration) {
            pipeline.process(batch);
        } else {
            fused.process(batch);
        }
        return batch.size();
    }

    /** @return whether the current iteration of the alternating benchmark runs the pipeline (for tests). */
    boolean pipelineThisIteration() {
        return pipelineThisIteration;
    }

    /** @return the pipeline (for tests). */
    Pipeline pipelineUnderTest() {
        return pipeline;
    }
}
