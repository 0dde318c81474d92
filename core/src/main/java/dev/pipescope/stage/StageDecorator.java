package dev.pipescope.stage;

/**
 * Chooses what runs when a configured stage processes a batch: the stage itself, or a wrapper around it.
 * A wrapper's time counts as the stage's, so it can make a stage slower for a test or a drill without
 * the pipeline knowing. Given at assembly ({@code Pipeline.assemble(..., decorator)}).
 */
@FunctionalInterface
public interface StageDecorator {
    /** Runs every stage as it is. */
    StageDecorator NONE = ConfiguredStage::stage;

    /**
     * @param stage the configured stage (its {@link ConfiguredStage#stage()} is the instance).
     * @return what processes the stage's batches; {@code stage.stage()} for no change.
     */
    Stage decorate(ConfiguredStage stage);
}
