/**
 * The stage SPI: {@link dev.pipescope.stage.Stage} with its annotations
 * ({@link dev.pipescope.stage.StageDefinition}, {@link dev.pipescope.stage.Parameter}), the reflective
 * {@link dev.pipescope.stage.StageType} built once per class, the {@link dev.pipescope.stage.StageCatalog}
 * that finds types with {@link java.util.ServiceLoader}, the {@link dev.pipescope.stage.StageContext} of
 * shared and typed services a stage asks for at {@code open}, and the
 * {@link dev.pipescope.stage.ConfiguredStage} a pipeline runs.
 *
 * <p>{@code process} is called by one thread at a time and must not allocate in steady state, block or
 * throw for bad data (flag it or drop it). Tunable parameters are {@code volatile} fields written by
 * management threads under the configured stage's lock, which the processing thread never takes.
 * Discovery, inspection and assembly allocate and are never on the hot path.
 */
package dev.pipescope.stage;
