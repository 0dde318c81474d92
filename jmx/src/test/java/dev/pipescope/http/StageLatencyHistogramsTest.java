package dev.pipescope.http;

import dev.pipescope.metrics.StageMetrics;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exported buckets are the stage's own recorded latencies, counted at the bounds. */
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
    void bucketsCountTheRecordedBatchesOnlyGrowAndAQuantileReadBackLiesWithinABucket() {
        final StageMetrics metrics = new StageMetrics("s", new CachedNanoClock());
        final StageMetrics.Sampler sampler = metrics.claimSampler();
        final StageLatencyHistograms h = new StageLatencyHistograms(1);
        final Random random = new Random(7);
        final long[] recorded = new long[4000];
        double[] previous = new double[B.length];
        long busy = 0;
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < 1000; i++) {
                // a body around 50 us and a tail to a few ms, like a stage with a slow cache refetch
                final long nanos = random.nextInt(20) == 0 ? 1_000_000 + random.nextInt(3_000_000)
                    : 40_000 + random.nextInt(20_000);
                recorded[round * 1000 + i] = nanos;
                busy += nanos;
                metrics.recordBatch(100, 100, 0, nanos);
            }
            h.onReport(HistogramReports.report(sampler.sample(round + 1)));
            final StageLatencyHistograms.Published p = h.published();
            for (int b = 0; b < B.length; b++) {
                assertTrue(p.cumulative()[0][b] >= previous[b], "bucket " + b + " never shrinks");
            }
            previous = p.cumulative()[0].clone();
        }
        final StageLatencyHistograms.Published p = h.published();
        assertEquals(4000, p.counts()[0]);
        assertEquals(busy / 1e9, p.sumsSeconds()[0], 1e-9);
        for (int b = 0; b < B.length; b++) {
            final long bound = Math.round(B[b] * 1e9);
            final long exact = Arrays.stream(recorded).filter(v -> v <= bound).count();
            // HdrHistogram keeps 3 significant digits: a value within 0.1 % of a bound may count on either side
            final long ambiguous = Arrays.stream(recorded).filter(v -> Math.abs(v - bound) <= bound * 1e-3).count();
            assertEquals(exact, p.cumulative()[0][b], ambiguous, "at " + B[b] + " s");
        }
        Arrays.sort(recorded);
        final double p99 = recorded[(int) Math.ceil(0.99 * recorded.length) - 1] / 1e9;
        final double readBack = quantile(p.cumulative()[0], p.counts()[0], 0.99);
        assertTrue(readBack / p99 > 1 / 1.19 && readBack / p99 < 1.19, "p99 " + p99 + " read back as " + readBack);
    }

    /** histogram_quantile's rule: linear interpolation inside the bucket holding the rank. */
    private static double quantile(final double[] cumulative, final long count, final double q) {
        final double rank = q * count;
        double lowerBound = 0;
        double lowerCount = 0;
        for (int b = 0; b < cumulative.length; b++) {
            if (cumulative[b] >= rank) {
                return lowerBound + (B[b] - lowerBound) * (rank - lowerCount) / (cumulative[b] - lowerCount);
            }
            lowerBound = B[b];
            lowerCount = cumulative[b];
        }
        return B[B.length - 1];
    }
}
