package dev.pipescope.source;

import dev.pipescope.batch.RecordBatch;

/**
 * Where records come from: a simulator, a CSV file, standard input, or embedding code. Called by the
 * processing thread only.
 */
public interface RecordSource extends AutoCloseable {
    /**
     * Clears the batch and fills it with up to its capacity of records.
     *
     * @param batch the batch to fill.
     * @return the number of records added; 0 only when the source is exhausted.
     */
    int fill(RecordBatch batch);

    /** @return true when no more record will come. */
    boolean isExhausted();

    /** @return a short description for logs, e.g. {@code simulated(sensors=10, seed=42)}. */
    String describe();

    /** @return input lines rejected as malformed so far. */
    default long rejected() {
        return 0;
    }

    /** @return blank input lines skipped so far (counted, not rejected); 0 for sources without lines. */
    default long blankLines() {
        return 0;
    }

    @Override
    default void close() {
    }
}
