package dev.pipescope.metrics;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The floor/envelope/verdict arithmetic on synthetic collection series shaped like the real ones: young
 * collections whose after-GC value saw-tooths as garbage is promoted and later reclaimed, concurrent cycles
 * whose after-GC value includes what was allocated meanwhile, leaks, steps.
 */
class LiveSetTrendTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final long MIB = 1L << 20;
    private static final long LIMIT = 512 * MIB;

    private static LiveSetTrend fast() {
        return new LiveSetTrend(LiveSetTrend.Settings.fast(), LIMIT);
    }

    /**
     * Feeds one collection every {@code periodNanos} up to {@code endNanos} with the given after-GC values.
     *
     * @return time of the first collection at which growth was reported, or -1.
     */
    private static long feed(final LiveSetTrend trend, final long startNanos, final long endNanos,
        final long periodNanos, final LongUnaryOperator afterGcAt) {
        long firstGrowing = -1;
        for (long t = startNanos; t < endNanos; t += periodNanos) {
            trend.onCollection(t, afterGcAt.applyAsLong(t));
            if (firstGrowing < 0 && trend.isGrowing()) {
                firstGrowing = t;
            }
        }
        return firstGrowing;
    }

    /** Old-generation garbage promoted by each young collection and reclaimed every {@code periodNanos}. */
    private static long sawTooth(final long t, final long periodNanos, final long amplitude) {
        return amplitude * (t % periodNanos) / periodNanos;
    }

    @Test
    void sawToothWithoutLeakIsNotGrowing() {
        final LiveSetTrend trend = fast();
        // G1/Parallel-like: young collection every 50 ms, 60 MB of promoted garbage reclaimed every second
        final long first = feed(trend, 0, 120 * SECOND, 50 * MS, t -> 80 * MIB + sawTooth(t, SECOND, 60 * MIB));
        assertEquals(-1, first, "grew at " + first / 1e9 + " s");
        assertTrue(trend.size() > 0);
        assertTrue(Math.abs(trend.slopeBytesPerSecond()) < MIB, "slope " + trend.slopeBytesPerSecond());
        // the newest 250 ms floor may be anywhere on the last ramp, but never above its top
        final long live = trend.liveSetBytes();
        assertTrue(live >= 80 * MIB && live <= 140 * MIB, "live " + live);
    }

    @Test
    void sawToothWithRisingFloorIsGrowingWithinAFewFloors() {
        final LiveSetTrend trend = fast();
        final long leakStart = 30 * SECOND;
        final long leakPerSecond = 20 * MIB; // ~200 KB per 10 ms
        final LongUnaryOperator series = t -> 80 * MIB + sawTooth(t, SECOND, 60 * MIB)
            + (t < leakStart ? 0 : (t - leakStart) / MS * leakPerSecond / 1000);
        final long first = feed(trend, 0, 60 * SECOND, 50 * MS, series);
        assertTrue(first >= leakStart, "grew before the leak, at " + first / 1e9 + " s");
        // the envelope steps up once per saw-tooth period, and each of 3 segments must hold a step: 3 periods
        assertTrue(first - leakStart <= 4 * SECOND, "detected " + (first - leakStart) / 1e9 + " s after the start");
        assertTrue(trend.isGrowing());
        assertEquals(leakPerSecond, trend.slopeBytesPerSecond(), 0.25 * leakPerSecond);
    }

    @Test
    void steadyLeakIsReportedWithItsSlopeAndFitsALine() {
        final LiveSetTrend trend = fast();
        final long first = feed(trend, 0, 10 * SECOND, 100 * MS, t -> 50 * MIB + t / MS * 25 * MIB / 1000);
        // 0.3 s floors (3 collections each, closed by the next), 8 in the run + 1 confirming it + the open one
        assertTrue(first >= 0 && first <= 3 * SECOND, "detected at " + first / 1e9 + " s");
        assertEquals(25.0 * MIB, trend.slopeBytesPerSecond(), 0.01 * 25 * MIB);
        assertTrue(trend.rSquared() > 0.99, "r2 " + trend.rSquared());
        assertEquals(trend.size() - 1, trend.trendSamples(), "every floor but the unconfirmed newest is in the run");
    }

    @Test
    void singleStepIsNotGrowing() {
        final SplittableRandom random = new SplittableRandom(3);
        for (final long stepDuration : new long[] {0, 400 * MS, 900 * MS}) { // instant, or spread over 2-3 floors
            final LiveSetTrend trend = fast();
            final long stepAt = 20 * SECOND;
            final long first = feed(trend, 0, 60 * SECOND, 50 * MS, t -> {
                final long filled = t < stepAt ? 0
                    : t >= stepAt + stepDuration ? 150 * MIB : 150 * MIB * (t - stepAt) / Math.max(1, stepDuration);
                return 80 * MIB + filled + random.nextLong(0, 2 * MIB);
            });
            assertEquals(-1, first, "a cache filled over " + stepDuration / MS + " ms grew at " + first / 1e9 + " s");
            assertEquals(230 * MIB, trend.liveSetBytes(), 3 * MIB);
        }
    }

    @Test
    void allocationNoiseOfAConcurrentCollectorIsNotGrowth() {
        for (int seed = 0; seed < 20; seed++) {
            final SplittableRandom random = new SplittableRandom(seed);
            final LiveSetTrend trend = fast();
            final LiveSetTrend slow = new LiveSetTrend(LiveSetTrend.Settings.slow(), LIMIT);
            // ZGC-like: a cycle every 300 ms whose after-GC value includes 0..40 MB allocated during it
            for (long t = 0; t < 30 * 60 * SECOND; t += 300 * MS) {
                final long after = 60 * MIB + random.nextLong(0, 40 * MIB);
                trend.onCollection(t, after);
                slow.onCollection(t, after);
                assertFalse(trend.isGrowing(), "fast, seed " + seed + " at " + t / 1e9 + " s");
                assertFalse(slow.isGrowing(), "slow, seed " + seed + " at " + t / 1e9 + " s");
            }
            assertTrue(trend.undercutBytes() > 10 * MIB, "undercut is measured: " + trend.undercutBytes());
        }
    }

    @Test
    void leakThroughConcurrentCollectorNoiseIsGrowth() {
        final SplittableRandom random = new SplittableRandom(11);
        final LiveSetTrend trend = fast();
        final long first = feed(trend, 0, 20 * SECOND, 300 * MS,
            t -> 60 * MIB + t / MS * 25 * MIB / 1000 + random.nextLong(0, 20 * MIB));
        assertTrue(first >= 0 && first <= 6 * SECOND, "detected at " + first / 1e9 + " s");
    }

    @Test
    void reclaimedFloatingGarbageStopsCountingAsGrowth() {
        final LiveSetTrend trend = fast();
        // a slow ramp (5 s of promoted garbage, 100 MB) looks like a leak while it lasts: the documented limit
        feed(trend, 0, 5 * SECOND, 50 * MS, t -> 80 * MIB + 100 * MIB * t / (5 * SECOND));
        // then a mixed/full collection reclaims it: everything above the new floor was garbage
        feed(trend, 5 * SECOND, 7 * SECOND, 50 * MS, t -> 80 * MIB);
        assertFalse(trend.isGrowing());
        assertEquals(80 * MIB, trend.liveSetBytes());
    }

    @Test
    void oncePromotedGarbageWasReclaimedItsNextRampIsNotALeak() {
        final LiveSetTrend trend = fast();
        // Serial/Parallel with objects living a few seconds: they pile up in the old generation at 10 MB/s
        // until a full collection every 25 s brings the heap back to the 60 MB really live
        final LongUnaryOperator ramps = t -> 60 * MIB + sawTooth(t, 25 * SECOND, 250 * MIB);
        final long first = feed(trend, 0, 25 * SECOND, 300 * MS, ramps);
        assertTrue(first > 0, "the first ramp cannot be told from a leak before a full collection");
        feed(trend, 25 * SECOND, 26 * SECOND, 300 * MS, ramps);
        assertFalse(trend.isGrowing(), "cleared once the full collection's floor is in");
        final long again = feed(trend, 26 * SECOND, 10 * 60 * SECOND, 300 * MS, ramps);
        assertEquals(-1, again, "after a 250 MB reclaim, ramps of 250 MB are not evidence; grew at " + again / 1e9);
        assertTrue(trend.undercutBytes() >= 200 * MIB, "remembered " + trend.undercutBytes());

        // the memory fades (5 min half-life): half an hour later a real leak is found again, if more slowly
        final long quiet = 10 * 60 * SECOND;
        feed(trend, quiet, quiet + 30 * 60 * SECOND, 300 * MS, t -> 60 * MIB);
        final long leakStart = quiet + 30 * 60 * SECOND;
        final long leak = feed(trend, leakStart, leakStart + 20 * SECOND, 300 * MS,
            t -> 60 * MIB + (t - leakStart) / MS * 20 * MIB / 1000);
        assertTrue(leak > 0 && leak - leakStart <= 5 * SECOND,
            "leak after the memory faded: " + (leak - leakStart) / 1e9);
    }

    @Test
    void slowLeakIsFoundByTheSlowScaleOnly() {
        final SplittableRandom random = new SplittableRandom(5);
        final LiveSetTrend fast = fast();
        final LiveSetTrend slow = new LiveSetTrend(LiveSetTrend.Settings.slow(), LIMIT);
        final long perMinute = 4 * MIB;
        long first = -1;
        for (long t = 0; t < 20 * 60 * SECOND; t += 200 * MS) {
            final long after = 100 * MIB + t / SECOND * perMinute / 60 + sawTooth(t, 2 * SECOND, 30 * MIB)
                + random.nextLong(0, MIB);
            fast.onCollection(t, after);
            slow.onCollection(t, after);
            assertFalse(fast.isGrowing(), "fast at " + t / 1e9 + " s");
            if (first < 0 && slow.isGrowing()) {
                first = t;
            }
        }
        // the rise must reach max(4 MiB, 1% of 512 MiB = 5.1 MiB) over >= 12 floors: about 1.5..3 minutes
        assertTrue(first > 0 && first <= 4 * 60 * SECOND, "slow scale detected at " + first / 1e9 + " s");
        assertEquals(perMinute / 60.0, slow.slopeBytesPerSecond(), 0.3 * perMinute / 60.0);
    }

    @Test
    void bucketsTakeTheirTimeAndCloseOnTheNextCollection() {
        final LiveSetTrend trend = fast(); // 250 ms buckets
        trend.onCollection(0, 100);
        assertEquals(100, trend.liveSetBytes(), "the open bucket counts before any floor");
        trend.onCollection(100 * MS, 90); // within 250 ms: same bucket
        assertEquals(0, trend.size());
        assertEquals(90, trend.liveSetBytes());
        trend.onCollection(300 * MS, 200); // beyond: closes the first bucket with floor 90
        assertEquals(1, trend.size());
        assertEquals(90, trend.liveSetBytes(), "the lower of newest floor and open bucket");
        trend.onCollection(250 * MS, 80); // out of order by 50 ms: taken as the latest time, same bucket
        assertEquals(1, trend.size());
        assertEquals(80, trend.liveSetBytes());
        trend.onCollection(600 * MS, 300);
        assertEquals(2, trend.size());
        assertEquals(80, trend.liveSetBytes(), "floor 80, open bucket 300");
        trend.onCollection(700 * MS, -1); // undefined values are ignored
        assertEquals(80, trend.liveSetBytes());
        assertEquals(-1, fast().liveSetBytes());
        assertTrue(Double.isNaN(fast().slopeBytesPerSecond()));

        // rare collections: a bucket waits for its minimum count however long it takes
        final LiveSetTrend counted =
            new LiveSetTrend(new LiveSetTrend.Settings(SECOND, 3, 10, 5, 3, 0, 0, 0, 0, 0), -1);
        for (int i = 0; i < 3; i++) {
            counted.onCollection(i * 10 * SECOND, 1_000 - i);
        }
        assertEquals(0, counted.size(), "3 collections but no later one yet");
        counted.onCollection(30 * SECOND, 5_000);
        assertEquals(1, counted.size());
        assertEquals(998, counted.liveSetBytes());
    }

    @Test
    void requiredRiseFollowsTheLimitAndTheNoise() {
        final LiveSetTrend small = new LiveSetTrend(LiveSetTrend.Settings.fast(), 40 * MIB);
        small.addFloor(0, 10 * MIB);
        assertEquals(4 * MIB, small.requiredRiseBytes(), "absolute minimum wins on a small heap");
        final LiveSetTrend big = fast();
        big.addFloor(0, 10 * MIB);
        assertEquals((long) Math.ceil(0.05 * LIMIT), big.requiredRiseBytes(), "5% of the limit");
        final LiveSetTrend unlimited = new LiveSetTrend(LiveSetTrend.Settings.fast(), -1);
        unlimited.addFloor(0, 10 * MIB);
        assertEquals(4 * MIB, unlimited.requiredRiseBytes(), "undefined limit: the absolute minimum");

        final LiveSetTrend noisy = fast();
        final SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 20; i++) {
            noisy.addFloor(i * SECOND, 100 * MIB + random.nextLong(0, 100 * MIB));
        }
        assertTrue(noisy.requiredRiseBytes() > 100 * MIB, "noise raises the bar: " + noisy.requiredRiseBytes());
        assertEquals(2 * noisy.undercutBytes(), noisy.requiredRiseBytes());
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new LiveSetTrend.Settings(1, 0, 10, 5, 3, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LiveSetTrend.Settings(1, 1, 1, 2, 1, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LiveSetTrend.Settings(1, 1, 10, 11, 3, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LiveSetTrend.Settings(1, 1, 10, 5, 5, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LiveSetTrend.Settings(1, 1, 10, 5, 3, 0, 0, 1.5, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LiveSetTrend.Settings(-1, 1, 10, 5, 3, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LiveSetTrend.Settings(1, 1, 10, 5, 3, 0, 0, 0, 0, -1));
    }
}
