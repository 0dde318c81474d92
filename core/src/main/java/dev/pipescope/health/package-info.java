/**
 * Whether a pipeline is healthy and, if not, why: the {@link dev.pipescope.health.HealthDashboard} samples
 * a pipeline's metrics, dependencies, caches and memory into immutable
 * {@link dev.pipescope.health.HealthReport}s judged by the pure {@link dev.pipescope.health.HealthEvaluator},
 * whose {@link dev.pipescope.health.HealthReason}s put root causes first.
 *
 * <p>Nothing here runs on the processing thread: reports are taken on the dashboard's reporter thread (an
 * Agrona agent whose errors go to an error handler, never a silent dead thread), or on the caller's thread
 * when the reporter is not started, and may allocate. The processing thread only ever sets a flag
 * ({@code requestReport}). Listeners are told on the reporter thread. This package reads {@code pipeline}
 * and knows nothing of {@code events} or {@code jfr}, which observe it.
 */
package dev.pipescope.health;
