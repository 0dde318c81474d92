package dev.pipescope.metrics;

import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StageMetricsTest {
    private static final long MICRO = 1_000;
    private static final long SECOND = 1_000_000_000L;

    private final CachedNanoClock clock = new CachedNanoClock();

    /** Within HdrHistogram's 3-significant-digit precision: reported values are at most 0.1% above. */
    private static void assertNear(final double expected, final double actual, final String what) {
        assertTrue(actual >= expected * (1 - 1e-9) && actual <= expected * 1.001,
            what + ": expected ~" + expected + " but was " + actual);
    }

    @Test
    void percentilesOfKnownDataWithinPrecision() {
        final StageMetrics metrics = new StageMetrics("normalize", clock);
        final StageMetrics.Sampler sampler = metrics.claimSampler();
        for (long us = 1; us <= 10_000; us++) {
            metrics.recordBatch(1, 1, 0, us * MICRO);
        }
        clock.advance(SECOND);
        final StageMetricsSnapshot s = sampler.sample();
        final LatencySummary batch = s.batchLatency();
        assertEquals(10_000, batch.count());
        assertNear(5_000 * MICRO, batch.p50Nanos(), "p50");
        assertNear(9_000 * MICRO, batch.p90Nanos(), "p90");
        assertNear(9_900 * MICRO, batch.p99Nanos(), "p99");
        assertNear(9_990 * MICRO, batch.p999Nanos(), "p99.9");
        assertNear(10_000 * MICRO, batch.maxNanos(), "max");
        assertEquals(5_000.5 * MICRO, batch.meanNanos(), 5_000.5 * MICRO * 0.001);
        assertEquals(batch, s.batchLatencyTotal(), "first interval = total");
        // one record per batch: per-record latency equals batch latency
        assertNear(5_000 * MICRO, s.recordLatency().p50Nanos(), "record p50");
        assertEquals(0, s.total().clampedValues());
    }

    @Test
    void latencyPerRecordKeepsSubNanosecondResolution() {
        final StageMetrics metrics = new StageMetrics("fast", clock);
        final StageMetrics.Sampler sampler = metrics.claimSampler();
        metrics.recordBatch(1024, 1024, 0, 1_500); // 1.46 ns per record
        final LatencySummary perRecord = sampler.sample(1).recordLatency();
        assertNear(1.464, perRecord.p50Nanos(), "per record (1500 ns / 1024, truncated to whole picoseconds)");
        assertNear(1_500, sampler.sample(2).batchLatencyTotal().maxNanos(), "batch");
    }

    @Test
    void intervalAndCumulativeAreSeparate() {
        final StageMetrics metrics = new StageMetrics("s", clock);
        final StageMetrics.Sampler sampler = metrics.claimSampler();
        for (long us = 1; us <= 10_000; us++) {
            metrics.recordBatch(10, 10, 0, us * MICRO);
        }
        clock.advance(SECOND);
        sampler.sample();
        for (int i = 0; i < 100; i++) {
            metrics.recordBatch(10, 5, 0, 20_000 * MICRO);
        }
        clock.advance(SECOND);
        final StageMetricsSnapshot s = sampler.sample();
        assertEquals(100, s.batchLatency().count());
        assertNear(20_000 * MICRO, s.batchLatency().p50Nanos(), "interval p50");
        assertNear(20_000 * MICRO, s.batchLatency().p999Nanos(), "interval p99.9");
        assertEquals(10_100, s.batchLatencyTotal().count());
        assertNear(5_050 * MICRO, s.batchLatencyTotal().p50Nanos(), "cumulative p50");
        assertNear(20_000 * MICRO, s.batchLatencyTotal().maxNanos(), "cumulative max");
        assertNear(2_000 * MICRO, s.recordLatency().p50Nanos(), "interval per-record p50");

        assertEquals(100, s.interval().batches());
        assertEquals(1_000, s.interval().recordsIn());
        assertEquals(500, s.interval().recordsOut());
        assertEquals(500, s.interval().recordsDropped());
        assertEquals(10_100, s.total().batches());
        assertEquals(101_000, s.total().recordsIn());
        assertEquals(100_500, s.total().recordsOut());
    }

    @Test
    void emptyIntervalReportsNoDataNotStalePercentiles() {
        final StageMetrics metrics = new StageMetrics("s", clock);
        final StageMetrics.Sampler sampler = metrics.claimSampler();
        metrics.recordBatch(5, 5, 0, 1_000);
        clock.advance(SECOND);
        assertTrue(sampler.sample().batchLatency().hasData());
        clock.advance(SECOND);
        final StageMetricsSnapshot quiet = sampler.sample();
        assertFalse(quiet.batchLatency().hasData());
        assertEquals(0, quiet.batchLatency().count());
        assertTrue(Double.isNaN(quiet.batchLatency().p50Nanos()));
        assertTrue(Double.isNaN(quiet.recordLatency().p99Nanos()));
        assertTrue(Double.isNaN(quiet.allocatedBytesPerBatch()));
        assertEquals(0.0, quiet.throughputPerSecond());
        assertTrue(quiet.batchLatencyTotal().hasData(), "cumulative keeps its data");
        assertEquals(1, quiet.batchLatencyTotal().count());
    }

    @Test
    void valuesBeyondRangeAreClampedAndCountedNeverThrown() {
        final StageMetrics metrics = new StageMetrics("slow", clock, SECOND, 1_000_000, 3, SECOND);
        final StageMetrics.Sampler sampler = metrics.claimSampler();
        metrics.recordBatch(1, 1, 0, 5 * SECOND);   // batch and per-record both beyond range
        metrics.recordBatch(1, 1, 100, 50);         // clock stepped back: clamped to 0 (both values)
        metrics.recordBatch(0, 0, 0, 10);           // empty batch: no per-record value
        final StageMetricsSnapshot s = sampler.sample(SECOND);
        assertEquals(4, s.total().clampedValues());
        assertEquals(3, s.batchLatency().count());
        assertEquals(2, s.recordLatency().count());
        assertNear(SECOND, s.batchLatency().maxNanos(), "clamped to the highest trackable value");
        assertNear(1_000_000, s.recordLatency().maxNanos(), "per record clamped");
        assertEquals(5 * SECOND + 10, s.total().busyNanos(), "busy time is not clamped, negative counts 0");
    }

    @Test
    void impossibleBatchesAreRejected() {
        final StageMetrics metrics = new StageMetrics("s", clock);
        final StageMetrics.Sampler sampler = metrics.claimSampler();
        assertThrows(IllegalArgumentException.class, () -> metrics.recordBatch(3, 4, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> metrics.recordBatch(3, -1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> metrics.recordAllocatedBytes(-1));
        assertEquals(StageCounters.ZERO, metrics.totals());
    }

    @Test
    void throughputBusyShareAndSmoothing() {
        final StageMetrics metrics = new StageMetrics("s", clock, SECOND, SECOND, 3, SECOND);
        final StageMetrics.Sampler sampler = metrics.claimSampler();
        for (int i = 0; i < 100; i++) {
            metrics.recordBatch(1_000, 900, 0, 2_000_000, 64); // 2 ms busy each
        }
        clock.advance(SECOND);
        StageMetricsSnapshot s = sampler.sample();
        assertEquals(SECOND, s.intervalNanos());
        assertEquals(90_000.0, s.throughputPerSecond(), 1e-6);
        assertEquals(90_000.0, s.smoothedThroughputPerSecond(), 1e-6, "seeded by the first interval");
        assertEquals(0.2, s.busyShare(), 1e-12);
        assertEquals(64.0, s.allocatedBytesPerBatch(), 1e-12);

        clock.advance(SECOND); // idle second, time constant 1 s: weight 1 - 1/e
        s = sampler.sample();
        assertEquals(0.0, s.throughputPerSecond());
        assertEquals(90_000.0 * Math.exp(-1), s.smoothedThroughputPerSecond(), 1e-6);
        assertEquals(0.0, s.busyShare());

        s = sampler.sample(); // zero-length interval
        assertTrue(Double.isNaN(s.throughputPerSecond()));
        assertTrue(Double.isNaN(s.busyShare()));
    }

    @Test
    void allocatedBytesAreCounted() {
        final StageMetrics metrics = new StageMetrics("s", clock);
        final StageMetrics.Sampler sampler = metrics.claimSampler();
        metrics.recordBatch(1, 1, 0, 1, 100);
        metrics.recordAllocatedBytes(28);
        assertEquals(128, metrics.totals().allocatedBytes());
    }

    @Test
    void resetRestartsTheCumulativeViewAtTheNextSample() {
        final StageMetrics metrics = new StageMetrics("s", clock);
        final StageMetrics.Sampler sampler = metrics.claimSampler();
        metrics.recordBatch(10, 8, 0, 1_000);
        clock.advance(SECOND);
        sampler.sample();

        metrics.recordBatch(10, 7, 0, 2_000);
        metrics.reset(); // from "another thread": only a request
        clock.advance(SECOND);
        final StageMetricsSnapshot atReset = sampler.sample();
        assertEquals(1, atReset.interval().batches(), "the interval is still reported");
        assertEquals(StageCounters.ZERO, atReset.total());
        assertFalse(atReset.batchLatencyTotal().hasData());
        assertEquals(0, atReset.totalNanos());

        metrics.recordBatch(4, 4, 0, 3_000);
        clock.advance(SECOND);
        final StageMetricsSnapshot after = sampler.sample();
        assertEquals(new StageCounters(1, 4, 4, 3_000, 0, 0), after.total());
        assertEquals(1, after.batchLatencyTotal().count());
        assertEquals(SECOND, after.totalNanos());
        assertEquals(3, metrics.totals().batches(), "raw totals are not affected by reset");
    }
}
