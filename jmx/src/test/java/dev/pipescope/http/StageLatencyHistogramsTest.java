package dev.pipescope.http;

import dev.pipescope.metrics.LatencySummary;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bucket estimate from a summary's percentiles: exact at the points, monotonic, and within a bucket. */
class StageLatencyHistogramsTest {
    private static final double[] B = StageLatencyHistograms.UPPER_BOUNDS_SECONDS;

    @Test
    void boundsGrowByAQuarterOctaveFromOneMicrosecondToSixteenSeconds() {
        assertEquals(97, B.length);
        assertEquals(1e-6, B[0]);
        assertEquals(16.78, B[B.length - 1], 1e-9);
        for (int i = 1; i < B.length; i++) {
            final double ratio = B[i] / B[i - 1];
            assertTrue(ratio > 1.18 && ratio < 1.20, i + ": " + ratio);
        }
    }

    @Test
    void theEstimateIsExactAtThePercentilesAndLogLinearBetween() {
        final double[] x = {0, 100, 200, 400, 800, 1000};
        assertEquals(0.0, StageLatencyHistograms.fraction(x, 0));
        assertEquals(0.25, StageLatencyHistograms.fraction(x, 50), 1e-12);
        assertEquals(0.5, StageLatencyHistograms.fraction(x, 100), 1e-12);
        // log-linear above the median: 150 is 0.585 of the way from 100 to 200 on a log scale
        assertEquals(0.5 + 0.4 * Math.log(1.5) / Math.log(2), StageLatencyHistograms.fraction(x, 150), 1e-12);
        assertEquals(0.99, StageLatencyHistograms.fraction(x, 400), 1e-12);
        assertEquals(0.999, StageLatencyHistograms.fraction(x, 800), 1e-12);
        assertEquals(1.0, StageLatencyHistograms.fraction(x, 1000));
        assertEquals(1.0, StageLatencyHistograms.fraction(x, 5000));
        // equal percentiles (a short interval: p99 = p99.9 = max) jump straight to the highest fraction
        final double[] flat = {0, 100, 200, 300, 300, 300};
        assertEquals(0.9 + 0.09 * Math.log(1.25) / Math.log(1.5), StageLatencyHistograms.fraction(flat, 250), 1e-12);
        assertEquals(1.0, StageLatencyHistograms.fraction(flat, 300));
    }

    @Test
    void bucketsOnlyGrowAndAQuantileReadBackLiesWithinABucket() {
        final StageLatencyHistograms h = new StageLatencyHistograms(1);
        long[] previousCumulative = new long[B.length + 1];
        for (int report = 0; report < 50; report++) {
            // a stage around 40 us with a tail; the intervals differ a little
            final double s = 1 + (report % 5) * 0.02;
            h.onReport(HistogramReports.report(new LatencySummary(200, 40_000 * s, 55_000 * s, 90_000 * s,
                150_000 * s, 160_000 * s, 43_000 * s)));
            final StageLatencyHistograms.Published p = h.published();
            final long[] perBucket = StageLatencyHistograms.bucketCounts(p.cumulative()[0], p.counts()[0]);
            long running = 0;
            final long[] cumulative = new long[perBucket.length];
            for (int i = 0; i < perBucket.length; i++) {
                assertTrue(perBucket[i] >= 0);
                running += perBucket[i];
                cumulative[i] = running;
                assertTrue(cumulative[i] >= previousCumulative[i], "bucket " + i + " never decreases");
            }
            assertEquals(p.counts()[0], running, "+Inf holds every batch");
            previousCumulative = cumulative;
        }
        final StageLatencyHistograms.Published p = h.published();
        assertEquals(50 * 200, p.counts()[0]);
        final double p99 = histogramQuantile(0.99, previousCumulative);
        final double truth = 90e-6 * 1.04; // the middle of the intervals' p99s
        assertTrue(p99 / truth > 1 / 1.19 && p99 / truth < 1.19, "histogram_quantile(0.99) = " + p99 + " vs " + truth);
        final double p50 = histogramQuantile(0.5, previousCumulative);
        assertTrue(p50 / (40e-6 * 1.04) > 1 / 1.19 && p50 / (40e-6 * 1.04) < 1.19, "p50 " + p50);
        assertEquals(50 * 200 * 43e-6 * 1.04, p.sumsSeconds()[0], 1e-3);
    }

    /** Prometheus's histogram_quantile: linear interpolation inside the bucket the rank falls in. */
    static double histogramQuantile(final double q, final long[] cumulative) {
        final long total = cumulative[cumulative.length - 1];
        final double rank = q * total;
        for (int i = 0; i < B.length; i++) {
            if (cumulative[i] >= rank) {
                final double lower = i == 0 ? 0 : B[i - 1];
                final long below = i == 0 ? 0 : cumulative[i - 1];
                return lower + (B[i] - lower) * (rank - below) / (cumulative[i] - below);
            }
        }
        return B[B.length - 1];
    }
}
