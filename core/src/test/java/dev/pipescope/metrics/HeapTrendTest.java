package dev.pipescope.metrics;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeapTrendTest {
    private static final long SECOND = 1_000_000_000L;
    private static final double MIB = 1024 * 1024;

    private static HeapTrend trend() {
        return new HeapTrend(30, 8, MIB, 0.6); // growth > 1 MiB/min
    }

    @Test
    void steadyGrowthIsReportedWithItsSlope() {
        final HeapTrend trend = trend();
        for (int i = 0; i < 30; i++) {
            trend.add(i * 10 * SECOND, 100_000_000L + i * 1_000_000L); // 100 kB/s = 5.7 MiB/min
        }
        assertEquals(100_000.0, trend.slopeBytesPerSecond(), 1e-6);
        assertEquals(1.0, trend.rSquared(), 1e-12);
        assertEquals(1.0, trend.risingFraction());
        assertTrue(trend.isGrowing());
    }

    @Test
    void flatSeriesIsNotGrowing() {
        final HeapTrend trend = trend();
        for (int i = 0; i < 30; i++) {
            trend.add(i * 10 * SECOND, 200_000_000L);
        }
        assertEquals(0.0, trend.slopeBytesPerSecond());
        assertTrue(Double.isNaN(trend.rSquared()), "no variance: fit undefined");
        assertFalse(trend.isGrowing());
    }

    @Test
    void noisyFlatSeriesIsNotGrowing() {
        final HeapTrend trend = trend();
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 30; i++) {
            trend.add(i * 10 * SECOND, 200_000_000L + random.nextLong(-5_000_000, 5_000_000));
        }
        assertTrue(Math.abs(trend.slopeBytesPerSecond()) * 60 < MIB, "slope " + trend.slopeBytesPerSecond());
        assertFalse(trend.isGrowing());
    }

    @Test
    void noisyGrowthIsStillGrowth() {
        final HeapTrend trend = trend();
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 30; i++) { // 3 MiB per 10 s sample, noise +- 2 MiB
            trend.add(i * 10 * SECOND, 100_000_000L + i * 3L * (1 << 20) + random.nextLong(-2 << 20, 2 << 20));
        }
        final double slope = trend.slopeBytesPerSecond();
        assertEquals(3.0 * MIB / 10, slope, 0.2 * 3.0 * MIB / 10);
        assertTrue(trend.risingFraction() >= 0.6, "rising " + trend.risingFraction());
        assertTrue(trend.isGrowing());
    }

    @Test
    void aSingleStepIsNotALeak() {
        final HeapTrend trend = trend();
        for (int i = 0; i < 30; i++) { // a cache filled once, then stable
            trend.add(i * 10 * SECOND, i < 15 ? 100_000_000L : 300_000_000L);
        }
        assertTrue(trend.slopeBytesPerSecond() > 0);
        assertFalse(trend.isGrowing(), "only one rising step");
    }

    @Test
    void tooFewSamplesAndSlowGrowthAreNotReported() {
        final HeapTrend trend = trend();
        for (int i = 0; i < 7; i++) {
            trend.add(i * 10 * SECOND, 100_000_000L + i * 10_000_000L);
        }
        assertTrue(trend.slopeBytesPerSecond() > 0);
        assertFalse(trend.isGrowing(), "7 < minSamples");

        final HeapTrend slow = trend();
        for (int i = 0; i < 30; i++) { // 1 kB per 10 s: 6 kB/min, below 1 MiB/min
            slow.add(i * 10 * SECOND, 100_000_000L + i * 1_000L);
        }
        assertEquals(1.0, slow.risingFraction());
        assertFalse(slow.isGrowing());
    }

    @Test
    void windowSlidesOverTheLastSamples() {
        final HeapTrend trend = new HeapTrend(5, 2, 0, 0.5);
        for (int i = 0; i < 10; i++) { // falls, then rises: only the last 5 count
            trend.add(i * SECOND, i < 5 ? 1_000L - i * 100 : 1_000L + i * 100);
        }
        assertEquals(5, trend.size());
        assertEquals(100.0, trend.slopeBytesPerSecond(), 1e-9);
        assertTrue(trend.isGrowing());
        trend.clear();
        assertEquals(0, trend.size());
        assertTrue(Double.isNaN(trend.slopeBytesPerSecond()));
        assertFalse(trend.isGrowing());
    }

    @Test
    void rejectsBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> new HeapTrend(1, 2, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new HeapTrend(10, 11, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new HeapTrend(10, 5, 0, 1.5));
    }
}
