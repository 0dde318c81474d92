package dev.pipescope.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.util.Arrays;

/**
 * A stage's batch latencies since start as the populated buckets of a Prometheus native (sparse,
 * exponential) histogram of seconds, read from the sampler's since-start HdrHistogram, so an exporter can
 * publish a native histogram next to the classic {@link LatencyBuckets}. Immutable.
 *
 * <h2>Buckets</h2>
 * Schema {@value #SCHEMA}, the finest Prometheus allows: bucket {@code i} holds the latencies {@code x} (in
 * seconds) with 2<sup>(i-1)/256</sup> &lt; x &le; 2<sup>i/256</sup>, so each bucket is 2<sup>1/256</sup>
 * (0.27 %) wide. The stage's HdrHistogram is finer (3 significant digits by default: sub-buckets at most
 * 2<sup>-10</sup>, 0.1 %, wide), so no coarser schema would keep more of what was measured, and no finer
 * one exists.
 *
 * <h2>Mapping</h2>
 * The HdrHistogram keeps whole nanoseconds in sub-buckets of equivalent values; every value of a
 * sub-bucket goes to the native bucket that holds the sub-bucket's highest equivalent value, the value
 * HdrHistogram reports for a percentile ({@code getValueAtPercentile}) — so the native bucket in which
 * {@code histogram_quantile} finds a quantile is the one holding the stage's own percentile. Below 2048 ns
 * the sub-buckets are single nanoseconds and the mapping is exact; above, a sub-bucket that straddles a
 * native bound puts its values on the upper side (HdrHistogram's precision: a value within 0.1 % of a bound
 * may count on either side). Bounds are compared in whole nanoseconds ({@link #indexOfNanos(long)}: a
 * latency of {@code n} ns is in bucket {@code i} exactly when
 * {@code floor(1e9·2^((i-1)/256)) < n <= floor(1e9·2^(i/256))}), never by converting a latency to seconds
 * and taking a floating-point logarithm, which can land on the wrong side of a bound.
 *
 * <h2>Zero bucket</h2>
 * Latencies are never negative, and positive ones are at least 1 ns. The zero bucket's threshold is
 * {@value #ZERO_THRESHOLD_SECONDS} s (2<sup>-128</sup>, the Prometheus clients' default, so histograms
 * from other programs aggregate without widening it), far below 1 ns: it only counts batches timed at 0 ns
 * (the clock did not advance). Being positive, it also tells Prometheus that a histogram without
 * observations yet is a native one.
 */
public final class NativeLatencyBuckets {
    /** The native histogram schema: bucket bounds grow by 2<sup>2<sup>-8</sup></sup> = 2<sup>1/256</sup>. */
    public static final int SCHEMA = 8;
    /** The zero bucket's threshold in seconds, 2<sup>-128</sup>: only 0 ns latencies fall in it. */
    public static final double ZERO_THRESHOLD_SECONDS = 0x1p-128;
    /** No latency recorded. */
    public static final NativeLatencyBuckets EMPTY = new NativeLatencyBuckets(0, new int[0], new long[0], 0);

    private static final int BUCKETS_PER_OCTAVE = 1 << SCHEMA;
    private static final double NANOS_PER_SECOND = 1e9;

    private final long zeroCount;
    private final int[] indices;
    private final long[] counts;
    private final long totalCount;

    private NativeLatencyBuckets(final long zeroCount, final int[] indices, final long[] counts, final long totalCount) {
        this.zeroCount = zeroCount;
        this.indices = indices;
        this.counts = counts;
        this.totalCount = totalCount;
    }

