package dev.pipescope.stage.builtin;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.stage.AnomalyStage;
import dev.pipescope.stage.Parameter;
import dev.pipescope.stage.StageContext;
import dev.pipescope.stage.StageDefinition;

/**
 * Flags readings that leave a sensor's <em>forgetting envelope</em>: a band {@code [lower, upper]} that
 * holds the sensor's recent range, learnt online in O(1) per reading and without allocation.
 *
 * <p>Per reading of a sensor, in this order:
 * <ol>
 *   <li><b>Judge.</b> With {@code mid = (upper + lower) / 2} and
 *       {@code half = max((upper - lower) / 2, minHalfWidth)}, the statistic written to the {@code zScore}
 *       column is {@code z = (value - mid) / half}: the reading's position in the envelope, {@code |z| <= 1}
 *       inside it, {@code |z| > 1} beyond it. Its anomaly score, written to the {@code score} column, is
 *       {@link #score(double)}, a fixed monotone map of {@code |z|} into [0, 1): 0 inside the envelope, 0.5
 *       at 4% of the envelope's width beyond its edge ({@code |z| = 1.08}), tending to 1. A reading is
 *       flagged {@link RecordBatch#FLAG_ANOMALY} when its score is at least {@code threshold}, the sensor
 *       has had {@code warmup} readings, and the sensor is not in its refractory period (where every
 *       reading is inside the envelope, so its score is 0 or a rounding error above it). A sensor's
 *       readings before its warm-up ends are not judged and score 0 (their {@code zScore} is written all
 *       the same), so for every record, flagged exactly when {@code score >= threshold}.</li>
 *   <li><b>Learn, robustly.</b> A reading beyond the envelope moves the crossed edge only
 *       {@code extension} of the way to it (0.5: half), so one extreme reading does not set the range at
 *       full weight; a new level that persists is taken in geometrically (the gap halves per reading).</li>
 *   <li><b>Forget.</b> Both edges then decay towards the envelope's middle, so an old excursion or an old
 *       regime stops widening it. The rate is set by {@code halfLife}: after a regime change, the edge left
 *       at the old regime closes on the new one with a half-life of {@code halfLife} readings (the other
 *       edge is held by the new readings); an envelope that no reading holds at either edge narrows twice
 *       as fast.</li>
 * </ol>
 *
 * <p><b>One event, one flag.</b> A flag starts a refractory period of {@code refractory} readings in which
 * the envelope <em>follows</em> the sensor: before each such reading is judged, an edge it crosses is
 * moved onto it, so the reading is judged inside the envelope ({@code |z| <= 1}, score 0). A sensor that
 * jumps to a new level is therefore one anomaly and the new level becomes its baseline, instead of a
 * thousand flags while statistics catch up; a lone spike is one flag and widens the envelope by only
 * {@code extension} of its size, which the half-life then forgets.
 *
 * <p>A sensor whose envelope collapsed (a constant sensor) has {@code half = minHalfWidth}, so any change is
 * a very large finite {@code z}; non-finite readings are flagged {@link RecordBatch#FLAG_INVALID}, get a
 * {@code NaN} statistic and score and do not touch the state. The first reading of a sensor opens its envelope at
 * that value ({@code z = 0}).
 *
 * <p>Why an envelope rather than a z-score against a mean and standard deviation: on the Numenta Anomaly
 * Benchmark (NAB), whose labelled anomalies are mostly readings outside what the sensor did recently, this
 * design scores far better than robust EWMA z-scores, which keep flagging the normal bursts of noisy
 * sensors (perf-reports/anomaly-eval/ has the figures and the script that reproduces them). It does not
 * see anomalies inside the sensor's recent range (a changed rhythm within the usual levels).
 *
 * <p>Per-sensor state is five primitive arrays sized by the registry's capacity at {@link #open}.
 */
@StageDefinition(type = "adaptive",
    description = "Flags readings outside a forgetting, outlier-robust envelope of each sensor's recent range.")
public final class AdaptiveAnomalyDetector implements AnomalyStage {
    /** Beyond the envelope's edge, the fraction of its width at which {@link #score(double)} is 0.5. */
    public static final double SCORE_HALF_EXCESS = 0.04;
    private static final double SCORE_HALF_Z_EXCESS = 2 * SCORE_HALF_EXCESS;

    @Parameter(description = "Anomaly score (0 inside the envelope, 0.5 at 4% of its width beyond it, towards 1) "
        + "from which a reading is flagged.", min = 0.01, max = 0.999)
    volatile double threshold = 0.5;

    @Parameter(description = "Readings in which the envelope's excess over the sensor's new range halves after a "
        + "regime change.", min = 4, max = 1_000_000_000, unit = "readings")
    volatile int halfLife = 10_000;

    @Parameter(description = "Fraction of its excess by which a reading beyond the envelope extends it "
        + "(1 = at full weight).", min = 0.01, max = 1.0)
    volatile double extension = 0.5;

    @Parameter(description = "Readings after a flag during which the envelope follows the sensor and nothing "
        + "is flagged.", min = 0, max = 1_000_000, unit = "readings")
    volatile int refractory = 25;

    @Parameter(description = "Readings a sensor needs before its readings can be flagged.", min = 1,
        max = 1_000_000, unit = "readings")
    volatile int warmup = 30;

    @Parameter(description = "Floor on the envelope's half-width, so a constant sensor's change scores finite.",
        min = 1e-300, max = 1e12)
    volatile double minHalfWidth = 1e-9;

