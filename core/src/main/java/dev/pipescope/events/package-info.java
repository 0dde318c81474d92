/**
 * The JSON event catalogue of a pipeline ({@code stage_completed}, {@code anomaly_detected},
 * {@code circuit_state_changed}, {@code pipeline_health}, ...): {@link dev.pipescope.events.PipelineEventLog}
 * observes a pipeline and its health dashboard and turns what they report into lines on a
 * {@code dev.pipescope.log} sink; {@link dev.pipescope.events.AnomalyEventLimiter} keeps anomaly events to
 * a rate per sensor in reading time, with an exact count of the rest.
 *
 * <p>Events from the processing thread are encoded without allocation; health events come from the
 * dashboard's reporter thread. This package observes {@code pipeline} and {@code health}; neither of them
 * knows it.
 */
package dev.pipescope.events;