    /**
     * Counts a histogram's values into native buckets; allocates, so it runs on the sampler thread only.
     *
     * @param histogram latencies in nanoseconds; not modified.
     * @return the populated buckets, in increasing index order.
     */
    static NativeLatencyBuckets of(final Histogram histogram) {
        if (histogram.getTotalCount() == 0) {
            return EMPTY;
        }
        int[] indices = new int[64];
        long[] counts = new long[64];
        int size = 0;
        long zero = 0;
        long total = 0;
        int lastIndex = 0;
        for (final HistogramIterationValue v : histogram.recordedValues()) {
            final long nanos = v.getValueIteratedTo();
            final long count = v.getCountAtValueIteratedTo();
            total += count;
            if (nanos <= 0) {
                zero += count;
                continue;
            }
            // values come in increasing order: start from the previous bucket, move up only when the value is past it
            final int index = size > 0 && nanos <= maxNanosOf(lastIndex) ? lastIndex : indexOfNanos(nanos);
            if (size > 0 && index == lastIndex) {
                counts[size - 1] += count;
                continue;
            }
            if (size == indices.length) {
                indices = Arrays.copyOf(indices, size * 2);
                counts = Arrays.copyOf(counts, size * 2);
            }
            indices[size] = index;
            counts[size] = count;
            size++;
            lastIndex = index;
        }
        return new NativeLatencyBuckets(zero, Arrays.copyOf(indices, size), Arrays.copyOf(counts, size), total);
    }

    /**
     * @param nanos a latency in nanoseconds, at least 1.
     * @return the index of the schema-{@value #SCHEMA} bucket of seconds that holds it.
     */
    public static int indexOfNanos(final long nanos) {
        if (nanos <= 0) {
            throw new IllegalArgumentException("a native bucket holds positive latencies, not " + nanos + " ns");
        }
        // a first guess from the logarithm, then exact: n is in bucket i iff maxNanosOf(i - 1) < n <= maxNanosOf(i)
        int i = (int) Math.ceil(BUCKETS_PER_OCTAVE * (Math.log(nanos / NANOS_PER_SECOND) / Math.log(2)));
        while (nanos > maxNanosOf(i)) {
            i++;
        }
        while (nanos <= maxNanosOf(i - 1)) {
            i--;
        }
        return i;
    }

    /**
     * @param index a bucket index.
     * @return the largest whole number of nanoseconds in the bucket, {@code floor(1e9 · 2^(index/256))}
     *         (computed with {@link StrictMath}, so the same on every JVM; a unit test checks it against
     *         exact arithmetic over the whole range a latency can take).
     */
    static long maxNanosOf(final int index) {
        return (long) Math.floor(NANOS_PER_SECOND * StrictMath.pow(2, (double) index / BUCKETS_PER_OCTAVE));
    }

    /**
     * @param index a bucket index.
     * @return the bucket's upper bound (inclusive) in seconds, 2<sup>index/256</sup>.
     */
    public static double upperBoundSeconds(final int index) {
        return StrictMath.pow(2, (double) index / BUCKETS_PER_OCTAVE);
    }

    /** @return how many buckets are populated (the zero bucket aside). */
    public int size() {
        return indices.length;
    }

    /**
     * @param k 0 .. {@link #size()}-1; buckets come in increasing index order.
     * @return the k-th populated bucket's index.
     */
    public int index(final int k) {
        return indices[k];
    }

    /**
     * @param k 0 .. {@link #size()}-1.
     * @return the k-th populated bucket's count (positive).
     */
    public long count(final int k) {
        return counts[k];
    }

    /** @return the batches in the zero bucket (timed at 0 ns). */
    public long zeroCount() {
        return zeroCount;
    }

    /** @return all batches counted: the zero bucket's and every bucket's, the histogram's total count. */
    public long totalCount() {
        return totalCount;
    }

    /** @return the populated buckets' indices, in increasing order (a copy). */
    public int[] indices() {
        return indices.clone();
    }

    /** @return the populated buckets' counts, in the order of {@link #indices()} (a copy). */
    public long[] counts() {
        return counts.clone();
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof NativeLatencyBuckets b && zeroCount == b.zeroCount && totalCount == b.totalCount
            && Arrays.equals(indices, b.indices) && Arrays.equals(counts, b.counts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(indices) + Arrays.hashCode(counts)) + Long.hashCode(zeroCount);
    }

    @Override
    public String toString() {
        final StringBuilder s = new StringBuilder("NativeLatencyBuckets[schema=").append(SCHEMA)
            .append(", zero=").append(zeroCount);
        for (int k = 0; k < indices.length; k++) {
            s.append(", ").append(indices[k]).append(':').append(counts[k]);
        }
        return s.append(']').toString();
    }
}
