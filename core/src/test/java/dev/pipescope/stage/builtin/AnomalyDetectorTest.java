package dev.pipescope.stage.builtin;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.stage.ConfiguredStage;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnomalyDetectorTest {
    private final TestContext ctx = new TestContext(4);

    /** z of {@code series[k]} against series[0..k-1], by a plain two-pass mean and sample variance. */
    private static double referenceZ(final double[] series, final int k, final double minStdev) {
        double sum = 0;
        for (int i = 0; i < k; i++) {
            sum += series[i];
        }
        final double mean = sum / k;
        double squares = 0;
        for (int i = 0; i < k; i++) {
            squares += (series[i] - mean) * (series[i] - mean);
        }
        final double stdev = Math.max(Math.sqrt(squares / (k - 1)), minStdev);
        return (series[k] - mean) / stdev;
    }

    @Test
    void zIsComputedAgainstPreviousReadingsOnly() {
        // hand check for the 4th reading: previous 10, 12, 14 -> mean 12, sample stdev 2 -> z(18) = 3
        final double[] series = {10, 12, 14, 18, 11};
        final RecordBatch batch = TestContext.batchOf(0, series);
        ctx.open(AnomalyDetector.class, "warmup", 3).process(batch);
        assertEquals(0.0, batch.zScore[0], "too few readings to score");
        assertEquals(0.0, batch.zScore[1]);
        assertEquals(3.0, batch.zScore[3], 1e-12);
        for (int k = 2; k < series.length; k++) {
            assertEquals(referenceZ(series, k, 1e-9), batch.zScore[k], 1e-12, "reading " + k);
        }
        assertEquals(RecordBatch.FLAG_ANOMALY, batch.flags[3], "z = 3 > 2.5 after 3 readings");
        assertEquals(0, batch.flags[4]);
        final AnomalyDetector detector = (AnomalyDetector) ctx.open(AnomalyDetector.class).stage();
        detector.process(TestContext.batchOf(1, series));
        assertEquals(5, detector.samples(1));
        assertEquals(13.0, detector.mean(1), 1e-12);
    }

    @Test
    void noFlagDuringWarmUpThenSpikesAreFlagged() {
        final double[] series = {10, 10.5, 50, 9.5, 10, 200};
        final RecordBatch batch = TestContext.batchOf(0, series);
        ctx.open(AnomalyDetector.class, "warmup", 5).process(batch);
        assertTrue(Math.abs(batch.zScore[2]) > 2.5, "huge z on the 3rd reading: " + batch.zScore[2]);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, batch.flags[i] & RecordBatch.FLAG_ANOMALY, "reading " + i + " is in warm-up");
        }
        final double expected = referenceZ(series, 5, 1e-9);
        assertEquals(expected, batch.zScore[5], 1e-12);
        assertTrue(expected > 2.5);
        assertEquals(RecordBatch.FLAG_ANOMALY, batch.flags[5], "5 readings seen: the 6th can be flagged");
    }

    @Test
    void warmUpBoundaryIsTheNumberOfPreviousReadings() {
        final RecordBatch early = TestContext.batchOf(0, 10, 11, 10, 11, 100);
        ctx.open(AnomalyDetector.class, "warmup", 5).process(early);
        assertEquals(0, early.flags[4], "only 4 previous readings");
        final RecordBatch ready = TestContext.batchOf(0, 10, 11, 10, 11, 100);
        ctx.open(AnomalyDetector.class, "warmup", 4).process(ready);
        assertEquals(RecordBatch.FLAG_ANOMALY, ready.flags[4]);
    }

    @Test
    void negativeSpikesAreFlaggedToo() {
        final RecordBatch batch = TestContext.batchOf(0, 10, 11, 10, 11, 10, 11, -20);
        ctx.open(AnomalyDetector.class, "warmup", 2).process(batch);
        assertTrue(batch.zScore[6] < -2.5);
        assertEquals(RecordBatch.FLAG_ANOMALY, batch.flags[6]);
    }

    @Test
    void statisticsCarryAcrossBatchesAndMatchAReference() {
        final SplittableRandom random = new SplittableRandom(7);
        final double[] series = new double[300];
        for (int i = 0; i < series.length; i++) {
            series[i] = 50 + 10 * random.nextGaussian() + (i % 37 == 0 ? 45 : 0);
        }
        final ConfiguredStage stage = ctx.open(AnomalyDetector.class);
        int flagged = 0;
        for (int from = 0; from < series.length; from += 17) {
            final int to = Math.min(series.length, from + 17);
            final RecordBatch batch = new RecordBatch(to - from);
            for (int k = from; k < to; k++) {
                batch.add(2, k, k, series[k]);
            }
            stage.process(batch);
            for (int k = from; k < to; k++) {
                final int i = k - from;
                if (k >= 2) {
                    final double z = referenceZ(series, k, 1e-9);
                    assertEquals(z, batch.zScore[i], 1e-9, "reading " + k);
                    final boolean expectFlag = k >= 30 && Math.abs(z) > 2.5;
                    assertEquals(expectFlag, (batch.flags[i] & RecordBatch.FLAG_ANOMALY) != 0, "reading " + k);
                    flagged += expectFlag ? 1 : 0;
                }
            }
        }
        assertTrue(flagged > 0, "the planted spikes should be flagged");
    }

    @Test
    void constantSensorThenAJumpScoresFiniteAndIsFlagged() {
        final double[] series = new double[41];
        java.util.Arrays.fill(series, 5.0);
        series[40] = 6.0;
        final RecordBatch batch = TestContext.batchOf(0, series);
        ctx.open(AnomalyDetector.class).process(batch);
        for (int i = 2; i < 40; i++) {
            assertEquals(0.0, batch.zScore[i]);
            assertEquals(0, batch.flags[i]);
        }
        assertTrue(Double.isFinite(batch.zScore[40]));
        assertEquals(1.0 / 1e-9, batch.zScore[40], 1e-3, "the minStdev floor bounds z");
        assertEquals(RecordBatch.FLAG_ANOMALY, batch.flags[40]);

        final RecordBatch coarse = TestContext.batchOf(1, series);
        ctx.open(AnomalyDetector.class, "minStdev", 0.5).process(coarse);
        assertEquals(2.0, coarse.zScore[40], 1e-12);
        assertEquals(0, coarse.flags[40], "z = 2 is below the 2.5 threshold");
    }

    @Test
    void nonFiniteReadingsAreFlaggedInvalidAndNotCounted() {
        final double[] clean = {10, 12, 14, 18};
        final RecordBatch batch = TestContext.batchOf(0, 10, Double.NaN, 12, Double.POSITIVE_INFINITY, 14,
            Double.NEGATIVE_INFINITY, 18);
        final AnomalyDetector detector = (AnomalyDetector) ctx.open(AnomalyDetector.class, "warmup", 3).stage();
        detector.process(batch);
        for (final int i : new int[] {1, 3, 5}) {
            assertEquals(RecordBatch.FLAG_INVALID, batch.flags[i], "record " + i);
            assertTrue(Double.isNaN(batch.zScore[i]), "record " + i);
            assertTrue(Double.isNaN(batch.score[i]), "no score for an invalid reading, record " + i);
        }
        assertEquals(4, detector.samples(0));
        assertEquals(13.5, detector.mean(0), 1e-12);
        assertEquals(referenceZ(clean, 3, 1e-9), batch.zScore[6], 1e-12);
        assertEquals(RecordBatch.FLAG_ANOMALY, batch.flags[6]);
    }

    @Test
    void sensorsAreScoredIndependently() {
        final RecordBatch batch = new RecordBatch(12);
        for (int i = 0; i < 5; i++) {
            batch.add(0, i, i, 10 + (i % 2));
            batch.add(1, i, i, 1000 + 100 * (i % 2));
        }
        batch.add(0, 9, 9, 10.5);
        batch.add(1, 9, 9, 1050);
        final AnomalyDetector detector = (AnomalyDetector) ctx.open(AnomalyDetector.class, "warmup", 2).stage();
        detector.process(batch);
        assertEquals(0, batch.countFlagged(RecordBatch.FLAG_ANOMALY));
        assertEquals(6, detector.samples(0));
        assertEquals(6, detector.samples(1));
        assertEquals(0, detector.samples(2));
        assertEquals(10.0 * 5 / 6 + 2.0 / 6 + 10.5 / 6, detector.mean(0), 1e-12);
    }

    @Test
    void zThresholdChangeViaSetParameterChangesFlagging() {
        final ConfiguredStage stage = ctx.open(AnomalyDetector.class);
        // alternating 9 / 11: mean 10, stdev about 1
        final double[] warm = new double[100];
        for (int i = 0; i < warm.length; i++) {
            warm[i] = i % 2 == 0 ? 9 : 11;
        }
        stage.process(TestContext.batchOf(0, warm));

        final RecordBatch probe1 = TestContext.batchOf(0, 13);
        stage.process(probe1);
        assertTrue(probe1.zScore[0] > 2.9 && probe1.zScore[0] < 3.0, "z = " + probe1.zScore[0]);
        assertEquals(RecordBatch.FLAG_ANOMALY, probe1.flags[0]);

        stage.setParameter("zThreshold", 4.0);
        final RecordBatch probe2 = TestContext.batchOf(0, 13);
        stage.process(probe2);
        assertTrue(probe2.zScore[0] > 2.8, "z = " + probe2.zScore[0]);
        assertEquals(0, probe2.flags[0], "z below the raised threshold");

        stage.setParameter("zThreshold", 1.2);
        final RecordBatch probe3 = TestContext.batchOf(0, 11.5);
        stage.process(probe3);
        assertEquals(RecordBatch.FLAG_ANOMALY, probe3.flags[0], "z = " + probe3.zScore[0]);
    }

    @Test
    void theScoreIsAbsZOverAbsZPlusTheThresholdAndAboveOneHalfExactlyWhenFlagged() {
        final SplittableRandom random = new SplittableRandom(21);
        final double[] series = new double[5000];
        for (int i = 0; i < series.length; i++) {
            series[i] = 50 + 10 * random.nextGaussian() + (random.nextInt(100) == 0 ? 40 * random.nextGaussian() : 0);
        }
        for (final double threshold : new double[] {1.0, 2.5, 4.0}) {
            final ConfiguredStage stage = ctx.open(AnomalyDetector.class, "zThreshold", threshold, "warmup", 30);
            final RecordBatch batch = new RecordBatch(series.length);
            for (int i = 0; i < series.length; i++) {
                batch.add(0, i, i, series[i]);
            }
            stage.process(batch);
            int flagged = 0;
            for (int i = 0; i < series.length; i++) {
                final double z = batch.zScore[i];
                final double score = batch.score[i];
                final boolean isFlagged = (batch.flags[i] & RecordBatch.FLAG_ANOMALY) != 0;
                if (i < 30) {
                    assertEquals(0.0, score, "not judged in warm-up: reading " + i);
                } else {
                    assertEquals(Math.abs(z) / (Math.abs(z) + threshold), score, 1e-15, "reading " + i);
                    assertEquals(AnomalyDetector.score(z, threshold), score);
                }
                assertTrue(score >= 0 && score < 1, "in [0, 1): " + score);
                // the flag is the lecture's |z| > zThreshold; the score agrees with it at 0.5
                assertEquals(isFlagged, i >= 30 && Math.abs(z) > threshold);
                assertTrue(isFlagged ? score >= 0.5 : score <= 0.5, "reading " + i + " z " + z + " score " + score);
                flagged += isFlagged ? 1 : 0;
            }
            assertTrue(flagged >= 5, "flags at " + threshold + ": " + flagged);
        }
        assertEquals(0.5, AnomalyDetector.score(-2.5, 2.5));
        assertEquals(0.0, AnomalyDetector.score(0.0, 2.5));
        assertEquals(1.0, AnomalyDetector.score(Double.NEGATIVE_INFINITY, 2.5));
        assertTrue(Double.isNaN(AnomalyDetector.score(Double.NaN, 2.5)));
    }
}
