package dev.pipescope.stage.builtin;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.stage.ConfiguredStage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NormalizationStageTest {
    private final TestContext ctx = new TestContext(4);

    @Test
    void defaultRangeMapsLinearly() {
        final RecordBatch batch = TestContext.batchOf(0, 0, 25, 50, 100, -50, 150);
        ctx.open(NormalizationStage.class).process(batch);
        assertEquals(0.0, batch.normalized[0]);
        assertEquals(0.25, batch.normalized[1]);
        assertEquals(0.5, batch.normalized[2]);
        assertEquals(1.0, batch.normalized[3]);
        assertEquals(-0.5, batch.normalized[4], "outside the range maps outside [0, 1] without clamp");
        assertEquals(1.5, batch.normalized[5]);
        assertEquals(0, batch.countFlagged(RecordBatch.FLAG_INVALID));
        assertEquals(150.0, batch.value[5], "the value column is left alone");
    }

    @Test
    void customRangeMapsExactly() {
        // span 64 is a power of two: every result is exact
        final RecordBatch batch = TestContext.batchOf(0, -16, 0, 16, 48, 32);
        ctx.open(NormalizationStage.class, "minVal", -16, "maxVal", 48).process(batch);
        assertEquals(0.0, batch.normalized[0]);
        assertEquals(0.25, batch.normalized[1]);
        assertEquals(0.5, batch.normalized[2]);
        assertEquals(1.0, batch.normalized[3]);
        assertEquals(0.75, batch.normalized[4]);
        // an arbitrary span, within rounding
        final RecordBatch other = TestContext.batchOf(0, 35, 20, 80);
        ctx.open(NormalizationStage.class, "minVal", 20, "maxVal", 80).process(other);
        assertEquals(0.25, other.normalized[0], 1e-15);
        assertEquals(0.0, other.normalized[1]);
        assertEquals(1.0, other.normalized[2], 1e-15);
    }

    @Test
    void clampKeepsResultsInsideZeroOne() {
        final RecordBatch batch = TestContext.batchOf(0, -1e9, -0.001, 0, 37.5, 100, 100.001, 1e12);
        ctx.open(NormalizationStage.class, "clamp", 1).process(batch);
        assertEquals(0.0, batch.normalized[0]);
        assertEquals(0.0, batch.normalized[1]);
        assertEquals(0.0, batch.normalized[2]);
        assertEquals(0.375, batch.normalized[3]);
        assertEquals(1.0, batch.normalized[4]);
        assertEquals(1.0, batch.normalized[5]);
        assertEquals(1.0, batch.normalized[6]);
    }

    @Test
    void constantValuesNormalizeToTheSameNumber() {
        final RecordBatch batch = TestContext.batchOf(0, 42, 42, 42, 42);
        ctx.open(NormalizationStage.class).process(batch);
        for (int i = 0; i < 4; i++) {
            assertEquals(0.42, batch.normalized[i], 1e-15);
            assertEquals(batch.normalized[0], batch.normalized[i]);
        }
    }

    @Test
    void nonFiniteValuesAreFlaggedAndNeverPassedOffAsNumbers() {
        final RecordBatch batch = TestContext.batchOf(0, Double.NaN, 10, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY);
        batch.flags[0] = RecordBatch.FLAG_CALIBRATED;
        batch.normalized[2] = 0.5; // stale garbage must be overwritten
        for (final double clamp : new double[] {0, 1}) {
            ctx.open(NormalizationStage.class, "clamp", clamp).process(batch);
            assertTrue(Double.isNaN(batch.normalized[0]));
            assertTrue(Double.isNaN(batch.normalized[2]), "clamp must not turn +Infinity into 1");
            assertTrue(Double.isNaN(batch.normalized[3]), "clamp must not turn -Infinity into 0");
            assertEquals(0.1, batch.normalized[1], 1e-15);
            assertEquals(RecordBatch.FLAG_CALIBRATED | RecordBatch.FLAG_INVALID, batch.flags[0]);
            assertEquals(0, batch.flags[1]);
            assertEquals(RecordBatch.FLAG_INVALID, batch.flags[2]);
            assertEquals(RecordBatch.FLAG_INVALID, batch.flags[3]);
        }
    }

    @Test
    void liveRangeChangeAppliesToTheNextBatch() {
        final ConfiguredStage stage = ctx.open(NormalizationStage.class);
        stage.setParameter("maxVal", 200);
        final RecordBatch batch = TestContext.batchOf(0, 50);
        stage.process(batch);
        assertEquals(0.25, batch.normalized[0]);
    }

    @Test
    void infiniteRangeBoundsAreRefused() {
        // with an infinite bound every finite reading would normalize to NaN or to a meaningless 0
        final ConfiguredStage stage = ctx.open(NormalizationStage.class);
        final IllegalArgumentException minInf = assertThrows(IllegalArgumentException.class,
            () -> stage.setParameter("minVal", Double.NEGATIVE_INFINITY));
        assertTrue(minInf.getMessage().contains("minVal") && minInf.getMessage().contains("finite"),
            minInf.getMessage());
        assertThrows(IllegalArgumentException.class, () -> stage.setParameter("maxVal", Double.POSITIVE_INFINITY));
        // finite bounds whose span overflows are no better
        stage.setParameter("minVal", -1e308);
        final IllegalArgumentException span = assertThrows(IllegalArgumentException.class,
            () -> stage.setParameter("maxVal", 1e308));
        assertTrue(span.getMessage().contains("span"), span.getMessage());
        stage.setParameter("minVal", 0);
        assertEquals(0.0, stage.parameter("minVal"));
        assertEquals(100.0, stage.parameter("maxVal"));
        final RecordBatch batch = TestContext.batchOf(0, 50);
        stage.process(batch);
        assertEquals(0.5, batch.normalized[0]);
    }
}
