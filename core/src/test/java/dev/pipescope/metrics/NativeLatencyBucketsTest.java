package dev.pipescope.metrics;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Native buckets: exact bounds in nanoseconds, every batch counted once, quantiles read back within a bucket. */
class NativeLatencyBucketsTest {
    private static final MathContext EXACT = new MathContext(60);
    /** 2^(1/256) to 60 digits: eight square roots of 2. */
    private static final BigDecimal STEP = step();
    private static final double BUCKET_FACTOR = Math.pow(2, 1.0 / 256);

    private static BigDecimal step() {
        BigDecimal r = BigDecimal.valueOf(2);
        for (int i = 0; i < 8; i++) {
            r = r.sqrt(EXACT);
        }
        return r;
    }

    /** floor(1e9 * 2^(index/256)) in exact (60-digit) arithmetic. */
    private static long exactMaxNanos(final int index) {
        final int octave = Math.floorDiv(index, 256);
        final int step = Math.floorMod(index, 256);
        BigDecimal v = BigDecimal.valueOf(1_000_000_000L).multiply(STEP.pow(step, EXACT), EXACT);
        v = octave >= 0 ? v.multiply(BigDecimal.valueOf(2).pow(octave), EXACT)
            : v.divide(BigDecimal.valueOf(2).pow(-octave), EXACT);
        return v.setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    @Test
    void boundsInWholeNanosecondsAgreeWithExactArithmeticFromOneNanosecondToAnHour() {
        // bucket -7653 holds 1 ns (its bound is 2^(-7653/256) s = 1.002 ns); 256 * 12 is 4096 s
        for (int i = -7660; i <= 256 * 12; i++) {
            assertEquals(exactMaxNanos(i), NativeLatencyBuckets.maxNanosOf(i), "bucket " + i);
        }
    }

    @Test
    void aLatencyOnABoundIsInTheBucketBelowItAndOneNanosecondMoreIsInTheNext() {
        for (int i = -7600; i <= 256 * 12; i++) {
            final long max = NativeLatencyBuckets.maxNanosOf(i);
            if (max == NativeLatencyBuckets.maxNanosOf(i - 1)) {
                continue; // below ~370 ns some buckets are narrower than a nanosecond and hold no whole value
            }
            assertEquals(i, NativeLatencyBuckets.indexOfNanos(max), max + " ns");
            final int next = NativeLatencyBuckets.indexOfNanos(max + 1);
            assertTrue(next > i && NativeLatencyBuckets.maxNanosOf(next - 1) < max + 1, (max + 1) + " ns: " + next);
        }
    }

    @Test
    void knownIndices() {
        // 1 s = 2^0 is the upper bound of bucket 0; 2 s of 256; 0.5 s of -256; 1 ns = 2^-29.897 s
        assertEquals(0, NativeLatencyBuckets.indexOfNanos(1_000_000_000L));
        assertEquals(1, NativeLatencyBuckets.indexOfNanos(1_000_000_001L));
        assertEquals(256, NativeLatencyBuckets.indexOfNanos(2_000_000_000L));
        assertEquals(257, NativeLatencyBuckets.indexOfNanos(2_000_000_001L));
        assertEquals(-256, NativeLatencyBuckets.indexOfNanos(500_000_000L));
        assertEquals(-255, NativeLatencyBuckets.indexOfNanos(500_000_001L));
        assertEquals(-7653, NativeLatencyBuckets.indexOfNanos(1));
        assertEquals(1.0, NativeLatencyBuckets.upperBoundSeconds(0));
        assertEquals(0.5, NativeLatencyBuckets.upperBoundSeconds(-256));
        assertEquals(BUCKET_FACTOR, NativeLatencyBuckets.upperBoundSeconds(1), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> NativeLatencyBuckets.indexOfNanos(0));
    }

    @Test
    void exactValuesBelow2048NanosecondsLandInTheirOwnBucketsAndZeroInTheZeroBucket() {
        final Histogram h = new Histogram(1, 10_000_000_000L, 3);
        final long[] recorded = {0, 0, 1, 2, 3, 500, 999, 1000, 1001, 2047};
        for (final long v : recorded) {
            h.recordValue(v);
        }
        final NativeLatencyBuckets b = NativeLatencyBuckets.of(h);
        assertEquals(2, b.zeroCount());
        assertEquals(recorded.length, b.totalCount());
        final int[] expected = Arrays.stream(recorded).filter(v -> v > 0).mapToInt(NativeLatencyBuckets::indexOfNanos)
            .distinct().toArray();
        assertArrayEquals(expected, b.indices());
        assertEquals(recorded.length - 2, Arrays.stream(b.counts()).sum());
    }

    @Test
    void countsSumToTheHistogramsCountInIncreasingIndexOrderAndQuantilesReadBackWithinABucket() {
        final Histogram h = new Histogram(1, 10_000_000_000L, 3);
        final Random random = new Random(11);
        final long[] recorded = new long[100_000];
        for (int i = 0; i < recorded.length; i++) {
            // a body around 50 us, a tail to a few ms, and now and then a slow batch of up to 2 s
            final int kind = random.nextInt(1000);
            recorded[i] = kind == 0 ? 100_000_000 + random.nextInt(1_900_000_000)
                : kind < 50 ? 1_000_000 + random.nextInt(3_000_000) : 40_000 + random.nextInt(20_000);
            h.recordValue(recorded[i]);
        }
        final NativeLatencyBuckets b = NativeLatencyBuckets.of(h);
        assertEquals(h.getTotalCount(), b.totalCount());
        assertEquals(h.getTotalCount(), Arrays.stream(b.counts()).sum() + b.zeroCount());
        for (int k = 1; k < b.size(); k++) {
            assertTrue(b.index(k) > b.index(k - 1), "increasing at " + k);
            assertTrue(b.count(k) > 0, "only populated buckets");
        }
        Arrays.sort(recorded);
        for (final double q : new double[] {0.5, 0.9, 0.99, 0.999}) { // q * count is whole: no rank rounding
            final double hdr = h.getValueAtPercentile(q * 100) / 1e9;
            final double nativeQuantile = quantile(b, q);
            // histogram_quantile lands in the native bucket that holds HdrHistogram's own percentile: within a bucket
            final int bucket = NativeLatencyBuckets.indexOfNanos(h.getValueAtPercentile(q * 100));
            assertTrue(nativeQuantile > NativeLatencyBuckets.upperBoundSeconds(bucket - 1)
                    && nativeQuantile <= NativeLatencyBuckets.upperBoundSeconds(bucket),
                "q" + q + ": " + nativeQuantile + " s outside bucket " + bucket + " holding " + hdr + " s");
            final double ratio = nativeQuantile / hdr;
            assertTrue(ratio > 1 / BUCKET_FACTOR && ratio < BUCKET_FACTOR, "q" + q + ": ratio " + ratio);
            // and against the value actually recorded at that rank: HdrHistogram's 0.1 % plus one native bucket
            final double exact = recorded[(int) Math.round(q * recorded.length) - 1] / 1e9;
            final double tolerance = 1.001 * BUCKET_FACTOR;
            assertTrue(nativeQuantile / exact > 1 / tolerance && nativeQuantile / exact < tolerance,
                "q" + q + ": " + nativeQuantile + " s against the recorded " + exact + " s");
        }
    }

    @Test
    void theSnapshotCarriesNativeBucketsOfTheSinceStartHistogram() {
        final CachedNanoClock clock = new CachedNanoClock();
        final StageMetrics metrics = new StageMetrics("s", clock);
        final StageMetrics.Sampler sampler = metrics.claimSampler();
        assertSame(NativeLatencyBuckets.EMPTY, sampler.sample(1).batchLatencyNativeBuckets());
        metrics.recordBatch(1, 1, 0, 1_000);
        metrics.recordBatch(1, 1, 0, 1_000_000);
        final StageMetricsSnapshot first = sampler.sample(2);
        metrics.recordBatch(1, 1, 0, 1_000_000);
        final StageMetricsSnapshot second = sampler.sample(3);
        assertArrayEquals(new int[] {NativeLatencyBuckets.indexOfNanos(1_000), NativeLatencyBuckets.indexOfNanos(1_000_000)},
            second.batchLatencyNativeBuckets().indices());
        assertArrayEquals(new long[] {1, 1}, first.batchLatencyNativeBuckets().counts());
        assertArrayEquals(new long[] {1, 2}, second.batchLatencyNativeBuckets().counts(), "since start");
        assertEquals(second.batchLatencyTotal().count(), second.batchLatencyNativeBuckets().totalCount());
        metrics.reset();
        assertSame(NativeLatencyBuckets.EMPTY, sampler.sample(4).batchLatencyNativeBuckets(), "a reset restarts them");
    }

    /**
     * Prometheus 2.42's histogram_quantile of a native histogram: the bucket where the cumulative count reaches
     * q * count, linear interpolation inside it.
     */
    private static double quantile(final NativeLatencyBuckets b, final double q) {
        final double rank = q * b.totalCount();
        double below = b.zeroCount();
        if (below >= rank) {
            return 0;
        }
        for (int k = 0; k < b.size(); k++) {
            if (below + b.count(k) >= rank) {
                final double lower = NativeLatencyBuckets.upperBoundSeconds(b.index(k) - 1);
                final double upper = NativeLatencyBuckets.upperBoundSeconds(b.index(k));
                return lower + (upper - lower) * (rank - below) / b.count(k);
            }
            below += b.count(k);
        }
        return NativeLatencyBuckets.upperBoundSeconds(b.index(b.size() - 1));
    }
}
