package dev.pipescope.stage.builtin;

import dev.pipescope.batch.RecordBatch;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ThresholdFilterTest {
    private final TestContext ctx = new TestContext(8);

    private RecordBatch run(final double... values) {
        final RecordBatch batch = TestContext.batchOf(0, values);
        if (values.length == 0) {
            batch.clear();
        }
        ctx.open(ThresholdFilter.class).process(batch);
        return batch;
    }

    @Test
    void edgesAreInclusive() {
        final RecordBatch batch = run(19.999999, 20.0, 50.0, 80.0, 80.000001);
        assertEquals(3, batch.size());
        assertEquals(20.0, batch.value[0]);
        assertEquals(50.0, batch.value[1]);
        assertEquals(80.0, batch.value[2]);
    }

    @Test
    void nonFiniteReadingsAreDropped() {
        final RecordBatch batch = run(Double.NaN, 30.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 40.0);
        assertEquals(2, batch.size());
        assertEquals(30.0, batch.value[0]);
        assertEquals(40.0, batch.value[1]);
    }

    @Test
    void nanIsDroppedEvenWithUnboundedLimits() {
        final RecordBatch batch = TestContext.batchOf(0, Double.NaN, 1e300, -1e300, Double.NaN);
        ctx.open(ThresholdFilter.class, "minVal", Double.NEGATIVE_INFINITY, "maxVal", Double.POSITIVE_INFINITY)
            .process(batch);
        assertEquals(2, batch.size());
        assertEquals(1e300, batch.value[0]);
        assertEquals(-1e300, batch.value[1]);
    }

    @Test
    void emptyBatchStaysEmpty() {
        final RecordBatch batch = run();
        assertEquals(0, batch.size());
    }

    @Test
    void everythingFilteredLeavesAnEmptyBatch() {
        final RecordBatch batch = run(1, 2, 3, 99, Double.NaN);
        assertEquals(0, batch.size());
    }

    @Test
    void nothingFilteredLeavesTheBatchAsItWas() {
        final RecordBatch batch = run(21, 22, 23);
        assertEquals(3, batch.size());
        assertEquals(21.0, batch.value[0]);
        assertEquals(23.0, batch.value[2]);
        assertEquals(3, batch.sequence[2]);
    }

    @Test
    void compactionKeepsOrderAndMovesAllColumnsTogether() {
        final RecordBatch batch = new RecordBatch(8);
        final double[] values = {5, 25, 90, 35, Double.NaN, 45, 100, 55};
        for (int i = 0; i < values.length; i++) {
            batch.add(i % 3, 1_000L + i, 100L + i, values[i]);
            batch.flags[i] = i; // a distinct flag pattern per record
            batch.zScore[i] = -i;
        }
        ctx.open(ThresholdFilter.class).process(batch);
        final int[] keptIndex = {1, 3, 5, 7};
        assertEquals(keptIndex.length, batch.size());
        for (int k = 0; k < keptIndex.length; k++) {
            final int i = keptIndex[k];
            assertEquals(values[i], batch.value[k]);
            assertEquals(i % 3, batch.sensor[k]);
            assertEquals(1_000L + i, batch.timestamp[k]);
            assertEquals(100L + i, batch.sequence[k]);
            assertEquals(i, batch.flags[k]);
            assertEquals(-i, batch.zScore[k]);
        }
    }

    @Test
    void randomBatchesMatchAReferenceFilter() {
        final SplittableRandom random = new SplittableRandom(20261127L);
        final ThresholdFilter filter = (ThresholdFilter) ctx.open(ThresholdFilter.class, "minVal", -5, "maxVal", 5)
            .stage();
        for (int round = 0; round < 500; round++) {
            final int n = 1 + random.nextInt(64);
            final RecordBatch batch = new RecordBatch(n);
            final List<Long> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                final double v = random.nextInt(10) == 0 ? Double.NaN : random.nextDouble(-10, 10);
                batch.add(random.nextInt(8), i, round * 1000L + i, v);
                if (v >= -5 && v <= 5) {
                    expected.add(round * 1000L + i);
                }
            }
            filter.process(batch);
            final List<Long> actual = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                actual.add(batch.sequence[i]);
                assertEquals(true, batch.value[i] >= -5 && batch.value[i] <= 5);
            }
            assertEquals(expected, actual, "round " + round);
        }
    }
}
