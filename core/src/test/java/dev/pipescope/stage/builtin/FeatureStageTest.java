package dev.pipescope.stage.builtin;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.stage.ConfiguredStage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureStageTest {
    private final TestContext ctx = new TestContext(4);

    @Test
    void ewmaFollowsTheRecurrenceByHand() {
        final RecordBatch batch = TestContext.batchOf(0, 10, 20, 40, 40);
        ctx.open(FeatureStage.class, "alpha", 0.5).process(batch);
        assertEquals(10.0, batch.ewma[0], "the first reading seeds the mean");
        assertEquals(15.0, batch.ewma[1]);   // 10 + 0.5 * (20 - 10)
        assertEquals(27.5, batch.ewma[2]);   // 15 + 0.5 * (40 - 15)
        assertEquals(33.75, batch.ewma[3]);  // 27.5 + 0.5 * (40 - 27.5)
    }

    @Test
    void defaultAlphaIsTwentyPercent() {
        final RecordBatch batch = TestContext.batchOf(0, 10, 20, 30);
        ctx.open(FeatureStage.class).process(batch);
        assertEquals(10.0, batch.ewma[0]);
        assertEquals(12.0, batch.ewma[1], 1e-12);   // 10 + 0.2 * 10
        assertEquals(15.6, batch.ewma[2], 1e-12);   // 12 + 0.2 * 18
    }

    @Test
    void deltaIsNaNOnTheFirstReadingThenTheChange() {
        final RecordBatch batch = TestContext.batchOf(0, 10, 12.5, 11, 11);
        ctx.open(FeatureStage.class).process(batch);
        assertTrue(Double.isNaN(batch.delta[0]));
        assertEquals(2.5, batch.delta[1]);
        assertEquals(-1.5, batch.delta[2]);
        assertEquals(0.0, batch.delta[3]);
    }

    @Test
    void stateCarriesAcrossBatches() {
        final ConfiguredStage stage = ctx.open(FeatureStage.class, "alpha", 0.5);
        final RecordBatch first = TestContext.batchOf(0, 10, 20);
        stage.process(first);
        final RecordBatch second = TestContext.batchOf(0, 40);
        stage.process(second);
        assertEquals(27.5, second.ewma[0]);
        assertEquals(20.0, second.delta[0]);
    }

    @Test
    void sensorsAreIndependent() {
        final RecordBatch batch = new RecordBatch(6);
        batch.add(0, 0, 1, 10);
        batch.add(1, 0, 2, 100);
        batch.add(0, 0, 3, 20);
        batch.add(2, 0, 4, -5);
        batch.add(1, 0, 5, 200);
        batch.add(0, 0, 6, 40);
        ctx.open(FeatureStage.class, "alpha", 0.5).process(batch);
        assertEquals(10.0, batch.ewma[0]);
        assertEquals(100.0, batch.ewma[1]);
        assertTrue(Double.isNaN(batch.delta[1]), "sensor 1's first reading");
        assertEquals(15.0, batch.ewma[2]);
        assertEquals(10.0, batch.delta[2]);
        assertEquals(-5.0, batch.ewma[3]);
        assertTrue(Double.isNaN(batch.delta[3]));
        assertEquals(150.0, batch.ewma[4]);
        assertEquals(100.0, batch.delta[4]);
        assertEquals(27.5, batch.ewma[5]);
        assertEquals(20.0, batch.delta[5]);
    }

    @Test
    void nonFiniteReadingsAreFlaggedAndLeaveTheStateUntouched() {
        final RecordBatch batch = TestContext.batchOf(0, 10, Double.NaN, Double.POSITIVE_INFINITY, 20,
            Double.NEGATIVE_INFINITY, 30);
        ctx.open(FeatureStage.class, "alpha", 0.5).process(batch);
        assertEquals(0, batch.flags[0]);
        for (final int i : new int[] {1, 2, 4}) {
            assertEquals(RecordBatch.FLAG_INVALID, batch.flags[i], "record " + i);
            assertTrue(Double.isNaN(batch.delta[i]), "record " + i);
        }
        assertEquals(10.0, batch.ewma[1], "an invalid record shows the sensor's mean so far");
        assertEquals(15.0, batch.ewma[3]);
        assertEquals(10.0, batch.delta[3], "the change is against the last valid reading");
        assertEquals(15.0, batch.ewma[4]);
        assertEquals(22.5, batch.ewma[5]);
        assertEquals(10.0, batch.delta[5]);
        assertEquals(0, batch.flags[5]);
    }

    @Test
    void nonFiniteFirstReadingDoesNotSeedTheMean() {
        final RecordBatch batch = TestContext.batchOf(3, Double.NaN, 8);
        ctx.open(FeatureStage.class).process(batch);
        assertTrue(Double.isNaN(batch.ewma[0]));
        assertEquals(8.0, batch.ewma[1]);
        assertTrue(Double.isNaN(batch.delta[1]));
    }

    @Test
    void liveAlphaChangeAppliesToTheNextReading() {
        final ConfiguredStage stage = ctx.open(FeatureStage.class, "alpha", 0.5);
        stage.process(TestContext.batchOf(0, 10));
        stage.setParameter("alpha", 1.0);
        final RecordBatch batch = TestContext.batchOf(0, 30);
        stage.process(batch);
        assertEquals(30.0, batch.ewma[0], "alpha 1 follows the newest reading exactly");
    }
}
