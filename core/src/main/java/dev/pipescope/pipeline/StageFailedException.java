package dev.pipescope.pipeline;

/**
 * A stage threw while processing a batch; the pipeline has failed (see {@link Pipeline}'s failure policy).
 */
public final class StageFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String pipeline;
    private final String stage;
    private final long batch;

    /**
     * @param pipeline the pipeline's name.
     * @param stage    the stage that threw, or null when an observer threw after the stages.
     * @param batch    the 1-based number of the batch in flight.
     * @param cause    what the stage threw.
     */
    public StageFailedException(final String pipeline, final String stage, final long batch, final Throwable cause) {
        super((stage != null ? "stage '" + stage + "'" : "an observer of pipeline '" + pipeline + "'")
            + " failed on batch " + batch + ": " + describe(cause), cause);
        this.pipeline = pipeline;
        this.stage = stage;
        this.batch = batch;
    }

    private static String describe(final Throwable cause) {
        return cause.getMessage() == null ? cause.getClass().getName()
            : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** @return the pipeline's name. */
    public String pipeline() {
        return pipeline;
    }

    /** @return the stage that threw, or null when it was an observer. */
    public String stage() {
        return stage;
    }

    /** @return the batch in flight. */
    public long batch() {
        return batch;
    }
}
