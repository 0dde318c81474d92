package dev.pipescope.stage.builtin;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.stage.Parameter;
import dev.pipescope.stage.Stage;
import dev.pipescope.stage.StageDefinition;

/**
 * Drops readings outside {@code [minVal, maxVal]}, compacting the batch in place. NaN readings fail
 * both comparisons and are dropped too, so they never reach the arithmetic stages.
 */
@StageDefinition(type = "threshold", description = "Filters records outside [minVal, maxVal] range.")
public final class ThresholdFilter implements Stage {
    @Parameter(description = "Smallest value kept (inclusive).")
    volatile double minVal = 20.0;

    @Parameter(description = "Largest value kept (inclusive).")
    volatile double maxVal = 80.0;

    @Override
    public void process(final RecordBatch batch) {
        final double min = minVal;
        final double max = maxVal;
        final double[] value = batch.value;
        final int size = batch.size();
        // Runs of kept records are moved a column at a time (one bulk copy each) rather than record by record:
        // drops are rare, so a batch is a few long runs, and copying a record's eleven columns one by one was
        // half of this stage's time. The run before the first drop is already in place.
        int kept = 0;
        int i = 0;
        while (i < size) {
            final int start = i;
            while (i < size && value[i] >= min && value[i] <= max) {
                i++;
            }
            final int run = i - start;
            if (run != 0 && start != kept) {
                batch.moveRecords(start, kept, run);
            }
            kept += run;
            while (i < size && !(value[i] >= min && value[i] <= max)) {
                i++;
            }
        }
        batch.size(kept);
    }

    @Override
    public String checkChange(final String parameter, final double candidate) {
        if ("minVal".equals(parameter) && candidate > maxVal) {
            return "minVal = " + candidate + " must not exceed maxVal = " + maxVal;
        }
        if ("maxVal".equals(parameter) && candidate < minVal) {
            return "maxVal = " + candidate + " must not be below minVal = " + minVal;
        }
        return null;
    }
}
