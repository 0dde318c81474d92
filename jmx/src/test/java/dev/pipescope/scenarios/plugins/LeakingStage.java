package dev.pipescope.scenarios.plugins;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.stage.Parameter;
import dev.pipescope.stage.Stage;
import dev.pipescope.stage.StageDefinition;

import java.util.ArrayList;
import java.util.List;

/** A user's stage with a leak: from a batch on, it keeps a buffer per batch and never lets go. */
@StageDefinition(type = "leaky", description = "Test plugin: retains bytesPerBatch bytes on every batch from fromBatch on.")
public final class LeakingStage implements Stage {
    @Parameter(description = "First batch that leaks.", min = 1, tunable = false)
    long fromBatch = 1;

    @Parameter(description = "Bytes retained per batch.", min = 0, max = 1 << 26, tunable = false)
    int bytesPerBatch = 256 * 1024;

    private final List<byte[]> retained = new ArrayList<>();
    private long batches;

    @Override
    public void process(final RecordBatch batch) {
        if (++batches >= fromBatch) {
            final byte[] b = new byte[bytesPerBatch];
            b[b.length - 1] = 1; // touched, so it is real memory
            retained.add(b);
        }
    }
}
