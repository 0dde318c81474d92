package dev.pipescope.stage.builtin;

import dev.pipescope.batch.RecordBatch;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The detector computes in three passes (statistics, vectorizable scoring, settling) for speed; this holds
 * it to the one-loop-per-record form it replaced, bit for bit: z-scores, scores, flags and the per-sensor
 * state, on inputs that reach every case (warm-up, constant sensors, non-finite readings, huge values,
 * infinite z, batches of every size).
 */
class AnomalyDetectorEquivalenceTest {
    private static final int SENSORS = 7;

    /** The detector as one loop per record, as it was written before the passes. */
    private static final class OneLoopReference {
        final long[] count = new long[SENSORS];
        final long[] flagged = new long[SENSORS];
        final double[] mean = new double[SENSORS];
        final double[] m2 = new double[SENSORS];
        long flaggedTotal;

        void process(final RecordBatch batch, final double threshold, final long warm, final double minStdev) {
            final double maxInverseStdev = 1.0 / minStdev;
            for (int i = 0, n = batch.size(); i < n; i++) {
                final double v = batch.value[i];
                if (!Double.isFinite(v)) {
                    batch.flags[i] |= RecordBatch.FLAG_INVALID;
                    batch.zScore[i] = Double.NaN;
                    batch.score[i] = Double.NaN;
                    continue;
                }
                final int s = batch.sensor[i];
                final long c = count[s];
                final double mu = mean[s];
                if (c >= 2) {
                    final double inverseStdev = Math.min(Math.sqrt((c - 1) / m2[s]), maxInverseStdev);
                    final double z = (v - mu) * inverseStdev;
                    batch.zScore[i] = z;
                    if (c >= warm) {
                        final double a = Math.abs(z);
                        batch.score[i] = a == Double.POSITIVE_INFINITY ? 1.0 : a / (a + threshold);
                        if (a > threshold) {
                            batch.flags[i] |= RecordBatch.FLAG_ANOMALY;
                            flagged[s]++;
                            flaggedTotal++;
                        }
                    } else {
                        batch.score[i] = 0.0;
                    }
                } else {
                    batch.zScore[i] = 0.0;
                    batch.score[i] = 0.0;
                }
                final long next = c + 1;
                final double d = v - mu;
                final double newMean = mu + d / next;
                count[s] = next;
                mean[s] = newMean;
                m2[s] += d * (v - newMean);
            }
        }
    }

    private static double reading(final SplittableRandom random, final int sensor, final long sequence) {
        if (sensor == 0 && sequence == 100_000) {
            // on the constant sensor (m2 = 0, so 1/stdev is the floor's 1e6) a jump of 1e303 scores z = +inf
            return 1e303;
        }
        final int kind = random.nextInt(1000);
        if (kind < 3) {
            return Double.NaN;
        }
        if (kind < 5) {
            return random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        }
        if (kind < 8 && sensor == SENSORS - 1) {
            // the sensor's m2 overflows to infinity: 1/stdev is 0 from then on
            return (random.nextBoolean() ? 1 : -1) * 1e308;
        }
        if (sensor == 0) {
            return 5.0; // constant: m2 stays 0, the floor on the standard deviation decides
        }
        if (kind < 30) {
            return 20.0 + random.nextGaussian() * 50; // spikes
        }
        if (sensor == 1 && kind < 500) {
            return -0.0;
        }
        return 20.0 + sensor + random.nextGaussian() * (0.5 + sensor);
    }

    private static void assertSameBits(final double expected, final double actual, final String what) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
            () -> what + ": expected " + expected + ", was " + actual);
    }

    @Test
    void threePassesEqualTheOneLoopBitForBit() {
        final TestContext ctx = new TestContext(SENSORS);
        final double threshold = 2.0;
        final int warm = 12;
        final double minStdev = 1e-6;
        final AnomalyDetector detector = (AnomalyDetector) ctx.open(AnomalyDetector.class,
            "zThreshold", threshold, "warmup", warm, "minStdev", minStdev).stage();
        final OneLoopReference reference = new OneLoopReference();
        final SplittableRandom random = new SplittableRandom(20261202L);
        final int capacity = 1024;
        final RecordBatch ours = new RecordBatch(capacity);
        final RecordBatch theirs = new RecordBatch(capacity);
        long sequence = 0;
        long infiniteZ = 0;
        long invalid = 0;
        for (int b = 0; b < 400; b++) {
            final int size = b < 40 ? b : random.nextInt(capacity + 1);
            ours.clear();
            theirs.clear();
            for (int i = 0; i < size; i++) {
                final int s = sequence == 100_000 ? 0 : random.nextInt(10) < 7 ? i % SENSORS : random.nextInt(SENSORS);
                final double v = reading(random, s, sequence);
                ours.add(s, sequence, sequence, v);
                theirs.add(s, sequence, sequence, v);
                sequence++;
            }
            detector.process(ours);
            reference.process(theirs, threshold, warm, minStdev);
            for (int i = 0; i < size; i++) {
                final String at = "batch " + b + " record " + i;
                assertSameBits(theirs.zScore[i], ours.zScore[i], "zScore, " + at);
                assertSameBits(theirs.score[i], ours.score[i], "score, " + at);
                assertEquals(theirs.flags[i], ours.flags[i], "flags, " + at);
                infiniteZ += Math.abs(theirs.zScore[i]) == Double.POSITIVE_INFINITY ? 1 : 0;
                invalid += (theirs.flags[i] & RecordBatch.FLAG_INVALID) != 0 ? 1 : 0;
            }
        }
        for (int s = 0; s < SENSORS; s++) {
            assertEquals(reference.count[s], detector.samples(s), "samples of sensor " + s);
            assertSameBits(reference.mean[s], detector.mean(s), "mean of sensor " + s);
            assertEquals(reference.flagged[s], detector.flagged(s), "flagged of sensor " + s);
        }
        assertEquals(reference.flaggedTotal, detector.flaggedTotal());
        // the inputs reached the rare cases, or the comparison above proved less than it claims
        assertTrue(reference.flaggedTotal > 1000, "flagged: " + reference.flaggedTotal);
        assertEquals(1, infiniteZ, "infinite z-scores");
        assertTrue(invalid > 100, "invalid readings: " + invalid);
    }
}
