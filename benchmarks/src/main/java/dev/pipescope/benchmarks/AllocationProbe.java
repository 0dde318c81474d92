package dev.pipescope.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.management.ManagementFactory;

/**
 * Base class for a {@code Scope.Thread} benchmark state whose allocation {@link WorkerAllocationProfiler}
 * should measure: per iteration, on the worker thread, it reads the thread's allocated-bytes counter before
 * the benchmark loops start and after they end. Costs two counter reads per iteration, outside the measured
 * loop. Without the profiler it reports into a counter nobody reads.
 */
public abstract class AllocationProbe {
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private long iterationStartBytes = -1;

    /** Reads the worker thread's allocation counter at the start of an iteration. */
    @Setup(Level.Iteration)
    public final void allocationProbeStart() {
        iterationStartBytes = THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled()
            ? THREADS.getCurrentThreadAllocatedBytes() : -1;
    }

    /** Hands what the worker thread allocated during the iteration to the profiler. */
    @TearDown(Level.Iteration)
    public final void allocationProbeStop() {
        if (iterationStartBytes >= 0) {
            WorkerAllocationProfiler.record(THREADS.getCurrentThreadAllocatedBytes() - iterationStartBytes);
        }
    }
}
