package dev.pipescope.metrics;

/**
 * Growth detection of the live set from the heap left after each garbage collection. Pure arithmetic over
 * fixed arrays, fed one collection at a time, so it can be driven by synthetic series in tests; not
 * thread-safe (owned by one sampler thread).
 *
 * <p><b>Why not the raw after-GC values:</b> after a young collection the heap still holds old-generation
 * garbage that only an old/mixed/full collection reclaims, so on generational collectors (G1, Parallel,
 * Serial) the after-GC series saw-tooths upwards between reclaiming collections, and on concurrent
 * collectors (ZGC) it includes what was allocated while the cycle ran. Every after-GC value is an upper
 * bound of the live set at that moment; the lowest ones are the closest. Three steps turn them into a
 * leak verdict:
 * <ol>
 *   <li><b>Floor.</b> Collections are grouped into buckets: a bucket starts with a collection and takes
 *   every collection of the next {@link Settings#bucketNanos}, and more until it holds
 *   {@link Settings#minCollectionsPerBucket}; the first collection after that closes it. A bucket's floor is
 *   its lowest after-GC value, taken at the time of that collection. With frequent collections this removes
 *   the within-bucket saw-tooth and keeps bursts from crowding the window; with collections rarer than the
 *   bucket, every collection is a floor.</li>
 *   <li><b>Envelope.</b> Each floor is lowered to the lowest floor that follows it (a suffix minimum). A leak
 *   is growth that never comes back down; anything a later collection reclaimed was garbage (or a
 *   legitimate shrink), and either way it must not count as growth. So a ramp of floating garbage that a
 *   reclaiming collection later removes flattens out as soon as that collection is seen, a one-off step
 *   stays a single step, and noise leaves only a short staircase at the newest end.</li>
 *   <li><b>Verdict.</b> Growth is reported when some run of {@code L >= minSamples} consecutive envelope
 *   points ending at the second newest (see below why not the newest) has all of the following; runs are
 *   tried longest first, so a leak that starts after a long quiet period is found as soon as it spans
 *   {@code minSamples} buckets, not once it dominates the window:
 *   <ul>
 *     <li>a least-squares slope above {@link Settings#minSlopeBytesPerMinute};</li>
 *     <li>a total rise of at least the larger of {@link Settings#minRiseBytes},
 *     {@link Settings#minRiseShareOfLimit} of the limit, and {@link Settings#noiseFactor} times the
 *     <em>undercut</em> (below), so that noise of any size cannot pass as a rise;</li>
 *     <li>steadiness: split into {@link Settings#segments} consecutive segments, each rises by at least half
 *     its fair share of the total, so a one-off step (a cache filling once, even over a few buckets) fails
 *     in the segments it did not touch.</li>
 *   </ul></li>
 * </ol>
 *
 * <p>The <b>undercut</b> measures the noise where it matters, from the floors themselves: a floor's excess
 * over its envelope value is how far a later collection went below it, i.e. growth that did not last, and
 * the undercut is the largest excess in the window, or, when larger, the largest one seen before, halved
 * every {@link Settings#undercutHalfLifeNanos}. Noise undercuts itself by about its whole range, while
 * a leak hardly undercuts at all, so a leak does not raise its own bar, and on a concurrent collector whose
 * after-GC figure includes tens of MB allocated during the cycle a rise must be larger than that. Floors are
 * minimums, so their noise is skewed upwards and lands on the newest floor first: the run therefore ends one
 * floor before the newest, at a point a later floor has confirmed.
 *
 * <p>The undercut's memory is for workloads whose objects live for seconds: on Serial and Parallel they are
 * promoted and pile up in the old generation until a full collection, a ramp of tens of seconds that
 * looks exactly like a leak. The first such ramp is reported (nothing tells it from a leak before the
 * full collection), but once a collection has shown that this workload reclaims, say, 200 MB, a later
 * rise must exceed twice that while the memory lasts, so the verdict does not flap with every ramp.
 *
 * <p>Counting strictly rising steps (as the earlier post-GC trend did) would not do here: the envelope of a noisy
 * flat series is a staircase of small strict rises, and a saw-tooth whose period is about two buckets rises
 * only every other floor.
 *
 * <p><b>Known limits:</b> old-generation garbage promoted faster than the required rise, for longer than
 * {@code minSamples} buckets, reads as growth until a reclaiming collection removes it (then the envelope
 * flattens and the verdict clears at the next bucket); telling the two apart earlier would mean waiting for
 * an old-generation collection, which on Parallel, Serial and often G1 only comes as the full collection
 * just before {@code OutOfMemoryError}. And after a large reclaim, a leak must rise by twice that reclaim
 * before it is reported, until the memory fades; the live set's share of the limit still shows it.
 */
