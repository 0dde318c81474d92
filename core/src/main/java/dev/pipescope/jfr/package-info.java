/**
 * Java Flight Recorder events of a pipeline: {@code dev.pipescope.StageBatch} per stage batch,
 * {@code dev.pipescope.CircuitTransition} and {@code dev.pipescope.HealthChange}, emitted by
 * {@link dev.pipescope.jfr.FlightRecorderEvents}, which observes a pipeline and its dashboard.
 *
 * <p>With no recording running a stage batch costs one check of the event type's enabled flag and
 * allocates nothing; with one running every stage batch is an event, so record bounded windows. Stage
 * events are emitted on the processing thread, circuit transitions on the thread that made them, health
 * changes on the dashboard's reporter thread.
 */
package dev.pipescope.jfr;
