/**
 * Runs stages: {@link dev.pipescope.pipeline.Pipeline} assembles a {@link dev.pipescope.pipeline.PipelineDefinition}
 * (parsed from the config format) against a stage catalog, times and counts every stage of every batch and
 * publishes its own totals; {@link dev.pipescope.pipeline.PipelineRunner} drives it from a source;
 * {@link dev.pipescope.pipeline.BatchObserver}s are told about each stage's batch and each finished batch.
 *
 * <p>One processing thread calls {@code process}; it reads the clock once per stage, never locks and
 * allocates nothing in steady state, and observers, told on that thread, must not allocate or block either.
 * Readers on any thread get consistent totals without making it wait. A stage or observer that throws fails the pipeline
 * ({@link dev.pipescope.pipeline.StageFailedException}). This package knows nothing of {@code health},
 * {@code events} or {@code jfr}: they observe it.
 */
package dev.pipescope.pipeline;
