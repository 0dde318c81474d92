package dev.pipescope.benchmarks;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes allocated per operation by the benchmark code alone, on the threads that run it:
 * {@code -prof dev.pipescope.benchmarks.WorkerAllocationProfiler}, reported as {@value #METRIC}. Works with
 * benchmark states that extend {@link AllocationProbe}; reports nothing for others.
 *
 * <p>Why next to {@code -prof gc}: {@code gc.alloc.rate.norm} divides the allocation of every thread in the
 * forked JVM, over the whole iteration, by the operations. JMH's infrastructure allocates a steady ~20 KB/s
 * on its own threads plus a few hundred bytes of result objects per iteration on the worker thread. That
 * floor is invisible for a benchmark doing millions of operations per second, but reads as several bytes
 * per operation for one processing a 16384-record batch a few thousand times per second. {@link AllocationProbe}
 * reads the worker thread's allocation counter ({@code com.sun.management.ThreadMXBean}, the counter the core's
 * steady-state allocation test uses) in its {@code Level.Iteration} setup and tear-down, which JMH runs on
 * the worker thread right around the warm-up, measured and warm-down loops; this profiler divides the sum by
 * all operations of the iteration. The report shows both figures.
 */
public final class WorkerAllocationProfiler implements InternalProfiler {
    /** The secondary metric's name. */
    public static final String METRIC = "worker.alloc.norm";

    private static final AtomicLong PROBED_BYTES = new AtomicLong();
    private static final AtomicInteger PROBES = new AtomicInteger();

    /** Creates the profiler (JMH instantiates it by class name). */
    public WorkerAllocationProfiler() {
    }

    /**
     * Called by {@link AllocationProbe} at the end of an iteration, on the worker thread.
     *
     * @param bytes what the worker thread allocated since the iteration's setup.
     */
    static void record(final long bytes) {
        PROBED_BYTES.addAndGet(bytes);
        PROBES.incrementAndGet();
    }

    @Override
    public String getDescription() {
        return "Bytes per operation allocated by the benchmark code on its worker threads (" + METRIC + ")";
    }

    @Override
    public void beforeIteration(final BenchmarkParams benchmarkParams, final IterationParams iterationParams) {
        PROBED_BYTES.set(0);
        PROBES.set(0);
    }

    @Override
    public List<Result> afterIteration(final BenchmarkParams benchmarkParams, final IterationParams iterationParams,
        final IterationResult result) {
        final int probes = PROBES.getAndSet(0);
        final long bytes = PROBED_BYTES.getAndSet(0);
        final long ops = result.getMetadata().getAllOps();
        if (probes == 0 || ops <= 0 || bytes < 0) {
            return List.of();
        }
        return List.of(new ScalarResult(METRIC, (double) bytes / ops, "B/op", AggregationPolicy.AVG));
    }
}
