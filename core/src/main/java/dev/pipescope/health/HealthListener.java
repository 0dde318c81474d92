package dev.pipescope.health;

/**
 * Told about every report the dashboard takes, on the dashboard's reporter thread, never on the processing
 * thread; a slow listener delays the next report, not the pipeline. A listener that throws is counted and
 * logged by the dashboard's error handler; the other listeners and later reports go on.
 */
@FunctionalInterface
public interface HealthListener {
    /** @param report the new report. */
    void onReport(HealthReport report);
}
