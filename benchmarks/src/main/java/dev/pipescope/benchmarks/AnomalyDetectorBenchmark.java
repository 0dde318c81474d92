package dev.pipescope.benchmarks;

import dev.pipescope.batch.RecordBatch;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Issue 14: the {@code adaptive} anomaly stage (forgetting envelope, refractory period) against the
 * {@code anomaly} stage (z-score against all earlier readings) on the same batches, each stage alone with
 * its default parameters. The target for {@code adaptive} is at least 20 M records/s at batch 1024 and
 * 0 bytes per batch.
 *
 * <p>As in {@link StageBenchmark}, one operation is one batch of {@code batchSize} records that starts with
 * {@link BatchFixture#refill()} (measured alone by {@link #copy()}): batches per second times
 * {@code batchSize} is records per second, and {@code -prof gc}'s {@code gc.alloc.rate.norm} is bytes per
 * batch. Run with, for example:
 * {@code java -jar benchmarks/target/benchmarks.jar AnomalyDetectorBenchmark -p batchSize=1024 -prof gc}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = BenchmarkSettings.FORKS,
    jvmArgsAppend = {BenchmarkSettings.ADD_EXPORTS, BenchmarkSettings.HEAP_MIN, BenchmarkSettings.HEAP_MAX})
@Warmup(iterations = BenchmarkSettings.WARMUP_ITERATIONS, time = BenchmarkSettings.ITERATION_SECONDS)
@Measurement(iterations = BenchmarkSettings.MEASUREMENT_ITERATIONS, time = BenchmarkSettings.ITERATION_SECONDS)
@State(Scope.Thread)
public class AnomalyDetectorBenchmark extends AllocationProbe {
    /** Records per batch. */
    @Param({"1024"})
    public int batchSize;

    private BatchFixture fixture;
    private ConfiguredStage anomaly;
    private ConfiguredStage adaptive;

    /** Generates the input and opens each stage alone on the fixture's context. */
    @Setup(Level.Trial)
    public void setUp() {
        fixture = new BatchFixture("anomaly-detector-benchmark", batchSize);
        anomaly = fixture.openStage("anomaly");
        adaptive = fixture.openStage("adaptive");
    }

    /**
     * Baseline: the per-invocation refill alone, included in the other two.
     *
     * @return the batch size.
     */
    @Benchmark
    public int copy() {
        return fixture.refill().size();
    }

    /** @return the batch size after {@code anomaly}. */
    @Benchmark
    public int anomaly() {
        final RecordBatch batch = fixture.refill();
        anomaly.process(batch);
        return batch.size();
    }

    /** @return the batch size after {@code adaptive}. */
    @Benchmark
    public int adaptive() {
        final RecordBatch batch = fixture.refill();
        adaptive.process(batch);
        return batch.size();
    }
}
