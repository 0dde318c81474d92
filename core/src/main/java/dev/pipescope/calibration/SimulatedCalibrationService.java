package dev.pipescope.calibration;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A deterministic stand-in for a remote calibration service: every sensor has a small, fixed gain and
 * offset derived from its id (gain within 1 ± 0.02, offset within ± 0.3). Failures can be injected per
 * sensor with {@link #setFailing(int, boolean)} (simulating an outage of the service).
 */
public final class SimulatedCalibrationService implements CalibrationService {
    private final AtomicLongArray failing;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    /**
     * @param sensorCapacity the largest number of sensor ids that may be asked for.
     */
    public SimulatedCalibrationService(final int sensorCapacity) {
        failing = new AtomicLongArray(sensorCapacity);
    }

    @Override
    public boolean fetch(final int sensorId, final Calibration target) {
        calls.lazySet(calls.get() + 1);
        if (failing.getOpaque(sensorId) != 0) {
            failures.lazySet(failures.get() + 1);
            return false;
        }
        target.set(gainOf(sensorId), offsetOf(sensorId));
        return true;
    }

    /**
     * @param sensorId a sensor id.
     * @return the gain the service hands out for it.
     */
    public static double gainOf(final int sensorId) {
        return 1.0 + 0.004 * (((sensorId * 37) % 11) - 5);
    }

    /**
     * @param sensorId a sensor id.
     * @return the offset the service hands out for it.
     */
    public static double offsetOf(final int sensorId) {
        return 0.1 * (((sensorId * 53) % 7) - 3);
    }

    /**
     * Makes calls for one sensor fail (or succeed again), as an outage of the dependency would.
     *
     * @param sensorId the sensor.
     * @param fail     true to fail its calls.
     */
    public void setFailing(final int sensorId, final boolean fail) {
        failing.setOpaque(sensorId, fail ? 1 : 0);
    }

    /**
     * @param sensorId a sensor.
     * @return whether its calls currently fail.
     */
    public boolean isFailing(final int sensorId) {
        return failing.getOpaque(sensorId) != 0;
    }

    /** @return calls made so far (single writer: the processing thread). */
    public long calls() {
        return calls.get();
    }

    /** @return calls that failed so far. */
    public long failures() {
        return failures.get();
    }
}
