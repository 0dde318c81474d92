package dev.pipescope.calibration;

/**
 * The external calibration service the {@code calibrate} stage depends on. Implementations report
 * failure through the return value rather than by throwing, so that the failing path, which the
 * resilience layer exercises hard, does not allocate exceptions.
 */
public interface CalibrationService {
    /**
     * Fetches the current calibration of a sensor.
     *
     * @param sensorId the sensor's id in the pipeline's registry.
     * @param target   filled with gain and offset on success; untouched on failure.
     * @return true on success, false when the call failed (timeout, error, unavailable).
     */
    boolean fetch(int sensorId, Calibration target);

    /** @return the dependency's name as shown in circuit names, e.g. {@code calibration}. */
    default String dependencyName() {
        return "calibration";
    }
}
