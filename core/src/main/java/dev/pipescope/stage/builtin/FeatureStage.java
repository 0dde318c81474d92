package dev.pipescope.stage.builtin;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.stage.Parameter;
import dev.pipescope.stage.Stage;
import dev.pipescope.stage.StageContext;
import dev.pipescope.stage.StageDefinition;

import java.util.Arrays;

/**
 * Per-sensor features carried across batches: an exponentially weighted mean of the value
 * ({@code ewma}) and the change since the sensor's previous reading ({@code delta}, NaN for a sensor's
 * first reading). Non-finite readings are flagged and leave the sensor's state untouched.
 */
@StageDefinition(type = "feature", description = "Computes per-sensor EWMA and change since the last reading.")
public final class FeatureStage implements Stage {
    @Parameter(description = "Weight of the newest reading in the exponentially weighted mean.", min = 0.0001, max = 1.0)
    volatile double alpha = 0.2;

    private double[] mean = new double[0];
    private double[] last = new double[0];

    @Override
    public void open(final StageContext context) {
        final int sensors = context.registry().capacity();
        mean = new double[sensors];
        last = new double[sensors];
        Arrays.fill(mean, Double.NaN);
        Arrays.fill(last, Double.NaN);
    }

    @Override
    public void process(final RecordBatch batch) {
        final double a = alpha;
        final int[] sensor = batch.sensor;
        final double[] value = batch.value;
        final double[] ewma = batch.ewma;
        final double[] delta = batch.delta;
        final int[] flags = batch.flags;
        final double[] mean = this.mean;
        final double[] last = this.last;
        for (int i = 0, n = batch.size(); i < n; i++) {
            final double v = value[i];
            final int s = sensor[i];
            if (!Double.isFinite(v)) {
                flags[i] |= RecordBatch.FLAG_INVALID;
                ewma[i] = mean[s];
                delta[i] = Double.NaN;
                continue;
            }
            final double previous = last[s];
            final double m = Double.isNaN(mean[s]) ? v : mean[s] + a * (v - mean[s]);
            mean[s] = m;
            last[s] = v;
            ewma[i] = m;
            delta[i] = v - previous;
        }
    }
}
