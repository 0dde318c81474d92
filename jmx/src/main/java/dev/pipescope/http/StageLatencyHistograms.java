package dev.pipescope.http;

import dev.pipescope.health.HealthListener;
import dev.pipescope.health.HealthReport;
import dev.pipescope.metrics.LatencySummary;
import dev.pipescope.metrics.StageMetricsSnapshot;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/**
 * Classic Prometheus histograms of every stage's batch latency, built from the health reports' latency
 * summaries: the HdrHistogram a stage records into is the sampler's (the dashboard's), so a scrape cannot
 * read its buckets, and sampling again would steal the dashboard's intervals.
 *
 * <p><b>How the buckets are estimated.</b> Each report's {@link StageMetricsSnapshot#batchLatency()} gives,
 * for its interval, the count, p50, p90, p99, p99.9, max and mean. Through the points {@code (0, 0)},
 * {@code (p50, 0.5)}, {@code (p90, 0.9)}, {@code (p99, 0.99)}, {@code (p99.9, 0.999)}, {@code (max, 1)} the
 * interval's cumulative distribution is taken as linear up to the median and linear in the logarithm of the
 * latency above it (a tail spreads over orders of magnitude; a straight line from a 100 µs p90 to a 2 ms p99
 * would put most of those batches near 1 ms, where few are), and each bucket bound {@code le} receives
 * {@code count × F(le)}; the sum receives {@code count × mean}. The first report this listener sees
 * contributes its since-start summary instead ({@link StageMetricsSnapshot#batchLatencyTotal()}), so a
 * listener added late still counts what came before. Every report adds non-negative amounts to every
 * bucket, so the buckets only grow, as a Prometheus histogram's must, and {@code _count} is exact.
 *
 * <p>Precision: a bucket holding one of those quantile points holds its count exactly (the estimate is exact
 * at the points); inside a bucket {@code histogram_quantile} interpolates linearly, as it always does. The
 * bounds grow by 2<sup>1/4</sup> (19 %) from 1 µs to 16.8 s, so a quantile read back lies within about one
 * bucket or two of the stage's own when an interval's batches are alike; when a few are much slower than the
 * rest (calibrate refetching expired cache entries: in a 50-batch interval its p99 is its one slowest batch),
 * the estimate spreads the batches between p90 and p99 over a range where few of them are, and a quantile read
 * back is higher (PrometheusIT measured 0.65 to 1.40 times the stages' own p99, calibrate at the top). What would make the buckets exact is a core accessor giving the cumulative
 * counts at fixed bounds from the sampler's cumulative HdrHistogram (see the package documentation).
 *
 * <p>Threading: {@link #onReport(HealthReport)} runs on the reporter thread (one at a time), which owns
 * the running sums; it publishes an immutable copy through a volatile field that scrapes read.
 */
final class StageLatencyHistograms implements HealthListener {
    /** Bucket bounds in seconds: 1 µs × 2^(k/4), k = 0..96 (1 µs to 16.8 s), to 4 significant digits. */
    static final double[] UPPER_BOUNDS_SECONDS = bounds();

    private static final double NANOS_PER_SECOND = 1e9;
    private static final double[] FRACTIONS = {0, 0.5, 0.9, 0.99, 0.999, 1.0};

    private final int stages;
    private final double[][] cumulative; // [stage][bound]: estimated values <= bound, owned by the reporter
    private final long[] counts;
    private final double[] sumsSeconds;
    private boolean seeded;
    private volatile Published published;

    /**
     * The histograms as of one report. Immutable once published.
     *
     * @param cumulative  per stage, the estimated number of batches at or below each bound.
     * @param counts      per stage, batches counted.
     * @param sumsSeconds per stage, the sum of their latencies.
     */
    record Published(double[][] cumulative, long[] counts, double[] sumsSeconds) {
    }

    /** @param stages the pipeline's number of stages, in the order of a report's stage metrics. */
    StageLatencyHistograms(final int stages) {
        this.stages = stages;
        cumulative = new double[stages][UPPER_BOUNDS_SECONDS.length];
        counts = new long[stages];
        sumsSeconds = new double[stages];
        published = copy();
    }

    private static double[] bounds() {
        final double[] b = new double[97];
        for (int k = 0; k < b.length; k++) {
            // 4 significant digits: readable le labels, and still strictly increasing
            b[k] = new BigDecimal(1e-6 * Math.pow(2, k / 4.0)).round(new MathContext(4)).doubleValue();
        }
        return b;
    }

    @Override
    public void onReport(final HealthReport report) {
        final List<StageMetricsSnapshot> snapshots = report.stageMetrics();
        final boolean first = !seeded;
        seeded = true;
        for (int i = 0; i < Math.min(stages, snapshots.size()); i++) {
            final StageMetricsSnapshot s = snapshots.get(i);
            add(i, first ? s.batchLatencyTotal() : s.batchLatency());
        }
        published = copy();
    }

    private void add(final int stage, final LatencySummary l) {
        if (l.count() <= 0) {
            return;
        }
        final double[] x = {0, l.p50Nanos(), l.p90Nanos(), l.p99Nanos(), l.p999Nanos(), l.maxNanos()};
        for (int j = 1; j < x.length; j++) {
            x[j] = Math.max(x[j - 1], x[j]); // quantiles are monotonic; guard anyway
        }
        final double[] c = cumulative[stage];
        for (int b = 0; b < c.length; b++) {
            c[b] += l.count() * fraction(x, UPPER_BOUNDS_SECONDS[b] * NANOS_PER_SECOND);
        }
        counts[stage] += l.count();
        if (Double.isFinite(l.meanNanos())) {
            sumsSeconds[stage] += l.count() * l.meanNanos() / NANOS_PER_SECOND;
        }
    }

    /** The cumulative fraction through the summary's points at {@code value} (linear, then log-linear). */
    static double fraction(final double[] x, final double value) {
        if (value >= x[x.length - 1]) {
            return 1.0;
        }
        int k = 0;
        while (k + 1 < x.length && x[k + 1] <= value) {
            k++;
        }
        // x[k] <= value < x[k + 1]: linear from 0 to the median, log-linear above it (a latency tail spreads over
        // orders of magnitude, and most of a segment's batches sit near its lower end)
        final double position = k == 0 || x[k] <= 0
            ? (value - x[k]) / (x[k + 1] - x[k])
            : Math.log(value / x[k]) / Math.log(x[k + 1] / x[k]);
        return FRACTIONS[k] + (FRACTIONS[k + 1] - FRACTIONS[k]) * position;
    }

    private Published copy() {
        final double[][] c = new double[stages][];
        for (int i = 0; i < stages; i++) {
            c[i] = cumulative[i].clone();
        }
        return new Published(c, counts.clone(), sumsSeconds.clone());
    }

    /** @return the histograms as of the last report (all empty before the first). Any thread. */
    Published published() {
        return published;
    }

    /**
     * Bucket counts as the client's model wants them: not cumulative, one per bound and a last one for
     * {@code +Inf}, rounded so that the cumulative counts never decrease and end at {@code count}.
     *
     * @param cumulative estimated values at or below each bound.
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
