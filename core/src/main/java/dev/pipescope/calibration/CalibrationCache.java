package dev.pipescope.calibration;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixed-capacity, direct-mapped cache of per-sensor calibrations with a time to live. A sensor maps
 * to slot {@code id % capacity}; a different sensor mapping to an occupied slot evicts it. Expired
 * entries are kept as "last known" calibrations, which the stage may serve (flagged stale) when the
 * service fails.
 *
 * <p>The hit path is a few array reads. {@link #freshSlot} finds the slot through a table of every sensor
 * id's slot computed once (an integer division by a capacity the JIT cannot see as a constant cost more than
 * the rest of the lookup) and checks key and age; {@link #applyWhileFresh} does that once per sensor per
 * batch and calibrates the sensor's other records of the batch from a copy of its gain and offset indexed by
 * sensor id. Nothing is copied into a holder object. The stage counts hits and misses itself and publishes
 * them once per batch with {@link #countLookups}, so the counters are as if every record were looked up.
 *
 * <p>Single writer (the processing thread). The counters are published with {@code lazySet} and can be
 * read from any thread without blocking the writer.
 */
public final class CalibrationCache implements dev.pipescope.metrics.CacheStats {
    /** What {@link #freshSlot} returns when the sensor has no fresh entry. */
    public static final int MISS = -1;
    private static final int EMPTY = -1;
    private static final long NOT_CHECKED = -1; // batch epochs start at 1

    private final int capacity;
    private final int[] slotOfSensor;
    private final int[] keys;
    private final double[] gains;
    private final double[] offsets;
    private final long[] storedAtNanos;

    private final long[] checkedInBatch;
    private final double[] freshBySensor;
    private long batchEpoch;
    private long batchNowNanos;
    private long batchTtlNanos;

    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();

    /**
     * A cache whose slot table covers sensor ids below its capacity (larger ids are mapped by division).
     *
     * @param capacity number of slots, at least 1.
     */
    public CalibrationCache(final int capacity) {
        this(capacity, capacity);
    }

    /**
     * @param capacity      number of slots, at least 1.
     * @param sensorIdLimit sensor ids below this are mapped through a precomputed table (the registry's
     *                      capacity); larger ones by division, with the same result.
     */
    public CalibrationCache(final int capacity, final int sensorIdLimit) {
        if (capacity < 1) {
            throw new IllegalArgumentException("cache capacity must be at least 1, was " + capacity);
        }
        if (sensorIdLimit < 0) {
            throw new IllegalArgumentException("sensor id limit must not be negative, was " + sensorIdLimit);
        }
        this.capacity = capacity;
        slotOfSensor = new int[sensorIdLimit];
        for (int id = 0; id < sensorIdLimit; id++) {
            slotOfSensor[id] = id % capacity;
        }
        keys = new int[capacity];
        gains = new double[capacity];
        offsets = new double[capacity];
        storedAtNanos = new long[capacity];
        Arrays.fill(keys, EMPTY);
        checkedInBatch = new long[sensorIdLimit];
        Arrays.fill(checkedInBatch, NOT_CHECKED);
        freshBySensor = new double[2 * sensorIdLimit];
    }

    /** @return the number of slots. */
    public int capacity() {
        return capacity;
    }

    private int slotOf(final int sensorId) {
        final int[] table = slotOfSensor;
        return sensorId < table.length ? table[sensorId] : sensorId % capacity;
    }

    /**
     * Finds the sensor's fresh entry without counting the lookup (the caller counts it with
     * {@link #countLookups}).
     *
     * @param sensorId the sensor, not negative.
     * @param nowNanos the current monotonic time.
     * @param ttlNanos how long an entry stays fresh.
     * @return the slot of its fresh entry, for {@link #apply(int, double)}, or {@link #MISS}.
     */
    public int freshSlot(final int sensorId, final long nowNanos, final long ttlNanos) {
        final int slot = slotOf(sensorId);
        return keys[slot] == sensorId && nowNanos - storedAtNanos[slot] < ttlNanos ? slot : MISS;
    }

    /**
     * @param slot a slot returned by {@link #freshSlot} (or {@link #lastKnownSlot}).
     * @param raw  a reading.
     * @return {@code raw * gain + offset} with the slot's calibration, as {@link Calibration#apply} computes it.
     */
    public double apply(final int slot, final double raw) {
        return raw * gains[slot] + offsets[slot];
    }

    /**
     * Starts a batch: every record of it is looked up at the same time, so a sensor found fresh once stays
     * fresh for the rest of the batch unless a {@link #put} replaces its entry. {@link #applyWhileFresh}
     * relies on that to check the slot and the age once per sensor per batch, not once per record.
     *
     * @param nowNanos the batch's monotonic time.
     * @param ttlNanos how long an entry stays fresh.
     */
    public void beginBatch(final long nowNanos, final long ttlNanos) {
        batchEpoch++;
        batchNowNanos = nowNanos;
        batchTtlNanos = ttlNanos;
    }

    /**
     * The hit path for a run of records of the batch begun with {@link #beginBatch}: calibrates
     * {@code value[i]} in place ({@code value * gain + offset}, as {@link Calibration#apply} computes it) and
     * ORs {@code flag} into {@code flags[i]} for each record from {@code from} on whose sensor has a fresh
     * entry, and stops at the first that has none. The first record of a sensor in the batch checks its slot
     * and age and copies its gain and offset beside the sensor's id; the sensor's later records read them from
     * there, two array reads. Counts nothing: the caller adds {@code returned - from} hits with
     * {@link #countLookups}.
     *
     * @param sensor sensor ids of the records.
     * @param value  their values, calibrated in place.
     * @param flags  their flags.
     * @param flag   bits to set on each calibrated record.
     * @param from   first record.
     * @param to     end of the records (exclusive).
     * @return the index of the first record whose sensor missed, or {@code to} when all hit.
     */
    public int applyWhileFresh(final int[] sensor, final double[] value, final int[] flags, final int flag,
                               final int from, final int to) {
        final long epoch = batchEpoch;
        final long[] checkedIn = checkedInBatch;
        final double[] fresh = freshBySensor;
        for (int i = from; i < to; i++) {
            final int s = sensor[i];
            final double gain;
            final double offset;
            if (s < checkedIn.length && checkedIn[s] == epoch) {
                gain = fresh[2 * s];
                offset = fresh[2 * s + 1];
            } else {
                final int slot = freshSlot(s, batchNowNanos, batchTtlNanos);
                if (slot == MISS) {
                    return i;
                }
                gain = gains[slot];
                offset = offsets[slot];
                if (s < checkedIn.length) {
                    fresh[2 * s] = gain;
                    fresh[2 * s + 1] = offset;
                    checkedIn[s] = epoch;
                }
            }
            value[i] = value[i] * gain + offset;
            flags[i] |= flag;
        }
        return to;
    }

    /**
     * Finds the sensor's entry, fresh or expired (its last known calibration), counting nothing.
     *
     * @param sensorId the sensor.
     * @return its slot, or {@link #MISS} when it has no entry.
     */
    public int lastKnownSlot(final int sensorId) {
        final int slot = slotOf(sensorId);
        return keys[slot] == sensorId ? slot : MISS;
    }

    /**
     * Adds lookups made with {@link #freshSlot} to the hit and miss counters, once per batch.
     *
     * @param hitCount  lookups that found a fresh entry.
     * @param missCount lookups that did not.
     */
    public void countLookups(final long hitCount, final long missCount) {
        if (hitCount != 0) {
            hits.lazySet(hits.get() + hitCount);
        }
        if (missCount != 0) {
            misses.lazySet(misses.get() + missCount);
        }
    }

    /**
     * Stores a fresh calibration, evicting another sensor's entry from the slot if there is one.
     *
     * @param sensorId    the sensor.
     * @param calibration its calibration.
     * @param nowNanos    the current monotonic time.
     * @return the slot it was stored in.
     */
    public int put(final int sensorId, final Calibration calibration, final long nowNanos) {
        final int slot = slotOf(sensorId);
        final int previous = keys[slot];
        if (previous != EMPTY && previous != sensorId) {
            evictions.lazySet(evictions.get() + 1);
        }
        forget(previous);
        forget(sensorId);
        keys[slot] = sensorId;
        gains[slot] = calibration.gain();
        offsets[slot] = calibration.offset();
        storedAtNanos[slot] = nowNanos;
        return slot;
    }

    // The batch's copy of an entry that put() replaces must not outlive it; the next lookup checks the slot.
    private void forget(final int sensorId) {
        if (sensorId >= 0 && sensorId < checkedInBatch.length) {
            checkedInBatch[sensorId] = NOT_CHECKED;
        }
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
