package dev.pipescope.stage.builtin;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.stage.Parameter;
import dev.pipescope.stage.AnomalyStage;
import dev.pipescope.stage.StageContext;
import dev.pipescope.stage.StageDefinition;

/**
 * Flags statistical anomalies per sensor with a z-score against that sensor's running mean and
 * standard deviation (Welford's algorithm, carried across batches). Each reading is scored against the
 * statistics of the readings before it, so a spike cannot hide itself; no reading is flagged until the
 * sensor has {@code warmup} readings. The z-score goes to the {@code zScore} column and flagged records
 * get {@link RecordBatch#FLAG_ANOMALY}. Non-finite readings are flagged invalid and not counted.
 *
 * <p>The {@code score} column gets {@link #score(double, double)}: {@code |z| / (|z| + zThreshold)}, a
 * monotone map of {@code |z|} into [0, 1) that is 0.5 at the threshold, so a record is flagged exactly when
 * its score is above 0.5 whatever {@code zThreshold} is (changing it rescales the scores; in floating point a
 * flagged record scores at least 0.5 and an unflagged one at most 0.5, exactly 0.5 only within rounding of
 * the threshold). A sensor's
 * readings before its warm-up ends are not judged and score 0, like its first two, whose {@code zScore} is
 * 0; an invalid reading's score is {@code NaN}.
 */
@StageDefinition(type = "anomaly", description = "Detects statistical anomalies using z-score threshold.")
public final class AnomalyDetector implements AnomalyStage {
    // marks a non-finite reading in the count column, below every real count minus one (-1 for none yet)
    private static final double INVALID = -2.0;

    @Parameter(description = "Absolute z-score above which a reading is an anomaly (below 1 most readings would be).",
        min = 1.0, max = 1000.0)
    volatile double zThreshold = 2.5;

    @Parameter(description = "Readings a sensor needs before its readings can be flagged.", min = 2, max = 1_000_000)
    volatile int warmup = 30;

    @Parameter(description = "Floor on the standard deviation, so a constant sensor's jump scores finite.",
        min = 1e-12, max = 1e6)
    volatile double minStdev = 1e-9;

    // counts as doubles (exact below 2^53 readings): the update and the scores use them as doubles, and a
    // long count cost two conversions per record
    private double[] count = new double[0];
    private long[] flagged = new long[0];
    private long flaggedTotal;
    private double[] mean = new double[0];
    private double[] m2 = new double[0];
    // per record of the batch in process: its sensor's count before it, minus one (or INVALID)
    private double[] previousCountLessOne = new double[0];

    /**
     * The anomaly score of a z-score against a threshold: {@code |z| / (|z| + zThreshold)}, 0 at
     * {@code z = 0}, 0.5 at {@code |z| = zThreshold}, towards 1 (1 for an infinite {@code z}).
     *
     * @param z          a z-score.
     * @param zThreshold the threshold, positive.
     * @return the score in [0, 1], NaN for a NaN {@code z}.
     */
    public static double score(final double z, final double zThreshold) {
        final double a = Math.abs(z);
        return a == Double.POSITIVE_INFINITY ? 1.0 : a / (a + zThreshold);
    }

    @Override
    public void open(final StageContext context) {
        final int sensors = context.registry().capacity();
        count = new double[sensors];
        flagged = new long[sensors];
        mean = new double[sensors];
        m2 = new double[sensors];
    }

    @Override
    public void process(final RecordBatch batch) {
        final int n = batch.size();
        if (previousCountLessOne.length < n) {
            // grows with the largest batch seen, once: a pipeline's batches never outgrow their capacity
            previousCountLessOne = new double[batch.capacity()];
        }
        // Three passes instead of one loop, bit for bit the same results: the two divisions and the square
        // root per record do not depend on each other across records once each record's statistics before
        // it are known, so only the Welford update (with its one division) stays sequential; the scoring
        // pass has no branch and compiles to vector divisions and square roots, and the rare cases (warm-up,
        // infinite z, invalid readings, flags) are settled in a last pass.
        // the parameters read once, so a write through JMX takes effect between batches, never inside one
        final double threshold = zThreshold;
        captureStatisticsAndUpdate(batch, n);
        scoreAll(batch, n, threshold, 1.0 / minStdev);
        settle(batch, n, threshold, warmup - 1);
    }

