package dev.pipescope.benchmarks;

import dev.pipescope.log.AsyncLogSink;
import dev.pipescope.log.LogContext;
import dev.pipescope.log.LogLevel;
import dev.pipescope.log.OverflowPolicy;
import dev.pipescope.log.StreamLogSink;
import dev.pipescope.log.StructuredLogger;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Suite 6, async log sink: {@code stage_completed} events logged through {@code StructuredLogger} to an
 * {@link AsyncLogSink} (Agrona many-to-one ring, {@value #RING_BYTES} bytes as the program's default
 * {@code --log-buffer}) whose writer thread appends them to a temporary file through a {@link StreamLogSink}
 * (no per-line flush), from one producer thread ({@link #producer1Thread()}) and from two
 * ({@link #producer2Threads()}).
 *
 * <p>The score is events per second offered by all producers together; the producer-side cost per event is
 * {@code threads / score} (the report shows it). With {@link OverflowPolicy#DROP} a producer never waits,
 * so when the writer cannot keep up the excess is dropped: the {@code dropped} counter (lines refused by the
 * ring per iteration, from the sink's own counter; JMH sums it over the measured iterations) says how much of the score was
 * dropped rather than written. With {@link OverflowPolicy#WAIT} producers spin until the writer frees space,
 * so the score is bounded by the writer. The machine has two cores: with two producers, the writer thread
 * competes with them for a core.
 *
 * <p>The file is deleted when the trial ends.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = BenchmarkSettings.FORKS,
    jvmArgsAppend = {BenchmarkSettings.ADD_EXPORTS, BenchmarkSettings.HEAP_MIN, BenchmarkSettings.HEAP_MAX})
@Warmup(iterations = BenchmarkSettings.WARMUP_ITERATIONS, time = BenchmarkSettings.ITERATION_SECONDS)
@Measurement(iterations = BenchmarkSettings.MEASUREMENT_ITERATIONS, time = BenchmarkSettings.ITERATION_SECONDS)
public class AsyncLogSinkBenchmark {
    /** Ring size in bytes: the program's default {@code --log-buffer}. */
    public static final int RING_BYTES = 4 * 1024 * 1024;

    /** The sink, the logger and the file, shared by the producer threads. */
    @State(Scope.Benchmark)
    public static class Sink {
        /** What producers do when the ring is full. */
        @Param({"DROP", "WAIT"})
        public OverflowPolicy policy;

        AsyncLogSink sink;
        StructuredLogger logger;
        private Path file;

        /**
         * Starts the sink on a new temporary file.
         *
         * @throws IOException when the file cannot be created.
         */
        @Setup(Level.Trial)
        public void setUp() throws IOException {
            file = Files.createTempFile("pipescope-async-bench", ".jsonl");
            sink = AsyncLogSink.start(StreamLogSink.appendingTo(file, false), RING_BYTES, policy, true);
            logger = new LogContext(sink).logger("normalize", LogLevel.INFO);
        }

        /**
         * Closes the sink (draining it) and deletes the file.
         *
         * @throws IOException when the file cannot be deleted.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            sink.close();
            Files.deleteIfExists(file);
        }
    }

    /**
     * Per producer thread: the allocation probe, and the {@code dropped} counter. Thread 0 reports the
     * sink's dropped-line count over the iteration (all producers' drops, so the sum over threads is right);
     * the others report 0.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Producer extends AllocationProbe {
        /** Lines the ring refused during the iteration (all threads); JMH sums it over iterations. */
        public long dropped;
        private long droppedAtStart;
        private boolean reporter;

        /**
         * @param sink    the shared sink.
         * @param threads which thread this is.
         */
        @Setup(Level.Iteration)
        public void start(final Sink sink, final ThreadParams threads) {
            reporter = threads.getThreadIndex() == 0;
            dropped = 0;
            droppedAtStart = sink.sink.counters().eventsDropped();
        }

        /** @param sink the shared sink. */
        @TearDown(Level.Iteration)
        public void stop(final Sink sink) {
            dropped = reporter ? sink.sink.counters().eventsDropped() - droppedAtStart : 0;
        }
    }

    private static int log(final StructuredLogger logger) {
        return logger.begin(LogLevel.INFO, "stage_completed")
            .field("batch", 1000L)
            .field("recordsIn", 1024)
            .field("recordsOut", 1019)
            .field("elapsedMs", 0.012345, 3)
            .field("throughputRps", 82_543_539.89, 1)
            .end();
    }

    /**
     * @param sink     the shared sink.
     * @param producer this thread's state.
     * @return the line's length.
     */
    @Benchmark
    @Threads(1)
    public int producer1Thread(final Sink sink, final Producer producer) {
        return log(sink.logger);
    }

    /**
     * @param sink     the shared sink.
     * @param producer this thread's state.
     * @return the line's length.
     */
    @Benchmark
    @Threads(2)
    public int producer2Threads(final Sink sink, final Producer producer) {
        return log(sink.logger);
    }
}
