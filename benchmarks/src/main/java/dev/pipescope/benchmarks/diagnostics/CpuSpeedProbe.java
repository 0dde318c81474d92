package dev.pipescope.benchmarks.diagnostics;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.benchmarks.BatchFixture;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.PipelineDefinition;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells whether this machine is steady enough to judge a ratio of close benchmark scores: it alternates, in
 * one thread, half-second slices of the default pipeline (batch 1024, observability off) with two fixed
 * kernels that hold no pipescope code — a load/store streaming loop over two L1-resident arrays and a
 * dependent multiply chain — and prints, per slice, the logical CPU the thread ran on and all three speeds.
 *
 * <p>Why it exists: on the two-vCPU machine the committed perf reports come from, the pipeline settles per JVM
 * at about 64k or about 52k batches/s. Pinned runs showed the mode follows the <em>virtual CPU</em>: one of the
 * two is about 20 % slower for throughput-bound loops at any time, which one changes over minutes, and the
 * streaming kernel slows with the pipeline while the dependent chain does not. A JMH fork inherits whichever
 * CPU its thread landed on, so two forks compared across CPUs compare CPUs. Run it through
 * {@code perf-reports/cpu-probe.sh}, which pins it to each CPU in turn.
 *
 * <p>Output, one line per slice: {@code slice cpu pipelineBatchesPerSecond streamNsPerElement chainNsPerStep}.
 */
public final class CpuSpeedProbe {
    /** Elements of each streaming array: 2 × 8 KB, resident in any L1 data cache. */
    static final int STREAM_ELEMENTS = 1024;
    private static final int STREAM_PASSES = 20_000;
    private static final int CHAIN_STEPS = 20_000_000;
    private static final long SLICE_NANOS = 500_000_000L;

    private final BatchFixture fixture = new BatchFixture("cpu-speed-probe", 1024);
    private final Pipeline pipeline = fixture.assemble(PipelineDefinition.defaults());
    private final double[] source = new double[STREAM_ELEMENTS];
    private final double[] target = new double[STREAM_ELEMENTS];
    private long blackhole;

    CpuSpeedProbe() {
        pipeline.instrumented(false); // and no observer is added: the bare stages
        for (int i = 0; i < STREAM_ELEMENTS; i++) {
            source[i] = i * 0.5;
        }
    }

    /** One slice's measurements. */
    record Slice(int cpu, double pipelineBatchesPerSecond, double streamNsPerElement, double chainNsPerStep) {
    }

    /**
     * Runs one slice: the pipeline for half a second, then each kernel once.
     *
     * @return what it measured.
     */
    Slice slice() {
        final long start = System.nanoTime();
        long batches = 0;
        long elapsed;
        do {
            for (int k = 0; k < 64; k++) {
                final RecordBatch batch = fixture.refill();
                pipeline.process(batch);
                blackhole += batch.size();
            }
            batches += 64;
            elapsed = System.nanoTime() - start;
        } while (elapsed < SLICE_NANOS);
        final double rate = batches * 1e9 / elapsed;

        long t = System.nanoTime();
        stream(source, target, STREAM_PASSES);
        final double streamNs = (System.nanoTime() - t) / ((double) STREAM_PASSES * STREAM_ELEMENTS);
        blackhole += (long) target[STREAM_ELEMENTS - 1];

        t = System.nanoTime();
        blackhole += chain(CHAIN_STEPS);
        final double chainNs = (System.nanoTime() - t) / (double) CHAIN_STEPS;
        return new Slice(currentCpu(), rate, streamNs, chainNs);
    }

    static void stream(final double[] from, final double[] to, final int passes) {
        for (int p = 0; p < passes; p++) {
            for (int i = 0; i < from.length; i++) {
                to[i] = from[i] * 1.5 + 0.25;
            }
        }
    }

    static long chain(final int steps) {
        long x = 1;
        for (int i = 0; i < steps; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            x ^= x >>> 17;
        }
        return x;
    }

    /**
     * @return the logical CPU the calling thread last ran on (field 39 of {@code /proc/thread-self/stat}),
     *     or -1 where that file does not exist.
     */
    static int currentCpu() {
        try {
            final String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            // the command name (field 2) may hold spaces; fields after it are space-separated
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return Integer.parseInt(fields[36]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    void run(final int slices, final PrintStream out) {
        out.println("# slice cpu pipelineBatchesPerSecond streamNsPerElement chainNsPerStep");
        for (int i = 0; i < slices; i++) {
            final Slice s = slice();
            out.printf("%d %d %.0f %.4f %.4f%n", i, s.cpu(), s.pipelineBatchesPerSecond(), s.streamNsPerElement(),
                s.chainNsPerStep());
        }
        out.println("# blackhole " + blackhole);
    }

    /**
     * @param args optional: number of half-second slices (default 20; the first few are warm-up).
     */
    public static void main(final String[] args) {
        final int slices = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        if (slices < 1) {
            System.err.println("CpuSpeedProbe: the number of slices must be at least 1, got " + slices);
            System.exit(2);
        }
        new CpuSpeedProbe().run(slices, System.out);
    }
}
