package dev.pipescope.calibration;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The batch hit path ({@link CalibrationCache#beginBatch}, {@link CalibrationCache#applyWhileFresh}) answers
 * every record as a lookup of its own would: same values, same hits and misses, including entries that expire
 * or are evicted while the batch is being calibrated.
 */
class CalibrationCacheTest {
    private static final long TTL = 1_000;

    private static Calibration calibration(final double gain, final double offset) {
        final Calibration c = new Calibration();
        c.set(gain, offset);
        return c;
    }

    @Test
    void freshEntriesCalibrateEveryRecordExactlyAsCalibrationApplyDoes() {
        final CalibrationCache cache = new CalibrationCache(8, 16);
        final Calibration zero = calibration(1.013, -0.3);
        final Calibration one = calibration(0.987, 0.2);
        cache.put(0, zero, 100);
        cache.put(1, one, 100);
        final int[] sensor = {0, 1, 0, 1, 1};
        final double[] value = {20.1, 33.3, 47.9, 79.99, 50.0};
        final double[] original = value.clone();
        final int[] flags = new int[5];
        cache.beginBatch(500, TTL);
        assertEquals(5, cache.applyWhileFresh(sensor, value, flags, 4, 0, 5));
        for (int i = 0; i < 5; i++) {
            final Calibration c = sensor[i] == 0 ? zero : one;
            assertEquals(Double.doubleToRawLongBits(c.apply(original[i])), Double.doubleToRawLongBits(value[i]), "record " + i);
            assertEquals(4, flags[i]);
        }
    }

    @Test
    void stopsAtTheFirstRecordWhoseSensorIsMissingOrExpired() {
        final CalibrationCache cache = new CalibrationCache(8, 16);
        cache.put(0, calibration(2, 0), 0);
        cache.put(1, calibration(3, 0), 900);
        final int[] sensor = {1, 1, 0, 1, 2};
        final double[] value = {1, 1, 1, 1, 1};
        final int[] flags = new int[5];
        cache.beginBatch(1_000, TTL); // sensor 0 stored at 0: age 1000 is not < TTL
        assertEquals(2, cache.applyWhileFresh(sensor, value, flags, 1, 0, 5));
        assertEquals(3.0, value[0]);
        assertEquals(1.0, value[2], "the missed record is left for the caller");
        assertEquals(4, cache.applyWhileFresh(sensor, value, flags, 1, 3, 5), "sensor 2 has no entry");
        assertEquals(3.0, value[3]);
    }

    @Test
    void anEntryEvictedDuringTheBatchMissesForTheRestOfIt() {
        final CalibrationCache cache = new CalibrationCache(1, 4); // both sensors share the one slot
        cache.put(0, calibration(2, 0), 0);
        final int[] sensor = {0, 1, 0};
        final double[] value = {1, 1, 1};
        final int[] flags = new int[3];
        cache.beginBatch(10, TTL);
        assertEquals(1, cache.applyWhileFresh(sensor, value, flags, 1, 0, 3));
        cache.put(1, calibration(5, 0), 10); // the caller's miss handling stores sensor 1, evicting sensor 0
        assertEquals(2, cache.applyWhileFresh(sensor, value, flags, 1, 1, 3), "sensor 0 was evicted");
        assertEquals(5.0, value[1]);
        assertEquals(1, cache.evictions());
    }

    @Test
    void withATimeToLiveOfZeroNothingIsEverFresh() {
        final CalibrationCache cache = new CalibrationCache(4, 4);
        cache.beginBatch(10, 0);
        cache.put(0, calibration(2, 0), 10);
        assertEquals(0, cache.applyWhileFresh(new int[] {0, 0}, new double[2], new int[2], 1, 0, 2));
    }

    @Test
    void sensorsBeyondTheTableAreMappedByDivisionWithTheSameSlots() {
        final CalibrationCache cache = new CalibrationCache(3, 2);
        cache.put(7, calibration(2, 1), 0); // 7 % 3 = slot 1
        cache.beginBatch(5, TTL);
        final double[] value = {10};
        assertEquals(1, cache.applyWhileFresh(new int[] {7}, value, new int[1], 1, 0, 1));
        assertEquals(21.0, value[0]);
        cache.put(4, calibration(1, 0), 5); // 4 % 3 = slot 1 too: evicts 7
        assertEquals(1, cache.evictions());
        assertEquals(CalibrationCache.MISS, cache.freshSlot(7, 5, TTL));
    }

    @Test
    void lookupsAreCountedOncePerBatchAsTheCallerReportsThem() {
        final CalibrationCache cache = new CalibrationCache(4);
        cache.countLookups(1000, 3);
        cache.countLookups(0, 0);
        assertEquals(1000, cache.hits());
        assertEquals(3, cache.misses());
        assertEquals(1000.0 / 1003, cache.hitRate(), 1e-15);
    }
}
