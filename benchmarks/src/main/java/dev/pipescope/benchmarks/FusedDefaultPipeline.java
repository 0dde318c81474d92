package dev.pipescope.benchmarks;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.calibration.CalibrationService;
import dev.pipescope.calibration.Calibration;

import java.util.Arrays;

/**
 * The limit the default pipeline is measured against: one hand-written loop doing exactly the arithmetic of
 * {@code PipelineDefinition.defaults()} with every stage at its default parameters (threshold 20..80,
 * calibrate with gains and offsets looked up once, normalize 0..100, feature with {@code alpha = 0.2},
 * adaptive), in one pass over the batch, with no stage boundaries, no cache, no breaker, no timing and no
 * counters.
 *
 * <p>Its output is bit-identical to the pipeline's, column by column, as long as the calibration service
 * answers every sensor with the same gain and offset for the whole run (the simulated one does), and the
 * readings stay in [20, 80] after threshold (no reading is invalid): {@code FusedLoopEquivalenceTest}
 * compares both over 20 million records. The adaptive detector's arithmetic is repeated here expression for
 * expression, because a reassociated sum would round differently.
 *
 * <p>Not part of the product: it is what a user would write who gave up stages, tuning and observability
 * for speed, so {@code pipeline ÷ fused} in one run says what those cost.
 */
public final class FusedDefaultPipeline {
    private static final double MIN = 20.0;
    private static final double MAX = 80.0;
    private static final double NORMALIZE_MIN = 0.0;
    private static final double NORMALIZE_SCALE = 1.0 / (100.0 - NORMALIZE_MIN);
    private static final double ALPHA = 0.2;
    private static final double THRESHOLD = 0.5;
    private static final double EXTENSION = 0.5;
    private static final double FLOOR = 1e-9;
    private static final long WARMUP = 30;
    private static final int REFRACTORY = 25;
    private static final double SCORE_HALF_Z_EXCESS = 0.08;
    private static final double DECAY = 1.0 - Math.pow(0.5, 2.0 / 10_000);

    private final double[] gain;
    private final double[] offset;
    private final double[] mean;
    private final double[] last;
    private final long[] count;
    private final double[] upper;
    private final double[] lower;
    private final int[] quiet;

    /**
     * @param sensorCapacity the registry's capacity (sensor ids are below it).
     * @param service        asked once per sensor for its gain and offset; a sensor it fails passes as
     *                       gain 1, offset 0 (the benchmark's service never fails).
     */
    public FusedDefaultPipeline(final int sensorCapacity, final CalibrationService service) {
        gain = new double[sensorCapacity];
        offset = new double[sensorCapacity];
        final Calibration c = new Calibration();
        for (int s = 0; s < sensorCapacity; s++) {
            c.set(1.0, 0.0);
            service.fetch(s, c);
            gain[s] = c.gain();
            offset[s] = c.offset();
        }
        mean = new double[sensorCapacity];
        last = new double[sensorCapacity];
        Arrays.fill(mean, Double.NaN);
        Arrays.fill(last, Double.NaN);
        count = new long[sensorCapacity];
        upper = new double[sensorCapacity];
        lower = new double[sensorCapacity];
        quiet = new int[sensorCapacity];
    }

    /**
     * Filters, calibrates, normalizes, computes features and scores the batch in place, in one pass.
     *
     * @param batch the batch; compacted to the records kept.
     */
    public void process(final RecordBatch batch) {
        final int[] sensor = batch.sensor;
        final long[] timestamp = batch.timestamp;
        final long[] sequence = batch.sequence;
        final double[] raw = batch.raw;
        final double[] value = batch.value;
        final double[] normalized = batch.normalized;
        final double[] ewma = batch.ewma;
        final double[] delta = batch.delta;
        final double[] zScore = batch.zScore;
        final double[] score = batch.score;
        final int[] flags = batch.flags;
        final double[] gain = this.gain;
        final double[] offset = this.offset;
        final double[] mean = this.mean;
        final double[] last = this.last;
        final long[] count = this.count;
        final double[] upper = this.upper;
        final double[] lower = this.lower;
        final int[] quiet = this.quiet;
        int kept = 0;
        for (int i = 0, n = batch.size(); i < n; i++) {
            final double in = value[i];
            if (!(in >= MIN && in <= MAX)) {
                continue;
            }
            final int s = sensor[i];
            final int k = kept++;
            sensor[k] = s;
            timestamp[k] = timestamp[i];
            sequence[k] = sequence[i];
            raw[k] = raw[i];
            // calibrate
            final double v = in * gain[s] + offset[s];
            value[k] = v;
            int f = flags[i] | RecordBatch.FLAG_CALIBRATED;
            // normalize
            normalized[k] = (v - NORMALIZE_MIN) * NORMALIZE_SCALE;
            // feature
            final double previous = last[s];
            final double m = Double.isNaN(mean[s]) ? v : mean[s] + ALPHA * (v - mean[s]);
            mean[s] = m;
            last[s] = v;
            ewma[k] = m;
            delta[k] = v - previous;
            // adaptive
            final long c = count[s];
            count[s] = c + 1;
            if (c == 0) {
                upper[s] = v;
                lower[s] = v;
                zScore[k] = 0.0;
                score[k] = 0.0;
                flags[k] = f;
                continue;
            }
            double hi = upper[s];
            double lo = lower[s];
            int q = quiet[s];
            if (q > 0) {
                q--;
                if (v > hi) {
                    hi = v;
                } else if (v < lo) {
                    lo = v;
                }
            }
            final double mid = 0.5 * (hi + lo);
            final double z = (v - mid) / Math.max(0.5 * (hi - lo), FLOOR);
            zScore[k] = z;
            final double x = Math.abs(z) - 1.0;
            final double sc = x > 0 ? (x == Double.POSITIVE_INFINITY ? 1.0 : x / (x + SCORE_HALF_Z_EXCESS)) : 0.0;
            final boolean judged = c >= WARMUP;
            score[k] = judged ? sc : 0.0;
            if (q == 0 && judged && sc >= THRESHOLD) {
                f |= RecordBatch.FLAG_ANOMALY;
                q = REFRACTORY;
            }
            quiet[s] = q;
            flags[k] = f;
            if (v > hi) {
                hi += EXTENSION * (v - hi);
            } else if (v < lo) {
                lo += EXTENSION * (v - lo);
            }
            final double center = 0.5 * (hi + lo);
            upper[s] = hi - DECAY * (hi - center);
            lower[s] = lo - DECAY * (lo - center);
        }
        batch.size(kept);
    }
}
