package dev.pipescope.benchmarks;

/**
 * The JMH settings every suite shares, as compile-time constants so that annotations can use them:
 *
 * <pre>{@code
 * @Fork(value = BenchmarkSettings.FORKS, jvmArgsAppend = {BenchmarkSettings.ADD_EXPORTS,
 *     BenchmarkSettings.HEAP_MIN, BenchmarkSettings.HEAP_MAX})
 * @Warmup(iterations = BenchmarkSettings.WARMUP_ITERATIONS, time = BenchmarkSettings.ITERATION_SECONDS)
 * @Measurement(iterations = BenchmarkSettings.MEASUREMENT_ITERATIONS, time = BenchmarkSettings.ITERATION_SECONDS)
 * }</pre>
 *
 * <p>The defaults suit a noisy two-core machine: one fork, five warm-up and five measured iterations of one
 * second each. Override any of them on the command line ({@code -f 3 -wi 10 -i 10}) for a quieter box.
 *
 * <p>{@link #ADD_EXPORTS} is required, not tuning: Agrona 2.x reaches {@code jdk.internal.misc.Unsafe}, and
 * the JVMs that JMH forks are started with {@code -cp}, so the {@code Add-Exports} entry of
 * {@code benchmarks.jar}'s manifest does not reach them. {@code BenchmarkConventionsTest} fails the build for
 * a benchmark class that forgets it.
 */
public final class BenchmarkSettings {
    /** Export Agrona needs on JDK 17; appended to every forked JVM. */
    public static final String ADD_EXPORTS = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    /** Fixed heap, so heap resizing does not show up as noise. */
    public static final String HEAP_MIN = "-Xms1g";
    /** Fixed heap, so heap resizing does not show up as noise. */
    public static final String HEAP_MAX = "-Xmx1g";
    /** Forks per benchmark. */
    public static final int FORKS = 1;
    /** Warm-up iterations per fork. */
    public static final int WARMUP_ITERATIONS = 5;
    /** Measured iterations per fork. */
    public static final int MEASUREMENT_ITERATIONS = 5;
    /**
     * Forks for a suite whose headline is a ratio of two close scores (observability on vs off). On the
     * two-vCPU machine of the committed reports its per-fork scores are bimodal — about 52k or about 64k
     * batches/s at batch 1024 — because one virtual CPU is at times about 20 % slower than the other for
     * store-heavy loops (see {@code dev.pipescope.benchmarks.diagnostics.CpuSpeedProbe}); one fork per side
     * compares CPUs, not costs.
     */
    public static final int RATIO_FORKS = 3;
    /** Warm-up iterations per fork for such a suite: a longer warm-up lets a fork settle before it is measured. */
    public static final int RATIO_WARMUP_ITERATIONS = 10;
    /**
     * Measured iterations of an alternating benchmark (two sides in alternate iterations of each fork): even,
     * so every fork yields whole pairs; with the even {@link #RATIO_WARMUP_ITERATIONS}, measured iteration
     * {@code j} runs the reference side when {@code j} is even and the side under test when it is odd.
     */
    public static final int PAIRED_MEASUREMENT_ITERATIONS = 10;
    /** Length of one warm-up or measured iteration, in seconds. */
    public static final int ITERATION_SECONDS = 1;

    /** The simulated sensors the fixtures use, as the program's default. */
    public static final int SENSORS = 10;
    /** Seed of the simulated source: every run sees the same readings. */
    public static final long SEED = 42;
    /** The simulator's default spike probability: anomalies flagged and readings filtered. */
    public static final double SPIKE_PROBABILITY = 0.005;

    private BenchmarkSettings() {
    }
}
