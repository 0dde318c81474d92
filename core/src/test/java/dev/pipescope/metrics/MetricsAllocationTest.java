package dev.pipescope.metrics;

import dev.pipescope.testing.AllocationProbe;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The writer side allocates nothing per batch once warm (100k calls per measured round). */
@Tag(AllocationProbe.TAG)
class MetricsAllocationTest {
    private static final int ITERATIONS = 100_000;

    @Test
    void allocationMeterDoesNotAllocate() {
        assumeTrue(AllocationMeter.isAvailable());
        AllocationProbe.measure(3, 3, () -> {
            long x = 0;
            for (int i = 0; i < ITERATIONS; i++) {
                x += AllocationMeter.currentThreadAllocatedBytes();
            }
            return x;
        }).assertAllocationFree(ITERATIONS + " meter reads");
    }

    @Test
    void recordBatchDoesNotAllocate() {
        assumeTrue(AllocationMeter.isAvailable());
        final CachedNanoClock clock = new CachedNanoClock();
        final StageMetrics metrics = new StageMetrics("s", clock);
        final StageMetrics.Sampler sampler = metrics.claimSampler();
        sampler.sample(); // reader state initialised, like a running health reporter
        AllocationProbe.measure(3, 3, () -> {
            for (int i = 0; i < ITERATIONS; i++) {
                final long start = i * 10_000L;
                metrics.recordBatch(1_024, 1_000 + (i & 15), start, start + 5_000 + (i & 4095), 0);
                metrics.recordAllocatedBytes(i & 7);
            }
            return ITERATIONS;
        }).assertAllocationFree(ITERATIONS + " recordBatch calls");
        final long batches = metrics.totals().batches();
        assertEquals(0, batches % ITERATIONS);
        sampler.sample();
    }
}
