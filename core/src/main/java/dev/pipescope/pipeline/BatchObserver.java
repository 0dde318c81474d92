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

    /**
     * Tells two observers, in order; for attaching, say, the JSON event log and Flight Recorder events.
     *
     * @param first  told first.
     * @param second told second.
     * @return an observer telling both.
     */
    static BatchObserver both(final BatchObserver first, final BatchObserver second) {
        return new BatchObserver() {
            @Override
            public void stageCompleted(final long batchNumber, final int stageIndex, final ConfiguredStage stage,
                final int recordsIn, final int recordsOut, final long nanos) {
                first.stageCompleted(batchNumber, stageIndex, stage, recordsIn, recordsOut, nanos);
                second.stageCompleted(batchNumber, stageIndex, stage, recordsIn, recordsOut, nanos);
            }

            @Override
            public void batchCompleted(final long batchNumber, final RecordBatch batch) {
                first.batchCompleted(batchNumber, batch);
                second.batchCompleted(batchNumber, batch);
            }
        };
    }
}
