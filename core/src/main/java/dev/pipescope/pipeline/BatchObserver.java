package dev.pipescope.pipeline;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.stage.ConfiguredStage;

/**
 * Told about every stage's batch and every finished batch, on the processing thread, right after the
 * metrics are recorded. Implementations must not allocate or block: this is the hot path. The JSON log's
 * {@code stage_completed} and {@code anomaly_detected} events hang here.
 */
public interface BatchObserver {
    /**
     * @param batchNumber 1-based number of the batch in this pipeline.
     * @param stageIndex  the stage's position.
     * @param stage       the stage.
     * @param recordsIn   records that entered it.
     * @param recordsOut  records that left it.
     * @param nanos       time spent in it.
     */
    void stageCompleted(long batchNumber, int stageIndex, ConfiguredStage stage, int recordsIn, int recordsOut,
        long nanos);

    /**
     * @param batchNumber 1-based number of the batch.
     * @param batch       the records that left the last stage; valid during the call only.
     */
    void batchCompleted(long batchNumber, RecordBatch batch);
}
