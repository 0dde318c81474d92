package dev.pipescope.health;

/**
 * Subscribes embedding code to the dashboard. Called on the dashboard's reporter thread, never on the
 * processing thread; a slow listener delays the next report, not the pipeline.
 */
public interface HealthListener {
    /**
     * Every report.
     *
     * @param report the new report.
     */
    default void onReport(final HealthReport report) {
    }

    /**
     * Only when the status differs from the previous report's.
     *
     * @param from   the previous status.
     * @param to     the new status.
     * @param report the report that changed it.
     */
    default void onStatusChange(final HealthStatus from, final HealthStatus to, final HealthReport report) {
    }
}
