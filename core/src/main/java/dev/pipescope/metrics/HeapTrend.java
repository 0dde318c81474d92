package dev.pipescope.metrics;

/**
 * Trend of a memory series (normally the heap left after garbage collection) over its last N samples: a
 * least-squares slope in bytes per second and a verdict, {@link #isGrowing()}, for "this looks like a
 * leak". Pure arithmetic over a fixed ring, so it can be fed synthetic series in tests; not thread-safe
 * (owned by one sampler thread).
 *
 * <p>{@link MemoryGcSampler} no longer feeds this class: its leak signal is {@link LiveSetTrend}, which
 * works on the floors of the heap after every collection and their lower envelope, and so is neither
 * fooled by young-collection saw-tooth nor blind until a full collection. This remains a plain trend of
 * any series whose every point is meaningful.
 *
 * <p>Growth is reported only when all of these hold, so that neither noise nor a single step (a cache
 * filling once) raises it:
 * <ul>
 *   <li>at least {@code minSamples} samples are in the window;</li>
 *   <li>the slope exceeds {@code thresholdBytesPerMinute};</li>
 *   <li>at least {@code minRisingFraction} of the steps between consecutive samples go up (steps that stay
 *   level count as not rising), i.e. the series is "monotone enough".</li>
 * </ul>
 */
public final class HeapTrend {
    private static final double NANOS_PER_SECOND = 1e9;

    private final long[] times;
    private final long[] values;
    private final int minSamples;
    private final double thresholdBytesPerMinute;
    private final double minRisingFraction;
    private int head; // index of the next write
    private int size;
    private double fitStt;
    private double fitSty;
    private double fitSyy;

    /**
     * @param capacity                samples kept (the window), at least 2.
     * @param minSamples              samples needed before growth can be reported, 2..capacity.
     * @param thresholdBytesPerMinute slope above which growth is significant.
     * @param minRisingFraction       share of rising steps needed, in [0, 1].
     */
    public HeapTrend(
        final int capacity, final int minSamples, final double thresholdBytesPerMinute, final double minRisingFraction) {
        if (capacity < 2 || minSamples < 2 || minSamples > capacity) {
            throw new IllegalArgumentException(
                "need 2 <= minSamples <= capacity, got minSamples=" + minSamples + ", capacity=" + capacity);
        }
        if (!(minRisingFraction >= 0 && minRisingFraction <= 1) || !(thresholdBytesPerMinute >= 0)) {
            throw new IllegalArgumentException("threshold must be >= 0 and rising fraction within [0, 1]");
        }
        times = new long[capacity];
        values = new long[capacity];
        this.minSamples = minSamples;
        this.thresholdBytesPerMinute = thresholdBytesPerMinute;
        this.minRisingFraction = minRisingFraction;
    }

    /**
     * Adds a sample, evicting the oldest when the window is full.
     *
     * @param timeNanos time of the sample (non-decreasing across calls).
     * @param bytes     the measured value.
     */
    public void add(final long timeNanos, final long bytes) {
        times[head] = timeNanos;
        values[head] = bytes;
        head = head + 1 == times.length ? 0 : head + 1;
        if (size < times.length) {
            size++;
        }
    }

    /** Forgets every sample. */
    public void clear() {
        head = 0;
        size = 0;
    }

    /** @return samples currently in the window. */
    public int size() {
        return size;
    }

    /** @return the window's capacity. */
    public int capacity() {
        return times.length;
    }

    private int index(final int i) { // i-th oldest sample
        final int start = head - size;
        final int idx = start + i;
        return idx < 0 ? idx + times.length : idx;
    }

    /**
     * @return the least-squares slope in bytes per second, or NaN with fewer than 2 samples or no spread in
     *         time.
     */
    public double slopeBytesPerSecond() {
        if (size < 2) {
            return Double.NaN;
        }
        fit();
        return fitStt == 0 ? Double.NaN : fitSty / fitStt;
    }

    /**
     * @return the coefficient of determination of the linear fit (1 = a perfect line), or NaN when the fit
     *         is undefined (fewer than 2 samples, or no spread in time or in value).
     */
    public double rSquared() {
        if (size < 2) {
            return Double.NaN;
        }
        fit();
        return fitStt == 0 || fitSyy == 0 ? Double.NaN : fitSty * fitSty / (fitStt * fitSyy);
    }

    /** Least-squares sums over the window, into fields so that neither caller allocates. */
    private void fit() {
        final long t0 = times[index(0)]; // relative times keep the doubles small and exact
        double meanT = 0;
        double meanY = 0;
        for (int i = 0; i < size; i++) {
            final int k = index(i);
            meanT += (times[k] - t0) / NANOS_PER_SECOND;
            meanY += values[k];
        }
        meanT /= size;
        meanY /= size;
        double stt = 0;
        double sty = 0;
        double syy = 0;
        for (int i = 0; i < size; i++) {
            final int k = index(i);
            final double dt = (times[k] - t0) / NANOS_PER_SECOND - meanT;
            final double dy = values[k] - meanY;
            stt += dt * dt;
            sty += dt * dy;
            syy += dy * dy;
        }
        fitStt = stt;
        fitSty = sty;
        fitSyy = syy;
    }

    /** @return the share of consecutive steps that rise, or NaN with fewer than 2 samples. */
    public double risingFraction() {
        if (size < 2) {
            return Double.NaN;
        }
        int rising = 0;
        long prev = values[index(0)];
        for (int i = 1; i < size; i++) {
            final long v = values[index(i)];
            if (v > prev) {
                rising++;
            }
            prev = v;
        }
        return (double)rising / (size - 1);
    }

    /** @return true when the window shows significant, steady growth (see the class comment). */
    public boolean isGrowing() {
        if (size < minSamples) {
            return false;
        }
        final double slope = slopeBytesPerSecond();
        return slope * 60.0 > thresholdBytesPerMinute && risingFraction() >= minRisingFraction;
    }
}