public final class LiveSetTrend {
    private static final double NANOS_PER_SECOND = 1e9;
    /**
     * Newest floors left out of a growing run: the newest floor has had no chance yet to be undercut by a later
     * one, and upward noise lands there first. One is enough to stop noisy floors passing as growth (tried on
     * synthetic noise up to a quarter of the limit) and costs one bucket of detection time.
     */
    private static final int CONFIRMATIONS = 1;
    /** Long enough to span several full-collection cycles of a busy service, short enough to forget a warm-up. */
    private static final long UNDERCUT_HALF_LIFE = 5L * 60 * 1_000_000_000L;

    /**
     * Tuning of one time scale.
     *
     * @param bucketNanos             time a bucket takes collections for, from its first one.
     * @param minCollectionsPerBucket least collections in one bucket, at least 1; a bucket stays open until
     *                                it has them, so slow collection rates give longer buckets.
     * @param capacity                floors kept (the window), at least 2.
     * @param minSamples              confirmed floors a growing run must span, 2..capacity.
     * @param segments                segments of a growing run that must each rise, 1..minSamples - 1.
     * @param minSlopeBytesPerMinute  slope a growing run must exceed, at least 0.
     * @param minRiseBytes            least total rise of a growing run, at least 0.
     * @param minRiseShareOfLimit     least total rise as a share of the limit, in [0, 1]; ignored when the
     *                                limit is undefined.
     * @param noiseFactor             least total rise in multiples of the undercut, at least 0.
     * @param undercutHalfLifeNanos   how fast an undercut larger than the window's is forgotten (halved
     *                                per this time), at least 0; 0 keeps only the window's.
     */
    public record Settings(
        long bucketNanos,
        int minCollectionsPerBucket,
        int capacity,
        int minSamples,
        int segments,
        double minSlopeBytesPerMinute,
        long minRiseBytes,
        double minRiseShareOfLimit,
        double noiseFactor,
        long undercutHalfLifeNanos) {

        /** Validates the ranges given on the components. */
        public Settings {
            if (bucketNanos < 0 || minCollectionsPerBucket < 1) {
                throw new IllegalArgumentException("need bucketNanos >= 0 and minCollectionsPerBucket >= 1");
            }
            if (capacity < 2 || minSamples < 2 || minSamples > capacity) {
                throw new IllegalArgumentException(
                    "need 2 <= minSamples <= capacity, got minSamples=" + minSamples + ", capacity=" + capacity);
            }
            if (segments < 1 || segments > minSamples - 1 || !(minSlopeBytesPerMinute >= 0) || minRiseBytes < 0
                || !(minRiseShareOfLimit >= 0 && minRiseShareOfLimit <= 1) || !(noiseFactor >= 0)
                || undercutHalfLifeNanos < 0) {
                throw new IllegalArgumentException("need 1 <= segments < minSamples, rise share in [0, 1], "
                    + "slope, rise, noise factor and half-life >= 0");
            }
        }

        /**
         * The fast scale: 250 ms buckets (one collection is enough), 40 floors (10 s when collections are
         * frequent, 40 collections when not), growth over at least 8 confirmed floors (so a cache filling
         * within about a second stays a step), rising in each of 3 segments, by at least max(4 MiB, 5% of
         * the limit, twice the undercut remembered with a 5 min half-life). Built to catch a leak that would
         * exhaust a few hundred MB within seconds while it can still be acted on: with collections every
         * 100 ms it reports about 2.5 s after a 25 MB/s leak starts, and about 10 collections after it when
         * they are further apart than 250 ms.
         *
         * @return the settings.
         */
        public static Settings fast() {
            return new Settings(
                250_000_000L, 1, 40, 8, 3, 1024.0 * 1024.0, 4L << 20, 0.05, 2.0, UNDERCUT_HALF_LIFE);
        }

        /**
         * The slow scale: 10 s buckets of at least 3 collections, 60 floors (about 10 min), growth over at
         * least 12 confirmed floors (2 min), rising in each of 3 segments, by at least max(4 MiB, 1% of the
         * limit, twice the undercut remembered with a 5 min half-life), above 1 MiB/min. For leaks too slow
         * for the fast scale's window to show.
         *
         * @return the settings.
         */
        public static Settings slow() {
            return new Settings(
                10_000_000_000L, 3, 60, 12, 3, 1024.0 * 1024.0, 4L << 20, 0.01, 2.0, UNDERCUT_HALF_LIFE);
        }
    }

