/**
 * The built-in stage types, in the default pipeline's order: {@code threshold} (drops readings outside
 * bounds), {@code calibrate} (gain and offset from a {@code CalibrationService} through a cache, circuit
 * breakers and retries, degrading to the last known calibration), {@code normalize}, {@code feature}
 * (per-sensor moving mean and change) and {@code anomaly} (per-sensor z-score).
 *
 * <p>They follow the stage contract of {@code dev.pipescope.stage}: per-sensor state is sized by the sensor
 * registry at {@code open}, {@code process} allocates nothing, and non-finite readings are dropped or
 * flagged invalid, never passed off as numbers.
 */
package dev.pipescope.stage.builtin;
