package dev.pipescope.stage;

import dev.pipescope.batch.RecordBatch;

/**
 * A pipeline stage: the service-provider interface every built-in and user stage implements.
 *
 * <p>A stage type is a public, non-abstract class with a public no-argument constructor, annotated with
 * {@link StageDefinition} and listed in {@code META-INF/services/dev.pipescope.stage.Stage}, so that
 * {@link StageCatalog} finds it with {@link java.util.ServiceLoader}: a jar on the class path adds
 * stage types without any change here. Its parameters are non-static, non-final fields annotated with
 * {@link Parameter}; the field's initial value is the default. A live-tunable parameter must be
 * {@code volatile}, because it is written by a management thread while the processing thread reads it.
 *
 * <p>Contract of {@link #process(RecordBatch)}: called by one thread at a time; must not allocate in
 * steady state, block, or throw for bad data (flag it or drop it and let the metrics count it). A filter
 * compacts the batch in place; every other stage keeps the batch's size.
 */
public interface Stage {

    /**
     * Processes the batch in place.
     *
     * @param batch the records; on return it holds the records that go on to the next stage.
     */
    void process(RecordBatch batch);

    /**
     * Called once at assembly, after parameters are set and validated, before the first batch. Stages
     * size their per-sensor state here and take what they need from the context.
     *
     * @param context the pipeline's shared services.
     */
    default void open(final StageContext context) {
    }

    /** Called once when the pipeline closes. */
    default void close() {
    }

    /**
     * Checks a parameter value against the stage's other parameters (bounds are checked before this is
     * called). Used when a pipeline is assembled and before a live change is applied, so an inconsistent
     * combination (for instance {@code minVal > maxVal}) never reaches {@link #process(RecordBatch)}.
     *
     * @param parameter the parameter's name.
     * @param candidate the proposed value (booleans as 0 or 1).
     * @return null when acceptable, otherwise the reason it is not.
     */
    default String checkChange(final String parameter, final double candidate) {
        return null;
    }
}
