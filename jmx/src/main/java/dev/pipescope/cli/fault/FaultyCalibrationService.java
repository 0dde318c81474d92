package dev.pipescope.cli.fault;

import dev.pipescope.calibration.Calibration;
import dev.pipescope.calibration.CalibrationService;

import java.util.Objects;

/**
 * A calibration service that fails, as an outage would, for the sensors whose calibration fault is active,
 * and asks the real service otherwise. Failing returns false (the service contract: no exception), so the
 * stage's retries, circuit breakers and fallback see exactly what a real outage shows them.
 */
final class FaultyCalibrationService implements CalibrationService {
    private final CalibrationService delegate;
    private final FaultSchedule schedule;

    FaultyCalibrationService(final CalibrationService delegate, final FaultSchedule schedule) {
        this.delegate = Objects.requireNonNull(delegate, "service");
        this.schedule = schedule;
    }

    @Override
    public boolean fetch(final int sensorId, final Calibration target) {
        return !schedule.sensorFailing(sensorId) && delegate.fetch(sensorId, target);
    }

    @Override
    public String dependencyName() {
        return delegate.dependencyName();
    }

    @Override
    public String toString() {
        return "faulty " + delegate;
    }
}
