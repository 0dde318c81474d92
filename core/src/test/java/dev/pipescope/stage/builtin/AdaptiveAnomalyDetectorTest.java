package dev.pipescope.stage.builtin;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.stage.ConfiguredStage;
import dev.pipescope.stage.ParameterSpec;
import dev.pipescope.stage.StageType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdaptiveAnomalyDetectorTest {
    private final TestContext ctx = new TestContext(4);

    /** {@code n} readings uniform in [level - 1, level + 1]: bounded noise, so its envelope is [level-1, level+1]. */
    private static double[] noise(final SplittableRandom random, final int n, final double level) {
        final double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = level - 1 + 2 * random.nextDouble();
        }
        return v;
    }

    private static double[] concat(final double[]... parts) {
        int n = 0;
        for (final double[] p : parts) {
            n += p.length;
        }
        final double[] all = new double[n];
        int at = 0;
        for (final double[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    /** Runs {@code series} for sensor 0 in batches of 1024 (state carried across batches); returns the flagged indexes. */
    private static List<Integer> flagsOf(final ConfiguredStage stage, final double[] series, final double[] zOut) {
        return flagsOf(stage, series, zOut, null);
    }

    /** {@link #flagsOf(ConfiguredStage, double[], double[])}, also copying the score column to {@code scoreOut}. */
    private static List<Integer> flagsOf(final ConfiguredStage stage, final double[] series, final double[] zOut,
        final double[] scoreOut) {
        final List<Integer> flagged = new ArrayList<>();
        final RecordBatch batch = new RecordBatch(1024);
        for (int start = 0; start < series.length; start += 1024) {
            batch.clear();
            final int end = Math.min(series.length, start + 1024);
            for (int i = start; i < end; i++) {
                batch.add(0, i, i + 1, series[i]);
            }
            stage.process(batch);
            for (int k = 0; k < batch.size(); k++) {
                if ((batch.flags[k] & RecordBatch.FLAG_ANOMALY) != 0) {
                    flagged.add(start + k);
                }
                if (zOut != null) {
                    zOut[start + k] = batch.zScore[k];
                }
                if (scoreOut != null) {
                    scoreOut[start + k] = batch.score[k];
                }
            }
        }
        return flagged;
    }

    @Test
    void aLevelShiftIsOneFlagThenTheNewLevelIsTheBaseline() {
        final SplittableRandom random = new SplittableRandom(14);
        final double[] series = concat(noise(random, 2000, 10), noise(random, 4000, 50));
        final ConfiguredStage stage = ctx.open(AdaptiveAnomalyDetector.class, "warmup", 200);
        final List<Integer> flagged = flagsOf(stage, series, null);
        assertEquals(List.of(2000), flagged, "the first reading at the new level, and only it");
        final AdaptiveAnomalyDetector detector = (AdaptiveAnomalyDetector) stage.stage();
        assertEquals(1, detector.flaggedTotal());
        assertEquals(1, detector.flagged(0));
        assertEquals(6000, detector.samples(0));
    }

    @Test
    void withoutARefractoryPeriodAShiftStillStopsFlaggingWithinAFewReadings() {
        // each reading beyond the envelope moves its edge half the way: the excess halves per reading
        final SplittableRandom random = new SplittableRandom(15);
        final double[] series = concat(noise(random, 2000, 10), noise(random, 4000, 50));
        final List<Integer> flagged = flagsOf(ctx.open(AdaptiveAnomalyDetector.class, "warmup", 200, "refractory", 0),
            series, null);
        assertFalse(flagged.isEmpty());
        assertEquals(2000, flagged.get(0));
        assertTrue(flagged.get(flagged.size() - 1) < 2012, "flags end within a dozen readings: " + flagged);
        assertTrue(flagged.size() <= 12, flagged.toString());
    }

    @Test
    void aLoneSpikeIsFlaggedAndTakenInAtHalfWeight() {
        final SplittableRandom random = new SplittableRandom(16);
        final double[] before = noise(random, 1000, 0);
        final double[] series = concat(before, new double[] {30}, noise(random, 1000, 0));
        final ConfiguredStage stage = ctx.open(AdaptiveAnomalyDetector.class, "warmup", 200);
        final AdaptiveAnomalyDetector detector = (AdaptiveAnomalyDetector) stage.stage();
        flagsOf(stage, before, null);
        final double upperBefore = detector.upper(0);
        final double lowerBefore = detector.lower(0);
        final RecordBatch spike = TestContext.batchOf(0, 30);
        stage.process(spike);
        assertEquals(RecordBatch.FLAG_ANOMALY, spike.flags[0]);
        final double mid = 0.5 * (upperBefore + lowerBefore);
        assertEquals((30 - mid) / (0.5 * (upperBefore - lowerBefore)), spike.zScore[0], 1e-12);
        assertTrue(AdaptiveAnomalyDetector.score(spike.zScore[0]) > 0.99);
        // the upper edge moved half way to the spike (then one reading's decay), not all the way
        final double halfWay = upperBefore + 0.5 * (30 - upperBefore);
        assertEquals(halfWay, detector.upper(0), 0.01 * (halfWay - lowerBefore));
        assertTrue(detector.upper(0) < 20);
        // and the run with the spike flags it alone
        final List<Integer> flagged = flagsOf(ctx.open(AdaptiveAnomalyDetector.class, "warmup", 200), series, null);
        assertEquals(List.of(1000), flagged);
    }

    @Test
    void aConstantSensorScoresZeroAndAnyChangeFromItIsFlaggedWithAFiniteZ() {
        final double[] constant = new double[100];
        java.util.Arrays.fill(constant, 5.0);
        final double[] z = new double[101];
        final double[] series = concat(constant, new double[] {5.001});
        final List<Integer> flagged = flagsOf(ctx.open(AdaptiveAnomalyDetector.class), series, z);
        for (int i = 0; i < 100; i++) {
            assertEquals(0.0, z[i], "reading " + i);
        }
        assertEquals(List.of(100), flagged);
        assertTrue(Double.isFinite(z[100]) && z[100] > 1e5, "finite and huge: " + z[100]);
        assertTrue(AdaptiveAnomalyDetector.score(z[100]) < 1.0);
    }

    @Test
    void nonFiniteReadingsAreInvalidAndDoNotTouchTheState() {
        final ConfiguredStage stage = ctx.open(AdaptiveAnomalyDetector.class, "warmup", 3);
        final AdaptiveAnomalyDetector detector = (AdaptiveAnomalyDetector) stage.stage();
        stage.process(TestContext.batchOf(0, 10, 12, 11, 10.5));
        final double hi = detector.upper(0);
        final double lo = detector.lower(0);
        final RecordBatch bad = TestContext.batchOf(0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        stage.process(bad);
        for (int i = 0; i < 3; i++) {
            assertEquals(RecordBatch.FLAG_INVALID, bad.flags[i], "reading " + i);
            assertTrue(Double.isNaN(bad.zScore[i]));
            assertTrue(Double.isNaN(bad.score[i]), "an invalid reading has no score");
        }
        assertEquals(4, detector.samples(0));
        assertEquals(hi, detector.upper(0));
        assertEquals(lo, detector.lower(0));
        assertEquals(0, detector.flaggedTotal());
        assertTrue(Double.isNaN(AdaptiveAnomalyDetector.score(Double.NaN)));
    }

    @Test
    void nothingIsFlaggedDuringWarmUpAndTheBoundaryIsTheNumberOfPreviousReadings() {
        final RecordBatch early = TestContext.batchOf(0, 10, 11, 10, 11, 100);
        ctx.open(AdaptiveAnomalyDetector.class, "warmup", 5).process(early);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, early.flags[i], "only " + i + " previous readings");
        }
        assertTrue(AdaptiveAnomalyDetector.score(early.zScore[4]) > 0.99, "its statistic is written all the same");
        for (int i = 0; i < 5; i++) {
            assertEquals(0.0, early.score[i], "not judged in warm-up: score 0, reading " + i);
        }
        final RecordBatch ready = TestContext.batchOf(0, 10, 11, 10, 11, 100);
        ctx.open(AdaptiveAnomalyDetector.class, "warmup", 4).process(ready);
        assertEquals(RecordBatch.FLAG_ANOMALY, ready.flags[4]);
        assertEquals(AdaptiveAnomalyDetector.score(ready.zScore[4]), ready.score[4]);
        assertEquals(0, ready.flags[1], "the second reading's jump is in warm-up");
    }

    @Test
    void afterARegimeChangeTheEnvelopeForgetsTheOldRegimeWithTheHalfLife() {
        final int halfLife = 200;
        final double[] series = new double[500 + 4 * halfLife];
        for (int i = 500; i < series.length; i++) {
            series[i] = 100; // from a constant 0 to a constant 100
        }
        final ConfiguredStage stage = ctx.open(AdaptiveAnomalyDetector.class, "halfLife", halfLife, "warmup", 10);
        final AdaptiveAnomalyDetector detector = (AdaptiveAnomalyDetector) stage.stage();
        final RecordBatch batch = new RecordBatch(1);
        double widthAfterShift = Double.NaN;
        for (int i = 0; i < series.length; i++) {
            batch.clear();
            batch.add(0, i, i, series[i]);
            stage.process(batch);
            final double width = detector.upper(0) - detector.lower(0);
            if (i == 500) {
                assertEquals(RecordBatch.FLAG_ANOMALY, batch.flags[0]);
            }
            if (i == 501) {
                // the refractory period's first reading moved the upper edge onto the new level
                widthAfterShift = width;
                assertEquals(100, widthAfterShift, 1.5); // less one reading's decay
            }
            if (i > 501 && (i - 501) % halfLife == 0) {
                final int k = (i - 501) / halfLife;
                assertEquals(widthAfterShift * Math.pow(0.5, k), width, 0.05 * widthAfterShift * Math.pow(0.5, k),
                    "width after " + k + " half-lives");
                assertTrue(detector.upper(0) <= 100 && detector.upper(0) > 99, "the new readings hold the upper edge");
            }
            if (i > 500) {
                assertEquals(0, batch.flags[0], "reading " + i + " of the new regime");
            }
        }
    }

    @Test
    void theScoreIsInTheUnitIntervalMonotoneInAbsZAndZeroInsideTheEnvelope() {
        double previous = 0;
        for (double a = 0; a < 1e7; a = a < 2 ? a + 0.001 : a * 1.01) {
            final double up = AdaptiveAnomalyDetector.score(a);
            assertEquals(up, AdaptiveAnomalyDetector.score(-a), "symmetric at " + a);
            assertTrue(up >= 0 && up < 1, "in [0, 1) at " + a);
            assertTrue(up >= previous, "non-decreasing at " + a);
            if (a > 1) {
                assertTrue(up > previous, "strictly increasing beyond the edge at " + a);
            } else {
                assertEquals(0.0, up, "inside the envelope at " + a);
            }
            previous = up;
        }
        assertEquals(0.5, AdaptiveAnomalyDetector.score(1.08), 1e-12);
        assertEquals(1.0, AdaptiveAnomalyDetector.score(Double.POSITIVE_INFINITY));
    }

    @Test
    void aRecordIsFlaggedExactlyWhenItsScoreReachesTheThresholdOutsideWarmUpAndRefractoryPeriods() {
        final SplittableRandom random = new SplittableRandom(17);
        final double[] series = new double[20_000];
        double level = 0;
        for (int i = 0; i < series.length; i++) {
            if (random.nextInt(500) == 0) {
                level += random.nextGaussian() * 20; // shifts
            }
            series[i] = level + random.nextGaussian() + (random.nextInt(300) == 0 ? 15 * random.nextGaussian() : 0);
        }
        for (final double threshold : new double[] {0.2, 0.5, 0.9}) {
            final double[] z = new double[series.length];
            final double[] score = new double[series.length];
            final ConfiguredStage stage = ctx.open(AdaptiveAnomalyDetector.class, "threshold", threshold, "warmup", 50);
            final List<Integer> flagged = flagsOf(stage, series, z, score);
            for (int i = 0; i < series.length; i++) {
                // the score column: score(z) once judged, 0 in warm-up, and the flag is exactly score >= threshold
                assertEquals(i < 50 ? 0.0 : AdaptiveAnomalyDetector.score(z[i]), score[i], "score of reading " + i);
                assertEquals(score[i] >= threshold, flagged.contains(i), "reading " + i + " score " + score[i]);
            }
            assertTrue(flagged.size() >= 3, "some flags at " + threshold + ": " + flagged.size());
            int lastFlag = -1_000_000;
            int next = 0;
            for (int i = 50; i < series.length; i++) {
                final boolean isFlagged = next < flagged.size() && flagged.get(next) == i;
                if (isFlagged) {
                    next++;
                }
                final boolean refractory = i - lastFlag <= 25;
                final double s = AdaptiveAnomalyDetector.score(z[i]);
                if (refractory) {
                    assertFalse(isFlagged);
                    assertTrue(s < 1e-9, "the envelope follows the sensor after a flag: reading " + i + " scores " + s);
                } else {
                    assertEquals(s >= threshold, isFlagged, "reading " + i + " score " + s + " threshold " + threshold);
                }
                if (isFlagged) {
                    lastFlag = i;
                }
            }
        }
    }

    @Test
    void sensorsAreIndependentAndBatchBoundariesDoNotMatter() {
        final SplittableRandom random = new SplittableRandom(18);
        final int n = 3000;
        final double[] a = concat(noise(random, n / 2, 0), noise(random, n / 2, 9));
        final double[] b = concat(noise(random, n / 3, 100), new double[] {130}, noise(random, n - n / 3 - 1, 100));
        final double[] zAlone = new double[n];
        flagsOf(ctx.open(AdaptiveAnomalyDetector.class), a, zAlone);
        // interleaved with sensor 1, in batches of 7
        final ConfiguredStage stage = ctx.open(AdaptiveAnomalyDetector.class);
        final RecordBatch batch = new RecordBatch(7);
        final double[] zMixed = new double[n];
        int ia = 0;
        int ib = 0;
        while (ia < n || ib < n) {
            batch.clear();
            final int[] index = new int[7];
            while (!batch.isFull() && (ia < n || ib < n)) {
                if (ia < n && (ib >= n || random.nextBoolean())) {
                    index[batch.size()] = ia;
                    batch.add(0, ia, ia, a[ia++]);
                } else {
                    index[batch.size()] = -1;
                    batch.add(1, ib, ib, b[ib++]);
                }
            }
            stage.process(batch);
            for (int k = 0; k < batch.size(); k++) {
                if (batch.sensor[k] == 0) {
                    zMixed[index[k]] = batch.zScore[k];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            assertEquals(zAlone[i], zMixed[i], 0.0, "reading " + i);
        }
        final AdaptiveAnomalyDetector detector = (AdaptiveAnomalyDetector) stage.stage();
        assertEquals(detector.flagged(0) + detector.flagged(1), detector.flaggedTotal());
        assertTrue(detector.flagged(1) >= 1, "the spike of sensor 1");
    }

    @Test
    void everyParameterHasFiniteBoundsThatHoldItsDefaultAndOutOfBoundsValuesAreRefused() {
        final StageType type = StageType.inspect(AdaptiveAnomalyDetector.class);
        assertEquals("adaptive", type.name());
        final List<String> names = new ArrayList<>();
        for (final ParameterSpec p : type.parameters()) {
            names.add(p.name());
            assertTrue(Double.isFinite(p.min()) && Double.isFinite(p.max()), p.name());
            assertTrue(p.min() <= p.defaultValue() && p.defaultValue() <= p.max(), p.name());
            assertTrue(p.tunable(), p.name() + " can be tuned live");
            final ConfiguredStage stage = ctx.open(AdaptiveAnomalyDetector.class);
            assertThrows(IllegalArgumentException.class, () -> stage.configure(p.name(), p.max() * 2 + 1), p.name());
            assertThrows(IllegalArgumentException.class, () -> stage.configure(p.name(), p.min() - 1), p.name());
        }
        assertEquals(List.of("threshold", "halfLife", "extension", "refractory", "warmup", "minHalfWidth"), names);
        final ConfiguredStage stage = ctx.open(AdaptiveAnomalyDetector.class);
        assertEquals(0.5, stage.parameter("threshold"));
        assertEquals(10_000, stage.parameter("halfLife"));
        assertEquals(0.5, stage.parameter("extension"));
        assertEquals(25, stage.parameter("refractory"));
        assertEquals(30, stage.parameter("warmup"));
        assertThrows(IllegalArgumentException.class, () -> stage.configure("threshold", 0.0), "0 would flag everything");
        assertThrows(IllegalArgumentException.class, () -> stage.configure("threshold", 1.0), "1 is never reached");
        assertThrows(IllegalArgumentException.class, () -> stage.configure("extension", 0.0), "0 would never learn");
        assertThrows(IllegalArgumentException.class, () -> stage.configure("halfLife", 1.5), "a whole number");
        assertNotNull(type.description());
    }

    @Test
    void aLiveThresholdChangeAppliesFromTheNextBatch() {
        final ConfiguredStage stage = ctx.open(AdaptiveAnomalyDetector.class, "warmup", 4, "refractory", 0);
        final double[] alternating = new double[200];
        for (int i = 0; i < alternating.length; i++) {
            alternating[i] = 2 * (i % 2);
        }
        stage.process(TestContext.batchOf(0, alternating)); // envelope ~[0, 2]
        final RecordBatch small = TestContext.batchOf(0, 2.1); // 5% of the width beyond the edge: score 0.56
        stage.setParameter("threshold", 0.9);
        stage.process(small);
        assertEquals(0, small.flags[0]);
        final double s = AdaptiveAnomalyDetector.score(small.zScore[0]);
        assertTrue(s > 0.5 && s < 0.9, "score " + s);
        stage.setParameter("threshold", 0.1);
        final RecordBatch again = TestContext.batchOf(0, 2.5);
        stage.process(again);
        assertEquals(RecordBatch.FLAG_ANOMALY, again.flags[0]);
    }
}
