package dev.pipescope.health;

/**
 * Told when the status changes, on the reporter thread, including the first report's status (announced
 * with {@code from == null}), so that a pipeline that is already unhealthy when it starts says so like any
 * other transition.
 */
@FunctionalInterface
public interface HealthStatusListener {
    /**
     * @param from   the previous report's status, or null for the first report.
     * @param to     the new status.
     * @param report the report that changed it.
     */
    void onStatusChange(HealthStatus from, HealthStatus to, HealthReport report);
}
