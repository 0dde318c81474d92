package dev.pipescope.resilience;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts events in time buckets over a bounded horizon (e.g. 1 s buckets for 5 minutes) and answers
 * "how many in the last W" for any W up to the horizon, without locks or allocation.
 *
 * <h2>Window semantics</h2>
 * Time is cut into buckets {@code floor(t / bucketNanos)}. {@code sum(window, now)} adds the bucket holding
 * {@code now} and the {@code ceil(window / bucketNanos) - 1} buckets before it. An event at {@code t}
 * therefore counts while {@code floor(now / b) - floor(t / b) < window / b}, and leaves the window
 * exactly when {@code now} reaches the start of bucket {@code floor(t / b) + window / b}: it is counted
 * for between {@code window - b} and {@code window} after it happened.
 *
 * <h2>Threading</h2>
 * One writer ({@link #increment(long)}, {@link #add(long, long)}) with non-decreasing times; any number of
 * readers ({@link #sum(long, long)}, {@link #total()}). Each bucket is one {@code long} packing the bucket's
 * number (low {@value #TAG_BITS} bits) with its count, written with a single release store, so a reader can
 * never pair a new bucket number with an old count (or the reverse): it sees a bucket either before or
 * after an update, never garbage, and counts are unsigned fields, never negative. Benign races, all of
 * which only make a reader's answer as of a slightly different instant:
 * <ul>
 *   <li>an event added while a reader is summing may or may not be included;</li>
 *   <li>a reader whose {@code now} is behind the writer's skips buckets newer than its {@code now}, and the
 *   ring keeps one spare bucket so that a writer one bucket ahead does not recycle the reader's oldest
 *   bucket;</li>
 *   <li>bucket numbers are compared on {@value #TAG_BITS} bits, so a bucket untouched for exactly a multiple
 *   of 2^30 buckets (34 years of 1 s buckets) could alias; ignored.</li>
 * </ul>
 * Counts per bucket saturate at 2^34 - 1.
 */
public final class SlidingWindowCounter {
    static final int TAG_BITS = 30;
    private static final long TAG_MASK = (1L << TAG_BITS) - 1;
    private static final int COUNT_BITS = Long.SIZE - TAG_BITS;
    private static final long MAX_BUCKET_COUNT = (1L << COUNT_BITS) - 1;

    private final long bucketNanos;
    private final int horizonBuckets;
    private final AtomicLongArray buckets; // (count << TAG_BITS) | (bucketNumber & TAG_MASK); 0 = unused
    private final AtomicLong total = new AtomicLong();

    /**
     * @param bucketNanos  bucket width (the window's granularity).
     * @param horizonNanos the longest window that can be asked for; rounded up to whole buckets.
     */
    public SlidingWindowCounter(final long bucketNanos, final long horizonNanos) {
        if (bucketNanos <= 0 || horizonNanos < bucketNanos) {
            throw new IllegalArgumentException("need 0 < bucketNanos <= horizonNanos, got " + bucketNanos + ", " + horizonNanos);
        }
        final long n = (horizonNanos + bucketNanos - 1) / bucketNanos;
        if (n > 1 << 20) {
            throw new IllegalArgumentException("too many buckets: " + n);
        }
        this.bucketNanos = bucketNanos;
        this.horizonBuckets = (int)n;
        buckets = new AtomicLongArray(horizonBuckets + 1); // +1: see "Threading"
    }

    /**
     * One-second buckets over five minutes: "in the last W" for any W from 1 s to 5 minutes at 1 s
     * resolution — a short W such as 10 s for "is it still happening?", 1 and 5 minutes for rates.
     *
     * @return a new counter.
     */
    public static SlidingWindowCounter perSecondForFiveMinutes() {
        return new SlidingWindowCounter(1_000_000_000L, 300_000_000_000L);
    }

    /** @return the bucket width in nanoseconds. */
    public long bucketNanos() {
        return bucketNanos;
    }

    /** @return the longest window {@link #sum(long, long)} accepts, in nanoseconds. */
    public long horizonNanos() {
        return horizonBuckets * bucketNanos;
    }

    /**
     * Counts one event. Writer thread only; allocation-free.
     *
     * @param nowNanos the event's time (non-decreasing across writer calls).
     */
    public void increment(final long nowNanos) {
        add(1, nowNanos);
    }

    /**
     * Counts {@code n} events. Writer thread only; allocation-free.
     *
     * @param n        events, {@code >= 0}.
     * @param nowNanos their time (non-decreasing across writer calls).
     * @throws IllegalArgumentException when {@code n < 0}.
     */
    public void add(final long n, final long nowNanos) {
        if (n < 0) {
            throw new IllegalArgumentException("negative count " + n);
        }
        if (n == 0) {
            return;
        }
        final long bucket = Math.floorDiv(nowNanos, bucketNanos);
        final int slot = (int)Math.floorMod(bucket, (long)buckets.length());
        final long tag = bucket & TAG_MASK;
        final long word = buckets.getPlain(slot); // only the writer stores, so its own plain read is current
        final long count = (word & TAG_MASK) == tag && word != 0 ? word >>> TAG_BITS : 0; // else: recycle
        final long updated = Math.min(MAX_BUCKET_COUNT, count + n);
        buckets.setRelease(slot, updated << TAG_BITS | tag);
        total.setRelease(total.getPlain() + n);
    }

    /**
     * Events in the window ending at {@code nowNanos}. Any thread; allocation-free, never blocks the writer.
     *
     * @param windowNanos the window's length, {@code bucketNanos <= window <= horizon} (rounded up to whole
     *                    buckets).
     * @param nowNanos    the window's end.
     * @return events counted in the window, {@code >= 0}.
     * @throws IllegalArgumentException when the window is out of range.
     */
    public long sum(final long windowNanos, final long nowNanos) {
        if (windowNanos <= 0 || windowNanos > horizonNanos()) {
            throw new IllegalArgumentException("window must be within (0, " + horizonNanos() + "] ns: " + windowNanos);
        }
        final int windowBuckets = (int)((windowNanos + bucketNanos - 1) / bucketNanos);
        final long current = Math.floorDiv(nowNanos, bucketNanos);
        final long length = buckets.length();
        long sum = 0;
        for (int k = 0; k < windowBuckets; k++) {
            final long bucket = current - k;
            final long word = buckets.getAcquire((int)Math.floorMod(bucket, length));
            if (word != 0 && (word & TAG_MASK) == (bucket & TAG_MASK)) {
                sum += word >>> TAG_BITS;
            }
        }
        return sum;
    }

    /** @return events counted since creation (any thread). */
    public long total() {
        return total.getAcquire();
    }
}
