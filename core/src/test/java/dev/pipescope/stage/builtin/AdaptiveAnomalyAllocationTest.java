package dev.pipescope.stage.builtin;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.metrics.AllocationMeter;
import dev.pipescope.stage.ConfiguredStage;
import dev.pipescope.testing.AllocationProbe;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The {@code adaptive} stage allocates nothing per batch once warm: flags, refractory periods, invalid readings. */
@Tag(AllocationProbe.TAG)
class AdaptiveAnomalyAllocationTest {
    private static final int BATCHES = 2_000;

    @Test
    void processingBatchesDoesNotAllocate() {
        assumeTrue(AllocationMeter.isAvailable());
        final TestContext ctx = new TestContext(64);
        final ConfiguredStage stage = ctx.open(AdaptiveAnomalyDetector.class, "warmup", 10);
        final SplittableRandom random = new SplittableRandom(19);
        final RecordBatch[] inputs = new RecordBatch[4];
        for (int b = 0; b < inputs.length; b++) {
            inputs[b] = new RecordBatch(1024);
            for (int i = 0; i < 1024; i++) {
                final double spike = random.nextInt(200) == 0 ? 50 : 0;
                final double v = random.nextInt(5000) == 0 ? Double.NaN : random.nextGaussian() + spike + b;
                inputs[b].add(i & 63, i, i, v);
            }
        }
        final RecordBatch work = new RecordBatch(1024);
        AllocationProbe.measure(3, 3, () -> {
            long flagged = 0;
            for (int i = 0; i < BATCHES; i++) {
                work.copyFrom(inputs[i & 3]);
                stage.process(work);
                flagged += work.flags[i & 1023];
            }
            return flagged;
        }).assertAllocationFree(BATCHES + " batches of 1024");
        assertTrue(((AdaptiveAnomalyDetector) stage.stage()).flaggedTotal() > 0);
    }
}
