package dev.pipescope.metrics;

import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        sampler.close();
    }

    /** Notifications are delivered on the JDK's thread some time after the collection: sample until seen. */
    private static MemorySnapshot sampleUntilNotified(final MemoryGcSampler sampler, final long[] seen)
        throws InterruptedException {
        MemorySnapshot s = sampler.sample();
        seen[0] += s.gcNotifications();
        seen[1] += s.majorGcNotifications();
        for (int i = 0; i < 100 && seen[0] == 0; i++) {
            Thread.sleep(20);
            s = sampler.sample();
            seen[0] += s.gcNotifications();
            seen[1] += s.majorGcNotifications();
        }
        return s;
    }

    @Test
    void estimatesTheLiveSetFromNotificationsAndStopsListeningWhenClosed() throws InterruptedException {
        final long[] seen = new long[2];
        final MemorySnapshot s;
        try (MemoryGcSampler sampler = new MemoryGcSampler(SystemNanoClock.INSTANCE, SystemEpochClock.INSTANCE)) {
            final MemorySnapshot before = sampler.sample();
            if (before.gcNotifications() == 0) {
                assertEquals(-1, before.liveSetBytes(), "nothing collected since the sampler started");
                assertTrue(Double.isNaN(before.liveSetShareOfLimit()));
            }

            sink = new byte[4 << 20];
            System.gc(); // a full collection on every collector, reported as major except by ZGC
            s = sampleUntilNotified(sampler, seen);
            assertTrue(seen[0] >= 1, "the collection was notified");
            assertTrue(s.liveSetBytes() > 0 && s.liveSetBytes() <= s.heapCommittedBytes(), "live " + s);
            assertTrue(s.liveSetLimitBytes() > 0 && s.liveSetLimitBytes() <= s.heapMaxBytes(), "limit " + s);
            assertEquals((double) s.liveSetBytes() / s.liveSetLimitBytes(), s.liveSetShareOfLimit(), 1e-12);
            assertFalse(s.liveSetGrowing(), "one collection is no trend");
            assertEquals(s.liveSetGrowing(), s.heapGrowing(), "the old accessor carries the new signal");
            assertTrue(Double.isNaN(s.secondsToExhaustion()), "not growing: no projection");
            assertEquals(0, s.gcNotificationsDropped());

            sampler.close();
            sampler.close(); // idempotent
            Thread.sleep(100); // let anything already in flight arrive
            final MemorySnapshot closed = sampler.sample();
            System.gc();
            Thread.sleep(200);
            final MemorySnapshot after = sampler.sample();
            assertEquals(0, after.gcNotifications(), "closed: no longer subscribed");
            assertTrue(after.gcCount() >= 1, "while the collection did happen");
            assertEquals(closed.liveSetBytes(), after.liveSetBytes(), "the estimate stays as last seen");
        }
        final boolean zgc = ManagementFactory.getGarbageCollectorMXBeans().stream()
            .anyMatch(gc -> gc.getName().startsWith("ZGC"));
        if (!zgc) {
            assertTrue(seen[1] >= 1, "System.gc() is a major collection");
        }
    }
}
