package dev.pipescope.http;

import dev.pipescope.health.HealthListener;
import dev.pipescope.health.HealthReport;
import dev.pipescope.metrics.LatencyBuckets;
import dev.pipescope.metrics.NativeLatencyBuckets;
import dev.pipescope.metrics.StageMetricsSnapshot;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;

import java.util.Arrays;
import java.util.List;

/**
 * Prometheus histograms of every stage's batch latency, with classic and native buckets, both exact: each report's
 * {@link StageMetricsSnapshot#batchLatencyCumulativeCounts()} holds, since start, the batches at or below
 * each of {@link LatencyBuckets}' bounds, read by the dashboard's sampler from the stage's cumulative
 * HdrHistogram (a scrape cannot read that histogram itself: sampling twice would steal the dashboard's
 * intervals). {@code _count} is the histogram's count and {@code _sum} the stage's busy time. The bounds
 * grow by 2<sup>1/4</sup> (19 %), so {@code histogram_quantile} reads a quantile back within one bucket of
 * the recorded one (it interpolates linearly inside the bucket). A metrics reset restarts the counts, which
 * Prometheus treats as a counter reset.
 *
 * <p>The same histogram also carries native buckets, {@link StageMetricsSnapshot#batchLatencyNativeBuckets()}:
 * schema {@value NativeLatencyBuckets#SCHEMA} (bounds 2<sup>i/256</sup> s, 0.27 % apart), counted by the same
 * sampler from the same HdrHistogram, so both count the same batches; {@code histogram_quantile} of the native
 * histogram lands in the native bucket that holds the stage's own quantile. Only the protobuf exposition
 * carries native buckets; the text formats have the classic ones.
 *
 * <p>Threading: {@link #onReport(HealthReport)} runs on the reporter thread; it publishes an immutable copy
 * through a volatile field that scrapes read.
 */
final class StageLatencyHistograms implements HealthListener {
    /** Bucket bounds in seconds: core's {@link LatencyBuckets}, 1 µs × 2^(k/4), k = 0..96. */
    static final double[] UPPER_BOUNDS_SECONDS = bounds();

    private final int stages;
    private volatile Published published;

    /**
     * The histograms as of one report. Immutable once published.
     *
     * @param cumulative  per stage, the batches at or below each bound (exact, from the HdrHistogram).
     * @param counts      per stage, batches counted.
     * @param sumsSeconds per stage, the sum of their latencies (the stage's busy time).
     * @param natives     per stage, the populated native buckets (built once per report, shared by scrapes), or
     *                    null when they do not count the same batches as the classic ones (never expected).
     * @param zeroCounts  per stage, the batches in the native zero bucket (timed at 0 ns).
     */
    record Published(double[][] cumulative, long[] counts, double[] sumsSeconds, NativeHistogramBuckets[] natives,
                     long[] zeroCounts) {
    }

    /** @param stages the pipeline's number of stages, in the order of a report's stage metrics. */
    StageLatencyHistograms(final int stages) {
        this.stages = stages;
        final NativeHistogramBuckets[] natives = new NativeHistogramBuckets[stages];
        Arrays.fill(natives, NativeHistogramBuckets.EMPTY);
        published = new Published(new double[stages][UPPER_BOUNDS_SECONDS.length], new long[stages], new double[stages],
            natives, new long[stages]);
    }

    private static double[] bounds() {
        final double[] b = new double[LatencyBuckets.BOUNDS];
        for (int k = 0; k < b.length; k++) {
            b[k] = LatencyBuckets.upperBoundNanos(k) / 1e9;
        }
        return b;
    }

    @Override
    public void onReport(final HealthReport report) {
        final List<StageMetricsSnapshot> snapshots = report.stageMetrics();
        final double[][] cumulative = new double[stages][];
        final long[] counts = new long[stages];
        final double[] sums = new double[stages];
        final NativeHistogramBuckets[] natives = new NativeHistogramBuckets[stages];
        final long[] zeroCounts = new long[stages];
        for (int i = 0; i < stages; i++) {
            if (i >= snapshots.size()) {
                cumulative[i] = new double[UPPER_BOUNDS_SECONDS.length];
                natives[i] = NativeHistogramBuckets.EMPTY;
                continue;
            }
            final StageMetricsSnapshot s = snapshots.get(i);
            final long[] atOrBelow = s.batchLatencyCumulativeCounts();
            cumulative[i] = new double[UPPER_BOUNDS_SECONDS.length];
            for (int b = 0; b < atOrBelow.length && b < cumulative[i].length; b++) {
                cumulative[i][b] = atOrBelow[b];
            }
            counts[i] = s.batchLatencyTotal().count();
            sums[i] = s.total().busyNanos() / 1e9;
            final NativeLatencyBuckets n = s.batchLatencyNativeBuckets();
            if (n.totalCount() == counts[i]) { // always, both come from one histogram; the client rejects a mismatch
                natives[i] = n.size() == 0 ? NativeHistogramBuckets.EMPTY : NativeHistogramBuckets.of(n.indices(), n.counts());
                zeroCounts[i] = n.zeroCount();
            } // else null: the point goes out with its classic buckets only
        }
        published = new Published(cumulative, counts, sums, natives, zeroCounts);
    }

    /** @return the histograms as of the last report (all empty before the first). Any thread. */
    Published published() {
        return published;
    }

    /**
     * Bucket counts as the client's model wants them: not cumulative, one per bound and a last one for
     * {@code +Inf}, rounded so that the cumulative counts never decrease and end at {@code count}.
     *
     * @param cumulative values at or below each bound.
     * @param count      all values.
     * @return the counts per bucket, {@code UPPER_BOUNDS_SECONDS.length + 1} of them.
     */
    static long[] bucketCounts(final double[] cumulative, final long count) {
        final long[] perBucket = new long[cumulative.length + 1];
        long previous = 0;
        for (int b = 0; b < cumulative.length; b++) {
            final long atOrBelow = Math.min(count, Math.max(previous, Math.round(cumulative[b])));
            perBucket[b] = atOrBelow - previous;
            previous = atOrBelow;
        }
        perBucket[cumulative.length] = count - previous;
        return perBucket;
    }
}