    private final Settings settings;
    private final long limitBytes;
    private final long minRise;

    // the floors, a ring in arrival order
    private final long[] floorTimes;
    private final long[] floorValues;
    private int head; // index of the next write
    private int size;

    // scratch, chronological, so that evaluation does not allocate
    private final long[] times;
    private final long[] floors;
    private final long[] envelope;

    // the open bucket
    private int bucketCount;
    private long bucketStart;
    private long bucketMin;
    private long bucketMinTime;
    private long lastTime = Long.MIN_VALUE;

    // the verdict as of the last closed bucket
    private boolean growing;
    private double slope = Double.NaN;
    private double rSquared = Double.NaN;
    private int runLength;
    private long undercut = -1;
    private double undercutMemory;
    private long undercutMemoryTime;
    private long requiredRise;

    /**
     * @param settings   the scale's tuning.
     * @param limitBytes the most the live set can reach (see {@link MemorySnapshot#liveSetLimitBytes()}),
     *                   or -1 when undefined.
     */
    public LiveSetTrend(final Settings settings, final long limitBytes) {
        this.settings = settings;
        this.limitBytes = limitBytes;
        this.minRise = Math.max(settings.minRiseBytes(),
            limitBytes > 0 ? (long) Math.ceil(settings.minRiseShareOfLimit() * limitBytes) : 0L);
        final int n = settings.capacity();
        floorTimes = new long[n];
        floorValues = new long[n];
        times = new long[n];
        floors = new long[n];
        envelope = new long[n];
        requiredRise = minRise;
    }

    /**
     * Adds one collection. May close a bucket and re-evaluate the verdict.
     *
     * @param timeNanos     when the collection ended; a time earlier than the previous one is taken as the
     *                      previous one (collectors may report out of order by a millisecond).
     * @param afterGcBytes  heap in use right after it (summed over heap pools); negative values are ignored.
     */
    public void onCollection(final long timeNanos, final long afterGcBytes) {
        if (afterGcBytes < 0) {
            return;
        }
        final long t = Math.max(timeNanos, lastTime);
        lastTime = t;
        // a bucket is [start, start + bucketNanos): only a collection beyond it shows that it is complete
        if (bucketCount >= settings.minCollectionsPerBucket() && t - bucketStart >= settings.bucketNanos()) {
            addFloor(bucketMinTime, bucketMin);
            bucketCount = 0;
        }
        if (bucketCount == 0) {
            bucketStart = t;
            bucketMin = afterGcBytes;
            bucketMinTime = t;
        } else if (afterGcBytes < bucketMin) {
            bucketMin = afterGcBytes;
            bucketMinTime = t;
        }
        bucketCount++;
    }

    /**
     * Adds a floor directly, bypassing the buckets (tests, or a caller that buckets itself), and re-evaluates.
     *
     * @param timeNanos time of the floor, non-decreasing across calls.
     * @param bytes     the floor.
     */
    public void addFloor(final long timeNanos, final long bytes) {
        floorTimes[head] = timeNanos;
        floorValues[head] = bytes;
        head = head + 1 == floorTimes.length ? 0 : head + 1;
        if (size < floorTimes.length) {
            size++;
        }
        evaluate();
    }

    private void evaluate() {
        final int n = size;
        final int start = head - n < 0 ? head - n + floorTimes.length : head - n;
        for (int i = 0; i < n; i++) {
            final int k = start + i < floorTimes.length ? start + i : start + i - floorTimes.length;
            times[i] = floorTimes[k];
            floors[i] = floorValues[k];
        }
        long min = Long.MAX_VALUE;
        for (int i = n - 1; i >= 0; i--) {
            min = Math.min(min, floors[i]);
            envelope[i] = min;
        }
        undercut = undercut(n, times[n - 1]);
        requiredRise = Math.max(minRise, (long) Math.ceil(settings.noiseFactor() * undercut));

        growing = false;
        final int end = n - CONFIRMATIONS;
        for (int length = end; length >= settings.minSamples(); length--) {
            final int from = end - length;
            fit(from, end);
            final long rise = envelope[end - 1] - envelope[from];
            if (slope * 60.0 > settings.minSlopeBytesPerMinute() && rise >= requiredRise && steady(from, end, rise)) {
                growing = true;
                runLength = length;
                return;
            }
        }
        runLength = n;
        if (n >= 2) {
            fit(0, n);
        } else {
            slope = Double.NaN;
            rSquared = Double.NaN;
        }
    }

