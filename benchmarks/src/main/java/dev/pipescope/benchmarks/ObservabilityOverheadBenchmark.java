package dev.pipescope.benchmarks;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.events.PipelineEventLog;
import dev.pipescope.log.LogContext;
import dev.pipescope.log.LogLevel;
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
 * Suite 2, observability overhead: the default pipeline ({@code PipelineDefinition.defaults()}: threshold,
 * calibrate, normalize, feature, adaptive; anomaly before 2026-12-01) with its metrics and logging on vs off,
 * in the same run, on the same readings.
 *
 * <ul>
 *   <li>{@link #observabilityOn()}: {@code instrumented(true)} (per-stage clock reads, HdrHistogram
 *       recording, counters, allocated-bytes metering) and a {@link PipelineEventLog} attached as the
 *       program attaches it: INFO threshold, {@code stage_completed} every {@value #STAGE_LOG_EVERY} batches,
 *       {@code anomaly_detected} at most once per sensor per {@value #ANOMALY_INTERVAL_MS} ms of reading time
 *       (the program's {@code --stage-log-every} and {@code --anomaly-log-interval} defaults). The fixture's
 *       readings all carry one fixed timestamp, so after each sensor's first event every flagged reading goes
 *       through the limiter and is counted as suppressed: the per-reading cost of limiting is in, the handful
 *       of events per second a live run would encode is not. Lines are fully encoded and handed to a
 *       {@link NullLogSink}, so the cost of I/O (measured by the async sink suite) is not in it.</li>
 *   <li>{@link #observabilityOff()}: {@code instrumented(false)}, no observer. The pipeline's own batch
 *       counters (plain lazy stores) stay, as they cannot be turned off.</li>
 * </ul>
 * Two pipelines over one fixture, so both see the same batches; each includes the refill copy
 * ({@link BatchFixture#refill()}). The ratio on/off at batch 1024 is the headline figure (target: at least
 * 0.97); it runs with {@link BenchmarkSettings#RATIO_FORKS} forks and a longer warm-up because single forks
 * land in one of two speed modes, set by the CPU they run on (check with {@code perf-reports/cpu-probe.sh}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = BenchmarkSettings.RATIO_FORKS,
    jvmArgsAppend = {BenchmarkSettings.ADD_EXPORTS, BenchmarkSettings.HEAP_MIN, BenchmarkSettings.HEAP_MAX})
@Warmup(iterations = BenchmarkSettings.RATIO_WARMUP_ITERATIONS, time = BenchmarkSettings.ITERATION_SECONDS)
@Measurement(iterations = BenchmarkSettings.MEASUREMENT_ITERATIONS, time = BenchmarkSettings.ITERATION_SECONDS)
@State(Scope.Thread)
public class ObservabilityOverheadBenchmark extends AllocationProbe {
    /** The program's default {@code --stage-log-every}. */
    public static final long STAGE_LOG_EVERY = 1000;
    /** The program's default {@code --anomaly-log-interval}, in ms. */
    public static final long ANOMALY_INTERVAL_MS = 1000;

    /** Records per batch; the target is judged at 1024. */
    @Param({"256", "1024", "16384"})
    public int batchSize;


    private BatchFixture fixture;
    private Pipeline on;
    private Pipeline off;
    private NullLogSink sink;
    private long iterationIndex;
    private Pipeline alternating;

    /** Assembles both pipelines; attaches the event log to the instrumented one. */
    @Setup(Level.Trial)
    public void setUp() {
        fixture = new BatchFixture("observability-benchmark", batchSize);
        on = fixture.assemble(PipelineDefinition.defaults());
        on.instrumented(true);
        sink = new NullLogSink();
        attachProgramEventLog(on, sink);
        off = fixture.assemble(PipelineDefinition.defaults());
        off.instrumented(false); // a freshly assembled pipeline has no observers: nothing to detach
    }

    /**
     * Attaches the event log as the program attaches it (INFO, its default stage-log and anomaly-log
     * intervals), writing into {@code sink}.
     *
     * @param pipeline an instrumented pipeline.
     * @param sink     where the encoded lines go.
     */
    public static void attachProgramEventLog(final Pipeline pipeline, final NullLogSink sink) {
        new PipelineEventLog(pipeline, new LogContext(sink), LogLevel.INFO, STAGE_LOG_EVERY, ANOMALY_INTERVAL_MS)
            .attach(pipeline, null);
    }

    /**
     * Picks the pipeline {@link #alternatingOnOff()} runs in the coming iteration (warm-up or measured): "off"
     * in a fork's iterations 0, 2, 4, ..., "on" in 1, 3, 5, ....
     */
    @Setup(Level.Iteration)
    public void alternate() {
        alternating = (iterationIndex++ & 1) == 0 ? off : on;
    }

    /** Closes both pipelines. */
    @TearDown(Level.Trial)
    public void tearDown() {
        on.close();
        off.close();
    }

    /** @return records out of the pipeline with metrics and the event log on. */
    @Benchmark
    public int observabilityOn() {
        final RecordBatch batch = fixture.refill();
        on.process(batch);
        return batch.size();
    }

    /** @return records out of the pipeline with metrics and logging off. */
    @Benchmark
    public int observabilityOff() {
        final RecordBatch batch = fixture.refill();
        off.process(batch);
        return batch.size();
    }

    /**
     * The paired measurement of the overhead: one fork runs both pipelines, "off" and "on" in alternate
     * iterations (see {@link #alternate()}), so each "on" iteration has an "off" neighbour measured a second
     * earlier on the same CPU in the same JVM. The report pairs adjacent iterations from the JSON's raw data
     * and judges the target on the median of the pairs' on/off ratios, which a machine whose speed changes
     * between forks (see {@code perf-reports/cpu-probe.sh}) cannot bias the way it biases a ratio of two
     * separately forked scores. Its own score, the mean of both sides, means nothing alone.
     *
     * <p>Caveat: in this fork the JIT profiles both the instrumented and the plain branch of
     * {@link Pipeline#process(RecordBatch)}, where a JVM running only one of them would see one.
     *
     * @return records out of the pipeline this iteration runs.
     */
    @Benchmark
    @Measurement(iterations = BenchmarkSettings.PAIRED_MEASUREMENT_ITERATIONS, time = BenchmarkSettings.ITERATION_SECONDS)
    public int alternatingOnOff() {
        final RecordBatch batch = fixture.refill();
        alternating.process(batch);
        return batch.size();
    }

    /** @return the pipeline {@link #alternatingOnOff()} runs in the current iteration (for tests). */
    Pipeline alternating() {
        return alternating;
    }

    /** @return the pipeline with metrics and logging off (for tests). */
    Pipeline off() {
        return off;
    }

    /** @return the pipeline with observability on (for tests). */
    Pipeline on() {
        return on;
    }

    /** @return the sink the event log writes to (for tests). */
    NullLogSink sink() {
        return sink;
    }
}
