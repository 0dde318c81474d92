package dev.pipescope.metrics;

import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The writer side allocates nothing per batch once warm (100k calls per measured round). */
class MetricsAllocationTest {
    private static final int ITERATIONS = 100_000;

    private final AllocationProbe probe = new AllocationProbe();

    @Test
    void allocationMeterDoesNotAllocate() {
        assumeTrue(AllocationMeter.isAvailable());
        final long bytes = probe.minAllocatedBytes(n -> {
            long x = 0;
            for (int i = 0; i < n; i++) {
                x += AllocationMeter.currentThreadAllocatedBytes();
            }
            return x;
        }, ITERATIONS);
        assertEquals(0, bytes, "bytes allocated by 100k meter reads, per round: " + probe.rounds());
    }

    @Test
    void recordBatchDoesNotAllocate() {
        assumeTrue(AllocationMeter.isAvailable());
        final CachedNanoClock clock = new CachedNanoClock();
        final StageMetrics metrics = new StageMetrics("s", clock);
        metrics.sample(); // reader state initialised, like a running health reporter
        final long bytes = probe.minAllocatedBytes(n -> {
            for (int i = 0; i < n; i++) {
                final long start = i * 10_000L;
                metrics.recordBatch(1_024, 1_000 + (i & 15), start, start + 5_000 + (i & 4095), 0);
                metrics.recordAllocatedBytes(i & 7);
            }
            return n;
        }, ITERATIONS);
        assertEquals(0, bytes, "bytes allocated by " + ITERATIONS + " recordBatch calls, per round: " + probe.rounds());
        final long batches = metrics.totals().batches();
        assertEquals(0, batches % ITERATIONS);
        metrics.sample();
    }
}