    /**
     * Stores each record's sensor statistics before it (mean in {@code zScore}, m2 in {@code score}, count
     * minus one in the scratch column, {@link #INVALID} there for a non-finite reading) and updates them.
     */
    private void captureStatisticsAndUpdate(final RecordBatch batch, final int n) {
        final int[] sensor = batch.sensor;
        final double[] value = batch.value;
        final double[] meanBefore = batch.zScore;
        final double[] m2Before = batch.score;
        final double[] countLessOne = previousCountLessOne;
        // The state arrays in locals: read through the fields, the loop reloaded them per record (measured:
        // 19.8 µs per batch of 1024 instead of 9.6, more than all the divisions cost).
        final double[] count = this.count;
        final double[] mean = this.mean;
        final double[] m2 = this.m2;
        for (int i = 0; i < n; i++) {
            final double v = value[i];
            if (!Double.isFinite(v)) {
                countLessOne[i] = INVALID;
                continue;
            }
            final int s = sensor[i];
            final double c = count[s];
            final double mu = mean[s];
            final double m = m2[s];
            meanBefore[i] = mu;
            m2Before[i] = m;
            countLessOne[i] = c - 1;
            final double next = c + 1;
            final double d = v - mu;
            final double newMean = mu + d / next;
            count[s] = next;
            mean[s] = newMean;
            m2[s] = m + d * (v - newMean);
        }
    }

    /**
     * z = (v - mu) / max(stdev, floor) with one division instead of two, 1/stdev = sqrt((c-1)/m2), and the
     * score |z| / (|z| + threshold), for every record: meaningless where {@link #settle} overrides it.
     */
    private void scoreAll(final RecordBatch batch, final int n, final double threshold, final double maxInverseStdev) {
        final double[] value = batch.value;
        final double[] zScore = batch.zScore;
        final double[] score = batch.score;
        final double[] countLessOne = previousCountLessOne;
        for (int i = 0; i < n; i++) {
            final double inverseStdev = Math.min(Math.sqrt(countLessOne[i] / score[i]), maxInverseStdev);
            final double z = (value[i] - zScore[i]) * inverseStdev;
            final double a = Math.abs(z);
            zScore[i] = z;
            score[i] = a / (a + threshold);
        }
    }

    /** Invalid readings, the first two of a sensor, its warm-up, an infinite z; flags and their counts. */
    private void settle(final RecordBatch batch, final int n, final double threshold, final double warmLessOne) {
        final int[] sensor = batch.sensor;
        final double[] zScore = batch.zScore;
        final double[] score = batch.score;
        final int[] flags = batch.flags;
        final double[] countLessOne = previousCountLessOne;
        final long[] flagged = this.flagged;
        long flaggedNow = 0;
        for (int i = 0; i < n; i++) {
            final double c1 = countLessOne[i];
            if (c1 >= warmLessOne) {
                final double a = Math.abs(zScore[i]);
                if (a > threshold) {
                    // a > threshold <=> a / (a + threshold) > 0.5; the flag keeps the lecture's comparison
                    if (a == Double.POSITIVE_INFINITY) {
                        score[i] = 1.0;
                    }
                    flags[i] |= RecordBatch.FLAG_ANOMALY;
                    flagged[sensor[i]]++;
                    flaggedNow++;
                }
            } else if (c1 >= 1.0) {
                score[i] = 0.0;
            } else if (c1 != INVALID) {
                zScore[i] = 0.0;
                score[i] = 0.0;
            } else {
                flags[i] |= RecordBatch.FLAG_INVALID;
                zScore[i] = Double.NaN;
                score[i] = Double.NaN;
            }
        }
        flaggedTotal += flaggedNow;
    }

    /**
     * @param sensorId a sensor.
     * @return readings of that sensor flagged as anomalies since start. Processing thread only.
     */
    public long flagged(final int sensorId) {
        return flagged[sensorId];
    }

    /** @return readings flagged as anomalies since start. Processing thread only. */
    @Override
    public long flaggedTotal() {
        return flaggedTotal;
    }

    /**
     * @param sensorId a sensor.
     * @return readings seen for it.
     */
    public long samples(final int sensorId) {
        return (long) count[sensorId];
    }

    /**
     * @param sensorId a sensor.
     * @return its running mean.
     */
    public double mean(final int sensorId) {
        return mean[sensorId];
    }

    /**
     * @param sensorId a sensor.
     * @return the sample variance of its readings so far ({@code m2 / (n - 1)}, Welford), NaN before two.
     */
    public double variance(final int sensorId) {
        final double n = count[sensorId];
        return n < 2 ? Double.NaN : m2[sensorId] / (n - 1);
    }

    /**
     * @param sensorId a sensor.
     * @return the sample standard deviation of its readings so far, NaN before two; a z-score divides by
     *     this or {@link #minStdev()}, whichever is larger.
     */
    public double stdev(final int sensorId) {
        return Math.sqrt(variance(sensorId));
    }

    /** @return the floor on the standard deviation a z-score divides by (the {@code minStdev} parameter). */
    public double minStdev() {
        return minStdev;
    }
}
