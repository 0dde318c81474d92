package dev.pipescope.calibration;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixed-capacity, direct-mapped cache of per-sensor calibrations with a time to live. A sensor maps
 * to slot {@code id % capacity}; a different sensor mapping to an occupied slot evicts it. Expired
 * entries are kept as "last known" calibrations, which the stage may serve (flagged stale) when the
 * service fails.
 *
 * <p>Single writer (the processing thread). The counters are published with {@code lazySet} and can be
 * read from any thread without blocking the writer.
 */
public final class CalibrationCache implements dev.pipescope.metrics.CacheStats {
    private static final int EMPTY = -1;

    private final int capacity;
    private final int[] keys;
    private final double[] gains;
    private final double[] offsets;
    private final long[] storedAtNanos;

    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();

    /**
     * @param capacity number of slots, at least 1.
     */
    public CalibrationCache(final int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("cache capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        keys = new int[capacity];
        gains = new double[capacity];
        offsets = new double[capacity];
        storedAtNanos = new long[capacity];
        Arrays.fill(keys, EMPTY);
    }

    /** @return the number of slots. */
    public int capacity() {
        return capacity;
    }

    /**
     * Looks a sensor up; counts a hit or a miss.
     *
     * @param sensorId the sensor.
     * @param nowNanos the current monotonic time.
     * @param ttlNanos how long an entry stays fresh.
     * @param target   filled on a hit.
     * @return true on a hit (fresh entry), false on a miss (absent or expired).
     */
    public boolean get(final int sensorId, final long nowNanos, final long ttlNanos, final Calibration target) {
        final int slot = sensorId % capacity;
        if (keys[slot] == sensorId && nowNanos - storedAtNanos[slot] < ttlNanos) {
            target.set(gains[slot], offsets[slot]);
            hits.lazySet(hits.get() + 1);
            return true;
        }
        misses.lazySet(misses.get() + 1);
        return false;
    }

    /**
     * Serves an expired entry (the last known calibration) without counting a hit.
     *
     * @param sensorId the sensor.
     * @param target   filled when an entry exists.
     * @return true when the sensor has a (possibly expired) entry.
     */
    public boolean getLastKnown(final int sensorId, final Calibration target) {
        final int slot = sensorId % capacity;
        if (keys[slot] == sensorId) {
            target.set(gains[slot], offsets[slot]);
            return true;
        }
        return false;
    }

    /**
     * Stores a fresh calibration, evicting another sensor's entry from the slot if there is one.
     *
     * @param sensorId    the sensor.
     * @param calibration its calibration.
     * @param nowNanos    the current monotonic time.
     */
    public void put(final int sensorId, final Calibration calibration, final long nowNanos) {
        final int slot = sensorId % capacity;
        final int previous = keys[slot];
        if (previous != EMPTY && previous != sensorId) {
            evictions.lazySet(evictions.get() + 1);
        }
        keys[slot] = sensorId;
        gains[slot] = calibration.gain();
        offsets[slot] = calibration.offset();
        storedAtNanos[slot] = nowNanos;
    }

    /** @return lookups answered from a fresh entry. */
    @Override
    public long hits() {
        return hits.get();
    }

    /** @return lookups that found no fresh entry. */
    @Override
    public long misses() {
        return misses.get();
    }

    /** @return entries replaced by another sensor's. */
    @Override
    public long evictions() {
        return evictions.get();
    }

    /** @return hits / (hits + misses) since start, or NaN before the first lookup. */
    public double hitRate() {
        final long h = hits.get();
        final long total = h + misses.get();
        return total == 0 ? Double.NaN : (double) h / total;
    }
}
