package dev.pipescope.scenarios.plugins;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.stage.Parameter;
import dev.pipescope.stage.Stage;
import dev.pipescope.stage.StageDefinition;

/** A user's stage that allocates garbage on every batch between two batches (it retains nothing). */
@StageDefinition(type = "hog", description = "Test plugin: allocates bytesPerBatch of garbage per batch in [fromBatch, toBatch].")
public final class AllocatingStage implements Stage {
    @Parameter(description = "First allocating batch.", min = 1, tunable = false)
    long fromBatch = 1;

    @Parameter(description = "Last allocating batch.", min = 1, tunable = false)
    long toBatch = Long.MAX_VALUE;

    @Parameter(description = "Bytes allocated per batch.", min = 0, max = 1 << 28, tunable = false)
    int bytesPerBatch = 20 * 1024 * 1024;

    private long batches;
    /** Published so the JIT cannot drop the allocation. */
    public static volatile byte[] sink;

    @Override
    public void process(final RecordBatch batch) {
        batches++;
        if (batches >= fromBatch && batches <= toBatch) {
            for (int allocated = 0; allocated < bytesPerBatch; allocated += 1 << 20) {
                final byte[] b = new byte[Math.min(1 << 20, bytesPerBatch - allocated)];
                b[0] = (byte) batches;
                sink = b;
            }
        }
    }
}
