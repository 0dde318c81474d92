package dev.pipescope.cli;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.stage.Parameter;
import dev.pipescope.stage.Stage;
import dev.pipescope.stage.StageDefinition;

/**
 * A test stage type ({@code explode}) that breaks the stage contract on purpose: it throws on its
 * {@code failOnBatch}-th batch. Found through this module's test {@code META-INF/services}, so configs of
 * in-process tests can name it; the packaged program does not contain it.
 */
@StageDefinition(type = "explode", description = "Passes batches through, and throws on batch failOnBatch.")
public final class ExplodingStage implements Stage {
    /** What it throws. */
    public static final String MESSAGE = "exploded as configured";

    @Parameter(description = "The batch (1-based, this stage's count) on which to throw.", min = 1,
        max = Long.MAX_VALUE, tunable = false)
    long failOnBatch = 3;

    private long batches;

    @Override
    public void process(final RecordBatch batch) {
        if (++batches == failOnBatch) {
            throw new IllegalStateException(MESSAGE + " on batch " + batches);
        }
    }
}