    private long[] count = new long[0];
    private long[] flagged = new long[0];
    private double[] upper = new double[0];
    private double[] lower = new double[0];
    private int[] quiet = new int[0];
    private long flaggedTotal;
    private int cachedHalfLife = -1;
    private double cachedDecay;

    /**
     * The anomaly score of a statistic written by this stage: 0 for {@code |z| <= 1} (inside the envelope),
     * {@code x / (x + 0.08)} with {@code x = |z| - 1} beyond it — strictly increasing in {@code |z|}, 0.5
     * at {@code |z| = 1.08}, below 1 for every finite {@code z} that is not huge (1 for an infinite one).
     *
     * @param z the statistic from the {@code zScore} column.
     * @return its score in [0, 1], or NaN for a NaN statistic (an invalid reading).
     */
    public static double score(final double z) {
        final double x = Math.abs(z) - 1.0;
        if (x > 0) {
            return x == Double.POSITIVE_INFINITY ? 1.0 : x / (x + SCORE_HALF_Z_EXCESS);
        }
        return x <= 0 ? 0.0 : Double.NaN;
    }

    @Override
    public void open(final StageContext context) {
        final int sensors = context.registry().capacity();
        count = new long[sensors];
        flagged = new long[sensors];
        upper = new double[sensors];
        lower = new double[sensors];
        quiet = new int[sensors];
    }

    @Override
    public void process(final RecordBatch batch) {
        final double t = threshold;
        final double ext = extension;
        final double floor = minHalfWidth;
        final long warm = warmup;
        final int rest = refractory;
        final double decay = decay(halfLife);
        final int[] sensor = batch.sensor;
        final double[] value = batch.value;
        final double[] zScore = batch.zScore;
        final double[] score = batch.score;
        final int[] flags = batch.flags;
        final long[] count = this.count;
        final double[] upper = this.upper;
        final double[] lower = this.lower;
        final int[] quiet = this.quiet;
        final long[] flagged = this.flagged;
        long flaggedNow = 0;
        for (int i = 0, n = batch.size(); i < n; i++) {
            final double v = value[i];
            if (!Double.isFinite(v)) {
                flags[i] |= RecordBatch.FLAG_INVALID;
                zScore[i] = Double.NaN;
                score[i] = Double.NaN;
                continue;
            }
            final int s = sensor[i];
            final long c = count[s];
            count[s] = c + 1;
            if (c == 0) {
                upper[s] = v;
                lower[s] = v;
                zScore[i] = 0.0;
                score[i] = 0.0;
                continue;
            }
            double hi = upper[s];
            double lo = lower[s];
            int q = quiet[s];
            if (q > 0) {
                // refractory: the envelope follows the sensor, so this reading is judged inside it
                q--;
                if (v > hi) {
                    hi = v;
                } else if (v < lo) {
                    lo = v;
                }
            }
            final double mid = 0.5 * (hi + lo);
            final double z = (v - mid) / Math.max(0.5 * (hi - lo), floor);
            zScore[i] = z;
            // score(z), inlined: a division only for a reading beyond the envelope, which is rare
            final double x = Math.abs(z) - 1.0;
            final double sc = x > 0 ? (x == Double.POSITIVE_INFINITY ? 1.0 : x / (x + SCORE_HALF_Z_EXCESS)) : 0.0;
            final boolean judged = c >= warm;
            score[i] = judged ? sc : 0.0;
            if (q == 0 && judged && sc >= t) {
                flags[i] |= RecordBatch.FLAG_ANOMALY;
                flagged[s]++;
                flaggedNow++;
                q = rest;
            }
            quiet[s] = q;
            if (v > hi) {
                hi += ext * (v - hi);
            } else if (v < lo) {
                lo += ext * (v - lo);
            }
            final double center = 0.5 * (hi + lo);
            upper[s] = hi - decay * (hi - center);
            lower[s] = lo - decay * (lo - center);
        }
        flaggedTotal += flaggedNow;
    }

    private double decay(final int readings) {
        if (readings != cachedHalfLife) {
            // each edge moves a fraction d of its distance to the middle: with one edge held, the width
            // shrinks by d/2 per reading, so d = 1 - 0.5^(2/halfLife) halves it in halfLife readings
            cachedDecay = 1.0 - Math.pow(0.5, 2.0 / readings);
            cachedHalfLife = readings;
        }
        return cachedDecay;
    }

    /** @return readings flagged as anomalies since start. Processing thread only. */
    @Override
    public long flaggedTotal() {
        return flaggedTotal;
    }

    /**
     * @param sensorId a sensor.
     * @return readings of that sensor flagged as anomalies since start. Processing thread only.
     */
    public long flagged(final int sensorId) {
        return flagged[sensorId];
    }

    /**
     * @param sensorId a sensor.
     * @return finite readings seen for it.
     */
    public long samples(final int sensorId) {
        return count[sensorId];
    }

    /**
     * @param sensorId a sensor.
     * @return the upper edge of its envelope (after its last reading).
     */
    public double upper(final int sensorId) {
        return upper[sensorId];
    }

    /**
     * @param sensorId a sensor.
     * @return the lower edge of its envelope (after its last reading).
     */
    public double lower(final int sensorId) {
        return lower[sensorId];
    }

    /**
     * @param sensorId a sensor.
     * @return readings left in its refractory period.
     */
    public int refractoryLeft(final int sensorId) {
        return quiet[sensorId];
    }
}
