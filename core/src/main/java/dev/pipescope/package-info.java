/**
 * The front door for embedders: {@link dev.pipescope.Pipescope#builder(String)} assembles a pipeline and
 * wires its observability — the JSON event log, the health dashboard and Java Flight Recorder events — in
 * one expression, each part attaching itself to the pipeline without knowing the others.
 *
 * <p>This package sits on top of every other core package and nothing in core depends on it. Building
 * allocates freely; {@link dev.pipescope.Pipescope#process(dev.pipescope.batch.RecordBatch)} is the
 * pipeline's allocation-free hot path, called by one processing thread. Every JVM that uses core needs
 * {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} (see {@link dev.pipescope.log.AgronaAccess}).
 */
package dev.pipescope;
