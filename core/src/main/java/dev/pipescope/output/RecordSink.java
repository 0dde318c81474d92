package dev.pipescope.output;

import dev.pipescope.batch.RecordBatch;

/**
 * Where the records that left the pipeline go: a file, standard output, a topic, embedding code. Called
 * on the processing thread, after the last stage, once per batch; hot-path rules apply (no allocation in
 * steady state, no locks, no blocking beyond what the destination's own policy says).
 *
 * <p>Wire it to a {@code PipelineRunner} with {@code runner.sink(recordSink::accept)}, which creates the
 * adapter once.
 */
public interface RecordSink extends AutoCloseable {
    /**
     * Takes one batch's records. The batch is valid during the call only: copy what must be kept.
     *
     * @param batchNumber 1-based number of the batch.
     * @param batch       the records that left the pipeline, {@code 0 .. size()-1}.
     */
    void accept(long batchNumber, RecordBatch batch);

    /** Pushes records accepted so far towards their destination; failures are counted, not thrown. */
    void flush();

    /** Flushes and releases the destination; later batches are dropped and counted. Never throws. */
    @Override
    void close();
}