    /** The largest excess of a floor over its envelope value, or the fading memory of a larger one. */
    private long undercut(final int n, final long now) {
        long largest = 0;
        for (int i = 0; i < n; i++) {
            largest = Math.max(largest, floors[i] - envelope[i]);
        }
        final long halfLife = settings.undercutHalfLifeNanos();
        if (halfLife > 0) {
            undercutMemory *= Math.pow(0.5, (double) (now - undercutMemoryTime) / halfLife);
            undercutMemoryTime = now;
            undercutMemory = Math.max(undercutMemory, largest);
            return (long) Math.ceil(undercutMemory);
        }
        return largest;
    }

    /** Least-squares fit of the envelope over [from, to) into {@link #slope} and {@link #rSquared}. */
    private void fit(final int from, final int to) {
        final int count = to - from;
        final long t0 = times[from]; // relative times keep the doubles small and exact
        double meanT = 0;
        double meanY = 0;
        for (int i = from; i < to; i++) {
            meanT += (times[i] - t0) / NANOS_PER_SECOND;
            meanY += envelope[i];
        }
        meanT /= count;
        meanY /= count;
        double stt = 0;
        double sty = 0;
        double syy = 0;
        for (int i = from; i < to; i++) {
            final double dt = (times[i] - t0) / NANOS_PER_SECOND - meanT;
            final double dy = envelope[i] - meanY;
            stt += dt * dt;
            sty += dt * dy;
            syy += dy * dy;
        }
        slope = stt == 0 ? Double.NaN : sty / stt;
        rSquared = stt == 0 || syy == 0 ? Double.NaN : sty * sty / (stt * syy);
    }

    /** Each of the run's segments rises by at least half its fair share of the run's total rise. */
    private boolean steady(final int from, final int to, final long rise) {
        final int segments = settings.segments();
        final int last = to - 1 - from;
        final double least = rise / (2.0 * segments);
        int begin = from;
        for (int k = 1; k <= segments; k++) {
            final int end = from + (int) Math.round((double) k * last / segments);
            if (envelope[end] - envelope[begin] < least) {
                return false;
            }
            begin = end;
        }
        return true;
    }

    /** @return true when the newest floors show significant, steady, sustained growth (see the class comment). */
    public boolean isGrowing() {
        return growing;
    }

    /**
     * @return the envelope's least-squares slope in bytes per second: over the growing run when
     *         {@link #isGrowing()}, otherwise over the whole window; NaN below 2 floors.
     */
    public double slopeBytesPerSecond() {
        return slope;
    }

    /** @return the coefficient of determination of that fit, NaN when undefined (no spread in time or value). */
    public double rSquared() {
        return rSquared;
    }

    /** @return floors the slope was fitted over: the growing run's length, or the window's size. */
    public int trendSamples() {
        return runLength;
    }

    /** @return floors in the window. */
    public int size() {
        return size;
    }

    /**
     * @return the undercut in bytes: how far later collections went below earlier floors, in the window or
     *         (fading) before it (see the class comment); -1 before any floor.
     */
    public long undercutBytes() {
        return undercut;
    }

    /** @return the total rise the last evaluation required of a growing run, in bytes. */
    public long requiredRiseBytes() {
        return requiredRise;
    }

    /** @return the tuning this trend was built with. */
    public Settings settings() {
        return settings;
    }

    /** @return the limit this trend was built with, -1 when undefined. */
    public long limitBytes() {
        return limitBytes;
    }

    /**
     * The live-set estimate: the lower of the newest closed floor and the lowest after-GC value of the open
     * bucket. Lags a growing live set by about one bucket; never lags a shrinking one.
     *
     * @return bytes, or -1 before any collection.
     */
    public long liveSetBytes() {
        if (size == 0) {
            return bucketCount == 0 ? -1 : bucketMin;
        }
        final long newest = floorValues[head == 0 ? floorValues.length - 1 : head - 1];
        return bucketCount == 0 ? newest : Math.min(newest, bucketMin);
    }
}
