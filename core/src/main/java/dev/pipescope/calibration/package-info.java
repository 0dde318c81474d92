/**
 * The calibration dependency of the {@code calibrate} stage: the {@link dev.pipescope.calibration.CalibrationService}
 * an embedder provides (with {@code Pipescope.Builder.service(CalibrationService.class, ...)}), the mutable
 * {@link dev.pipescope.calibration.Calibration} it fills in place, the per-sensor
 * {@link dev.pipescope.calibration.CalibrationCache}, and the program's simulated service.
 *
 * <p>Lookups allocate nothing: services report failure by return value rather than by throwing, and the
 * cache is written by the processing thread only, its counters readable from any thread. Only this package
 * and {@code source} may know the simulators (an architecture test checks it).
 */
package dev.pipescope.calibration;
