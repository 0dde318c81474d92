package dev.pipescope.scenarios.plugins;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.stage.Parameter;
import dev.pipescope.stage.Stage;
import dev.pipescope.stage.StageDefinition;

import java.util.concurrent.locks.LockSupport;

/** A user's stage that becomes slow for good from one batch on (it sleeps on every batch). */
@StageDefinition(type = "sleeper", description = "Test plugin: sleeps sleepMicros per batch in [fromBatch, toBatch].")
public final class SleepingStage implements Stage {
    @Parameter(description = "First slow batch.", min = 1, tunable = false)
    long fromBatch = 1;

    @Parameter(description = "Last slow batch.", min = 1, tunable = false)
    long toBatch = Long.MAX_VALUE;

    @Parameter(description = "Sleep per batch.", min = 0, max = 1_000_000, unit = "us", tunable = false)
    long sleepMicros = 2_000;

    private long batches;

    @Override
    public void process(final RecordBatch batch) {
        batches++;
        if (batches >= fromBatch && batches <= toBatch) {
            LockSupport.parkNanos(sleepMicros * 1000);
        }
    }
}
