package dev.pipescope.batch;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordBatchTest {

    @Test
    void addAppendsRecordsAndResetsDerivedColumns() {
        final RecordBatch batch = new RecordBatch(4);
        assertTrue(batch.isEmpty());
        assertEquals(4, batch.capacity());

        // dirty the derived columns of slot 0 as a previous use of the batch would
        batch.add(9, 1L, 1L, 1.0);
        batch.normalized[0] = 0.5;
        batch.ewma[0] = 3.0;
        batch.delta[0] = 4.0;
        batch.zScore[0] = 5.0;
        batch.score[0] = 0.9;
        batch.flags[0] = RecordBatch.FLAG_ANOMALY;
        batch.clear();

        assertEquals(0, batch.add(7, 1_000L, 42L, 12.5));
        assertEquals(1, batch.add(8, 2_000L, 43L, -3.0));
        assertEquals(2, batch.size());
        assertFalse(batch.isEmpty());
        assertEquals(7, batch.sensor[0]);
        assertEquals(1_000L, batch.timestamp[0]);
        assertEquals(42L, batch.sequence[0]);
        assertEquals(12.5, batch.value[0]);
        assertEquals(12.5, batch.raw[0], "raw is the reading as it entered");
        assertTrue(Double.isNaN(batch.normalized[0]));
        assertTrue(Double.isNaN(batch.ewma[0]));
        assertTrue(Double.isNaN(batch.delta[0]));
        assertTrue(Double.isNaN(batch.zScore[0]));
        assertTrue(Double.isNaN(batch.score[0]), "no detector has scored the new record");
        assertEquals(0, batch.flags[0]);
        assertEquals(8, batch.sensor[1]);
        assertEquals(-3.0, batch.value[1]);
        assertEquals(-3.0, batch.raw[1]);
    }

    @Test
    void rawKeepsTheReadingWhenTheWorkingValueChanges() {
        final RecordBatch batch = new RecordBatch(2);
        batch.add(0, 0, 0, 20.0);
        batch.value[0] = 20.0 * 1.1 + 0.5; // what calibrate does
        assertEquals(20.0, batch.raw[0]);
        assertEquals(22.5, batch.value[0]);
    }

    @Test
    void addToAFullBatchIsRefused() {
        final RecordBatch batch = new RecordBatch(2);
        batch.add(0, 0, 0, 1);
        batch.add(0, 0, 0, 2);
        assertTrue(batch.isFull());
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> batch.add(0, 0, 0, 3));
        assertTrue(e.getMessage().contains("capacity 2"), e.getMessage());
        assertEquals(2, batch.size());
    }

    @Test
    void capacityMustBePositive() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RecordBatch(0));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RecordBatch(-5));
    }

    @Test
    void sizeIsBoundedByCapacity() {
        final RecordBatch batch = new RecordBatch(3);
        batch.size(3);
        assertTrue(batch.isFull());
        batch.size(0);
        assertTrue(batch.isEmpty());
        assertThrows(IllegalArgumentException.class, () -> batch.size(4));
        assertThrows(IllegalArgumentException.class, () -> batch.size(-1));
        assertEquals(0, batch.size());
    }

    @Test
    void copyRecordMovesEveryColumn() {
        final RecordBatch batch = new RecordBatch(3);
        batch.add(1, 100, 10, 1.5);
        batch.add(2, 200, 20, 2.5);
        batch.value[1] = 2.75;
        batch.normalized[1] = 0.25;
        batch.ewma[1] = 2.25;
        batch.delta[1] = 1.0;
        batch.zScore[1] = -0.5;
        batch.score[1] = 0.75;
        batch.flags[1] = RecordBatch.FLAG_CALIBRATED | RecordBatch.FLAG_ANOMALY;

        batch.copyRecord(1, 0);

        assertEquals(2, batch.sensor[0]);
        assertEquals(200, batch.timestamp[0]);
        assertEquals(20, batch.sequence[0]);
        assertEquals(2.5, batch.raw[0]);
        assertEquals(2.75, batch.value[0]);
        assertEquals(0.25, batch.normalized[0]);
        assertEquals(2.25, batch.ewma[0]);
        assertEquals(1.0, batch.delta[0]);
        assertEquals(-0.5, batch.zScore[0]);
        assertEquals(0.75, batch.score[0]);
        assertEquals(RecordBatch.FLAG_CALIBRATED | RecordBatch.FLAG_ANOMALY, batch.flags[0]);
    }

    @Test
    void countFlaggedNeedsEveryBitOfTheMaskAndOnlyLiveRecords() {
        final RecordBatch batch = new RecordBatch(5);
        for (int i = 0; i < 5; i++) {
            batch.add(0, 0, i, i);
        }
        batch.flags[0] = RecordBatch.FLAG_ANOMALY;
        batch.flags[1] = RecordBatch.FLAG_ANOMALY | RecordBatch.FLAG_CALIBRATED;
        batch.flags[2] = RecordBatch.FLAG_CALIBRATED;
        batch.flags[4] = RecordBatch.FLAG_ANOMALY | RecordBatch.FLAG_CALIBRATED;

        assertEquals(3, batch.countFlagged(RecordBatch.FLAG_ANOMALY));
        assertEquals(3, batch.countFlagged(RecordBatch.FLAG_CALIBRATED));
        assertEquals(2, batch.countFlagged(RecordBatch.FLAG_ANOMALY | RecordBatch.FLAG_CALIBRATED));
        assertEquals(0, batch.countFlagged(RecordBatch.FLAG_DEGRADED));

        batch.size(4); // record 4 is no longer live
        assertEquals(1, batch.countFlagged(RecordBatch.FLAG_ANOMALY | RecordBatch.FLAG_CALIBRATED));
    }

    @Test
    void flagConstantsAreDistinctBits() {
        final int[] all = {RecordBatch.FLAG_CALIBRATED, RecordBatch.FLAG_DEGRADED, RecordBatch.FLAG_ANOMALY,
            RecordBatch.FLAG_INVALID, RecordBatch.FLAG_STALE_CALIBRATION};
        int union = 0;
        for (final int f : all) {
            assertEquals(1, Integer.bitCount(f));
            assertEquals(0, union & f);
            union |= f;
        }
    }

    @Test
    void copyFromCopiesLiveRecordsAndSize() {
        final RecordBatch source = new RecordBatch(4);
        source.add(3, 30, 300, 3.5);
        source.add(4, 40, 400, 4.5);
        source.value[1] = 5.5;
        source.zScore[1] = 9.0;
        source.score[1] = 0.625;
        source.flags[1] = RecordBatch.FLAG_INVALID;

        final RecordBatch copy = new RecordBatch(2);
        copy.add(0, 0, 0, 0);
        copy.copyFrom(source);

        assertEquals(2, copy.size());
        assertEquals(3, copy.sensor[0]);
        assertEquals(40, copy.timestamp[1]);
        assertEquals(400, copy.sequence[1]);
        assertEquals(4.5, copy.raw[1]);
        assertEquals(5.5, copy.value[1]);
        assertEquals(9.0, copy.zScore[1]);
        assertEquals(0.625, copy.score[1]);
        assertEquals(RecordBatch.FLAG_INVALID, copy.flags[1]);
    }

    @Test
    void copyFromRefusesABatchThatDoesNotFit() {
        final RecordBatch source = new RecordBatch(3);
        source.add(0, 0, 0, 1);
        source.add(0, 0, 0, 2);
        source.add(0, 0, 0, 3);
        final RecordBatch small = new RecordBatch(2);
        small.add(5, 5, 5, 5);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> small.copyFrom(source));
        assertTrue(e.getMessage().contains("3") && e.getMessage().contains("2"), e.getMessage());
        assertEquals(1, small.size());
        assertEquals(5, small.sensor[0]);
    }

    /**
     * Guards the next column: every public array of the batch must be moved by copyRecord, moveRecords and
     * copyFrom, or a filter would silently pair one record's column with another record's.
     */
    @Test
    void everyColumnIsMovedByCopyRecordMoveRecordsAndCopyFrom() throws IllegalAccessException {
        final List<Field> columns = new ArrayList<>();
        for (final Field f : RecordBatch.class.getFields()) {
            if (f.getType().isArray() && !Modifier.isStatic(f.getModifiers())) {
                columns.add(f);
            }
        }
        assertTrue(columns.size() >= 11, "columns found: " + columns);

        final RecordBatch batch = new RecordBatch(2);
        batch.add(0, 0, 0, 0);
        batch.add(0, 0, 0, 0);
        for (final Field f : columns) {
            Array.set(f.get(batch), 1, marker(f.getType().getComponentType()));
        }
        final RecordBatch moved = new RecordBatch(3);
        moved.copyFrom(batch);
        moved.add(0, 0, 0, 0);
        moved.moveRecords(1, 2, 1);
        batch.copyRecord(1, 0);
        final RecordBatch copy = new RecordBatch(2);
        copy.copyFrom(batch);
        for (final Field f : columns) {
            final Object expected = marker(f.getType().getComponentType());
            assertEquals(expected, Array.get(f.get(moved), 2), "moveRecords moves " + f.getName());
            assertEquals(expected, Array.get(f.get(batch), 0), "copyRecord moves " + f.getName());
            assertEquals(expected, Array.get(f.get(copy), 0), "copyFrom copies " + f.getName());
            assertEquals(expected, Array.get(f.get(copy), 1), "copyFrom copies " + f.getName());
        }
    }

    private static Object marker(final Class<?> type) {
        if (type == int.class) {
            return 77;
        }
        if (type == long.class) {
            return 77L;
        }
        if (type == double.class) {
            return 77.25;
        }
        throw new AssertionError("a column of an unexpected type: " + type);
    }
}
