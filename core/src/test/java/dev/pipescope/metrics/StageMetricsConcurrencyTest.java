package dev.pipescope.metrics;

import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A writer records batches while a reader samples continuously. Every batch has 10 records in, 0..10 out
 * and 8 allocated bytes, so any torn read shows up as {@code recordsIn != 10 * batches}, and any reordering
 * as out &gt; in.
 */
class StageMetricsConcurrencyTest {
    private static final int BATCHES = 2_000_000;

    @Test
    void readerNeverSeesImpossibleCounters() throws Exception {
        final StageMetrics metrics = new StageMetrics("s", SystemNanoClock.INSTANCE, 1_000_000, 1_000_000, 2, 1_000_000_000L);
        final StageMetrics.Sampler sampler = metrics.claimSampler();
        final AtomicBoolean done = new AtomicBoolean();
        final Thread writer = new Thread(() -> {
            for (int i = 0; i < BATCHES; i++) {
                metrics.recordBatch(10, (i * 7) % 11, i, i + (i & 1023), 8);
            }
            done.set(true);
        }, "writer");

        final AtomicReference<String> violation = new AtomicReference<>();
        final Thread totalsReader = new Thread(() -> { // a second, concurrent reader of totals()
            long lastBatches = 0;
            while (!done.get() && violation.get() == null) {
                final StageCounters c = metrics.totals();
                final String problem = check(c, lastBatches);
                if (problem != null) {
                    violation.compareAndSet(null, "totals(): " + problem);
                }
                lastBatches = c.batches();
            }
        }, "totals-reader");

        writer.start();
        totalsReader.start();
        long lastBatches = 0;
        long samples = 0;
        long now = 0;
        while (!done.get() && violation.get() == null) {
            final StageMetricsSnapshot s = sampler.sample(now += 1_000_000);
            samples++;
            String problem = check(s.total(), lastBatches);
            if (problem == null) {
                final StageCounters iv = s.interval();
                problem = iv.batches() < 0 || iv.recordsOut() > iv.recordsIn() || iv.recordsIn() != 10 * iv.batches()
                    ? "interval " + iv : null;
            }
            if (problem == null && s.batchLatency().count() < 0) {
                problem = "negative latency count";
            }
            if (problem != null) {
                violation.compareAndSet(null, "sample(): " + problem);
            }
            lastBatches = s.total().batches();
        }
        writer.join();
        totalsReader.join();
        assertNull(violation.get());
        assertTrue(samples > 0);

        final StageMetricsSnapshot last = sampler.sample(now + 1_000_000);
        assertEquals(BATCHES, last.total().batches());
        assertEquals(10L * BATCHES, last.total().recordsIn());
        assertEquals(BATCHES, last.batchLatencyTotal().count(), "no value lost across interval swaps");
    }

    private static String check(final StageCounters c, final long lastBatches) {
        if (c.batches() < lastBatches) {
            return "batches went down: " + lastBatches + " -> " + c;
        }
        if (c.recordsOut() > c.recordsIn() || c.recordsOut() < 0 || c.busyNanos() < 0) {
            return "impossible " + c;
        }
        if (c.recordsIn() != 10 * c.batches() || c.allocatedBytes() != 8 * c.batches()) {
            return "torn " + c;
        }
        return null;
    }
}
