package dev.pipescope.scenarios.plugins;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.stage.Parameter;
import dev.pipescope.stage.Stage;
import dev.pipescope.stage.StageDefinition;

/** A user's stage that blocks once (a lock, a remote call hanging) for blockMs at one batch. */
@StageDefinition(type = "blocker", description = "Test plugin: blocks for blockMs at batch atBatch, once.")
public final class BlockingStage implements Stage {
    @Parameter(description = "The batch that blocks.", min = 1, tunable = false)
    long atBatch = 100;

    @Parameter(description = "How long it blocks.", min = 0, max = 600_000, unit = "ms", tunable = false)
    long blockMs = 8_000;

    private long batches;

    @Override
    public void process(final RecordBatch batch) {
        if (++batches == atBatch) {
            try {
                Thread.sleep(blockMs);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
