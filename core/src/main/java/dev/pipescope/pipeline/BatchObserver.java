package dev.pipescope.pipeline;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.stage.ConfiguredStage;

/**
 * Told about every stage's batch and every finished batch, on the processing thread, right after the
 * metrics are recorded. Implementations must not allocate or block: this is the hot path. Add one with
 * {@link Pipeline#addObserver(BatchObserver)}; observers are told in the order they were added. An
 * observer that throws fails the pipeline like a stage that throws.
 */
public interface BatchObserver {
    /**
     * Only while the pipeline is instrumented.
     *
     * @param batchNumber 1-based number of the batch in this pipeline.
     * @param stageIndex  the stage's position.
     * @param stage       the stage.
     * @param recordsIn   records that entered it.
     * @param recordsOut  records that left it.
     * @param nanos       time spent in it.
     */
    default void stageCompleted(long batchNumber, int stageIndex, ConfiguredStage stage, int recordsIn,
        int recordsOut, long nanos) {
    }

    /**
     * @param batchNumber 1-based number of the batch.
     * @param batch       the records that left the last stage; valid during the call only.
     * @param anomalies   how many of them are flagged {@code FLAG_ANOMALY} (counted once, by the pipeline).
     */
    default void batchCompleted(long batchNumber, RecordBatch batch, int anomalies) {
    }
}
