package dev.pipescope.benchmarks;

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
 * Suite 3, JSON encoding: one {@code stage_completed} and one {@code pipeline_health} event (see
 * {@link JsonEventWriters}), written as one UTF-8 JSON line by
 * <ul>
 *   <li>{@link #ours()}: {@code JsonLogEncoder} into its own buffer;</li>
 *   <li>{@link #jackson()}: Jackson's streaming {@code JsonGenerator}, reused, into a reused buffer;</li>
 *   <li>{@link #log4j2()}: Log4j2's {@code JsonTemplateLayout}, garbage-free mode
 *       ({@code log4j2.enable.threadlocals=true}, {@code log4j2.enableDirectEncoders=true}),
 *       {@code layout.encode(event, destination)} of a reused {@code MutableLogEvent} into a reused
 *       {@code ByteBufferDestination};</li>
 *   <li>{@link #stringBuilder()}: a reused {@code StringBuilder} and the JDK's UTF-8 encoder;</li>
 *   <li>{@link #stringFormat()}: {@code String.format} and {@code getBytes} (the naive way).</li>
 * </ul>
 * Every writer gets the same values and a timestamp that advances by 1 ms per line; a test checks that all
 * lines hold the same fields. One operation is one line; the score is the time per line.
 *
 * <p>{@link #alternatingOursJackson()} runs Jackson and ours in alternate 1 s iterations of each fork, so that
 * adjacent iterations form ours/Jackson pairs measured a second apart on the same CPU (the report's paired
 * table); its own score, the mean of both, means nothing alone.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = BenchmarkSettings.FORKS,
    jvmArgsAppend = {BenchmarkSettings.ADD_EXPORTS, BenchmarkSettings.HEAP_MIN, BenchmarkSettings.HEAP_MAX,
        "-Dlog4j2.enable.threadlocals=true", "-Dlog4j2.enableDirectEncoders=true"})
@Warmup(iterations = BenchmarkSettings.WARMUP_ITERATIONS, time = BenchmarkSettings.ITERATION_SECONDS)
@Measurement(iterations = BenchmarkSettings.MEASUREMENT_ITERATIONS, time = BenchmarkSettings.ITERATION_SECONDS)
@State(Scope.Thread)
public class JsonEncodingBenchmark extends AllocationProbe {
    /** A fixed starting time; each line is 1 ms later than the one before (wrapping every 2^20 lines). */
    public static final long BASE_EPOCH_MS = 1_795_000_000_123L;

    /** Which event. */
    @Param({JsonEventWriters.STAGE_COMPLETED, JsonEventWriters.PIPELINE_HEALTH})
    public String event;

    private boolean health;
    private int tick;
    private long iterationIndex;
    private boolean oursThisIteration;
    private JsonEventWriters.Ours ours;
    private JsonEventWriters.Jackson jackson;
    private JsonEventWriters.Log4j2 log4j2;
    private JsonEventWriters.PlainStringBuilder stringBuilder;
    private JsonEventWriters.StringFormat stringFormat;

    /** Creates every writer (each benchmark uses one). */
    @Setup(Level.Trial)
    public void setUp() {
        health = JsonEventWriters.PIPELINE_HEALTH.equals(event);
        ours = new JsonEventWriters.Ours();
        jackson = new JsonEventWriters.Jackson();
        log4j2 = new JsonEventWriters.Log4j2();
        stringBuilder = new JsonEventWriters.PlainStringBuilder();
        stringFormat = new JsonEventWriters.StringFormat();
    }

    /** Picks what {@link #alternatingOursJackson()} runs in the coming iteration: Jackson first, then ours. */
    @Setup(Level.Iteration)
    public void alternate() {
        oursThisIteration = (iterationIndex++ & 1) == 1;
    }

    /** @return whether the current iteration of the alternating benchmark runs ours (for tests). */
    boolean oursThisIteration() {
        return oursThisIteration;
    }

    /** @return our writer (for tests). */
    JsonEventWriters.Ours oursWriter() {
        return ours;
    }

    /** @return the Jackson writer (for tests). */
    JsonEventWriters.Jackson jacksonWriter() {
        return jackson;
    }

    private long nextMillis() {
        return BASE_EPOCH_MS + (tick++ & ((1 << 20) - 1));
    }

    /** @return the line's length. */
    @Benchmark
    public int ours() {
        final long t = nextMillis();
        return health ? ours.pipelineHealth(t) : ours.stageCompleted(t);
    }

    /** @return the line's length. */
    @Benchmark
    public int jackson() {
        final long t = nextMillis();
        return health ? jackson.pipelineHealth(t) : jackson.stageCompleted(t);
    }

    /**
     * The paired measurement: Jackson in a fork's even iterations, ours in its odd ones, each exactly as
     * {@link #jackson()} and {@link #ours()} write. Its own score, the mean of both, means nothing alone.
     *
     * @return the line's length.
     */
    @Benchmark
    @Fork(value = BenchmarkSettings.RATIO_FORKS,
        jvmArgsAppend = {BenchmarkSettings.ADD_EXPORTS, BenchmarkSettings.HEAP_MIN, BenchmarkSettings.HEAP_MAX,
            "-Dlog4j2.enable.threadlocals=true", "-Dlog4j2.enableDirectEncoders=true"})
    @Warmup(iterations = BenchmarkSettings.RATIO_WARMUP_ITERATIONS, time = BenchmarkSettings.ITERATION_SECONDS)
    @Measurement(iterations = BenchmarkSettings.PAIRED_MEASUREMENT_ITERATIONS, time = BenchmarkSettings.ITERATION_SECONDS)
    public int alternatingOursJackson() {
        final long t = nextMillis();
        if (oursThisIteration) {
            return health ? ours.pipelineHealth(t) : ours.stageCompleted(t);
        }
        return health ? jackson.pipelineHealth(t) : jackson.stageCompleted(t);
    }

    /** @return the line's length. */
    @Benchmark
    public int log4j2() {
        final long t = nextMillis();
        return health ? log4j2.pipelineHealth(t) : log4j2.stageCompleted(t);
    }

    /** @return the line's length. */
    @Benchmark
    public int stringBuilder() {
        final long t = nextMillis();
        return health ? stringBuilder.pipelineHealth(t) : stringBuilder.stageCompleted(t);
    }

    /** @return the line's length. */
    @Benchmark
    public int stringFormat() {
        final long t = nextMillis();
        return health ? stringFormat.pipelineHealth(t) : stringFormat.stageCompleted(t);
    }
}
