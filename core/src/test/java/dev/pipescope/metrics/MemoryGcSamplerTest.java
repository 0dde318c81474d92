package dev.pipescope.metrics;

import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryGcSamplerTest {
    private static volatile Object sink;

    @Test
    void reportsHeapGcAndAllocationOfRegisteredThreads() {
        final MemoryGcSampler sampler = new MemoryGcSampler(SystemNanoClock.INSTANCE, SystemEpochClock.INSTANCE);
        sampler.registerThread(Thread.currentThread().getId());
        sampler.sample(); // registration interval: baseline only

        for (int i = 0; i < 1_000; i++) {
            sink = new byte[10_000]; // ~10 MB
        }
        System.gc();
        final MemorySnapshot s = sampler.sample();

        assertTrue(s.heapUsedBytes() > 0);
        assertTrue(s.heapCommittedBytes() >= s.heapUsedBytes());
        assertTrue(s.intervalNanos() > 0);
        assertTrue(s.timestampEpochMillis() > 0);
        if (AllocationMeter.isAvailable()) {
            assertTrue(s.allocatedBytes() >= 10_000_000, "allocated " + s.allocatedBytes());
            assertTrue(s.allocationRateBytesPerSecond() > 0);
        }
        assertTrue(s.gcCount() >= 1, "System.gc() ran a collection");
        assertTrue(s.gcCountTotal() >= s.gcCount());
        assertTrue(s.gcTimeShare() >= 0);
        assertTrue(s.heapAfterGcBytes() >= 0, "heap pools report usage after collection");
        assertEquals(1, s.trendSamples(), "one trend point per sample that saw a collection");
    }
}
