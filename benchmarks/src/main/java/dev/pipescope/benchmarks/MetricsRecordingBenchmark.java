package dev.pipescope.benchmarks;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SlidingTimeWindowArrayReservoir;
import dev.pipescope.metrics.StageMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.concurrent.SystemNanoClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Suite 4, metrics recording: what one batch through one stage costs to record, ours vs the meters a user
 * would reach for. Every benchmark records the same pre-generated values (batch latency, records in, records
 * out), rotating through {@value #VALUES} of them:
 * <ul>
 *   <li>{@link #ours()}: {@code StageMetrics.recordBatch(in, out, start, end, allocatedBytes)}, as the
 *       pipeline calls it per stage per batch: sequence-locked counters, batch latency and latency per record
 *       into two HdrHistogram {@code SingleWriterRecorder}s (3 significant digits), allocated bytes. It does
 *       more than the peers below (the second histogram and the allocation counter have no counterpart
 *       there), so the comparison is conservative;</li>
 *   <li>{@link #micrometer()}: a Micrometer {@code Timer} on a {@code SimpleMeterRegistry} with client-side
 *       percentiles 0.5/0.9/0.99/0.999 at precision 3 (comparable with HdrHistogram percentiles), plus two
 *       {@code Counter}s for records in and out;</li>
 *   <li>{@link #dropwizard()}: a Dropwizard {@code Timer} with its default reservoir (exponentially decaying)
 *       plus two {@code Counter}s;</li>
 *   <li>{@link #dropwizardSlidingWindow()}: the same with a {@code SlidingTimeWindowArrayReservoir} (60 s).</li>
 * </ul>
 * One operation is one batch recorded; the score is the time per batch.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = BenchmarkSettings.FORKS,
    jvmArgsAppend = {BenchmarkSettings.ADD_EXPORTS, BenchmarkSettings.HEAP_MIN, BenchmarkSettings.HEAP_MAX})
@Warmup(iterations = BenchmarkSettings.WARMUP_ITERATIONS, time = BenchmarkSettings.ITERATION_SECONDS)
@Measurement(iterations = BenchmarkSettings.MEASUREMENT_ITERATIONS, time = BenchmarkSettings.ITERATION_SECONDS)
@State(Scope.Thread)
public class MetricsRecordingBenchmark extends AllocationProbe {
    /** Pre-generated values rotated through (a power of two). */
    public static final int VALUES = 4096;
    /** Records per batch. */
    public static final int BATCH = 1024;

    private final long[] latencyNanos = new long[VALUES];
    private final int[] recordsOut = new int[VALUES];
    private final long[] allocatedBytes = new long[VALUES];
    private int next;
    private long startNanos;

    private StageMetrics ours;
    private Timer micrometerTimer;
    private Counter micrometerIn;
    private Counter micrometerOut;
    private com.codahale.metrics.Timer dropwizardTimer;
    private com.codahale.metrics.Counter dropwizardIn;
    private com.codahale.metrics.Counter dropwizardOut;
    private com.codahale.metrics.Timer slidingTimer;
    private com.codahale.metrics.Counter slidingIn;
    private com.codahale.metrics.Counter slidingOut;

    /**
     * Generates the values: batch latencies log-normal around 20 µs (1 µs to ~1 ms), records out
     * 1024 minus a few filtered, allocated bytes 0 (the steady state). Builds every meter.
     */
    @Setup(Level.Trial)
    public void setUp() {
        final SplittableRandom random = new SplittableRandom(BenchmarkSettings.SEED);
        for (int i = 0; i < VALUES; i++) {
            final double gaussian = gaussian(random);
            latencyNanos[i] = Math.max(1_000, Math.min(1_000_000, Math.round(20_000 * Math.exp(0.6 * gaussian))));
            recordsOut[i] = BATCH - random.nextInt(8);
            allocatedBytes[i] = 0;
        }
        startNanos = System.nanoTime();

        ours = new StageMetrics("normalize", SystemNanoClock.INSTANCE);

        final SimpleMeterRegistry micrometer = new SimpleMeterRegistry();
        micrometerTimer = Timer.builder("stage.batch.latency").tag("stage", "normalize")
            .publishPercentiles(0.5, 0.9, 0.99, 0.999).percentilePrecision(3).register(micrometer);
        micrometerIn = Counter.builder("stage.records.in").tag("stage", "normalize").register(micrometer);
        micrometerOut = Counter.builder("stage.records.out").tag("stage", "normalize").register(micrometer);

        final MetricRegistry dropwizard = new MetricRegistry();
        dropwizardTimer = dropwizard.timer("normalize.batch.latency");
        dropwizardIn = dropwizard.counter("normalize.records.in");
        dropwizardOut = dropwizard.counter("normalize.records.out");
        slidingTimer = dropwizard.register("normalize.batch.latency.sliding",
            new com.codahale.metrics.Timer(new SlidingTimeWindowArrayReservoir(60, TimeUnit.SECONDS)));
        slidingIn = dropwizard.counter("normalize.records.in.sliding");
        slidingOut = dropwizard.counter("normalize.records.out.sliding");
    }

    private static double gaussian(final SplittableRandom random) {
        final double u1 = 1.0 - random.nextDouble();
        final double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private int nextIndex() {
        final int i = next;
        next = (i + 1) & (VALUES - 1);
        return i;
    }

    /** Ours: one {@code recordBatch} per batch. */
    @Benchmark
    public void ours() {
        final int i = nextIndex();
        final long start = startNanos;
        ours.recordBatch(BATCH, recordsOut[i], start, start + latencyNanos[i], allocatedBytes[i]);
    }

    /** Micrometer: timer plus two counters. */
    @Benchmark
    public void micrometer() {
        final int i = nextIndex();
        micrometerTimer.record(latencyNanos[i], TimeUnit.NANOSECONDS);
        micrometerIn.increment(BATCH);
        micrometerOut.increment(recordsOut[i]);
    }

    /** Dropwizard, default (exponentially decaying) reservoir: timer plus two counters. */
    @Benchmark
    public void dropwizard() {
        final int i = nextIndex();
        dropwizardTimer.update(latencyNanos[i], TimeUnit.NANOSECONDS);
        dropwizardIn.inc(BATCH);
        dropwizardOut.inc(recordsOut[i]);
    }

    /** Dropwizard with a 60 s sliding time window reservoir: timer plus two counters. */
    @Benchmark
    public void dropwizardSlidingWindow() {
        final int i = nextIndex();
        slidingTimer.update(latencyNanos[i], TimeUnit.NANOSECONDS);
        slidingIn.inc(BATCH);
        slidingOut.inc(recordsOut[i]);
    }
}
