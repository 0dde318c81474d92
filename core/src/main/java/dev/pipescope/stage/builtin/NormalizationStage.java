package dev.pipescope.stage.builtin;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.stage.Parameter;
import dev.pipescope.stage.Stage;
import dev.pipescope.stage.StageDefinition;

/**
 * Maps {@code [minVal, maxVal]} linearly to {@code [0, 1]} into the {@code normalized} column. Values
 * outside the range map outside [0, 1] unless {@code clamp} is set. A non-finite reading is flagged
 * {@link RecordBatch#FLAG_INVALID} and its normalized value left NaN, never passed off as a number.
 */
@StageDefinition(type = "normalize", description = "Normalizes record values to [0, 1] range.")
public final class NormalizationStage implements Stage {
    @Parameter(description = "Value mapped to 0.")
    volatile double minVal = 0.0;

    @Parameter(description = "Value mapped to 1.")
    volatile double maxVal = 100.0;

    @Parameter(description = "Clamp results to [0, 1].")
    volatile boolean clamp = false;

    @Override
    public void process(final RecordBatch batch) {
        final double min = minVal;
        final double scale = 1.0 / (maxVal - min);
        final boolean clampResult = clamp;
        final double[] value = batch.value;
        final double[] normalized = batch.normalized;
        final int[] flags = batch.flags;
        for (int i = 0, n = batch.size(); i < n; i++) {
            final double v = value[i];
            if (Double.isFinite(v)) {
                double x = (v - min) * scale;
                if (clampResult) {
                    x = x < 0 ? 0 : Math.min(x, 1);
                }
                normalized[i] = x;
            } else {
                normalized[i] = Double.NaN;
                flags[i] |= RecordBatch.FLAG_INVALID;
            }
        }
    }

    @Override
    public String checkChange(final String parameter, final double candidate) {
        final boolean isMin = "minVal".equals(parameter);
        if (!isMin && !"maxVal".equals(parameter)) {
            return null;
        }
        if (!Double.isFinite(candidate)) {
            // an infinite bound would normalize every finite reading to NaN or to a constant
            return parameter + " = " + candidate + " must be a finite number";
        }
        if (isMin && candidate >= maxVal) {
            return "minVal = " + candidate + " must be below maxVal = " + maxVal + " (the span must be positive)";
        }
        if (!isMin && candidate <= minVal) {
            return "maxVal = " + candidate + " must be above minVal = " + minVal + " (the span must be positive)";
        }
        final double span = isMin ? maxVal - candidate : candidate - minVal;
        if (Double.isInfinite(span)) {
            return parameter + " = " + candidate + " makes the span maxVal - minVal overflow to infinity";
        }
        return null;
    }
}
