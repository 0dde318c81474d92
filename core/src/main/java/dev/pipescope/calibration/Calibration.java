package dev.pipescope.calibration;

/**
 * A mutable gain/offset pair, filled in place by a {@link CalibrationService} so that lookups do not
 * allocate. The calibrated value is {@code raw * gain + offset}.
 */
public final class Calibration {
    private double gain = 1.0;
    private double offset;

    /** @return the multiplier. */
    public double gain() {
        return gain;
    }

    /** @return the additive correction. */
    public double offset() {
        return offset;
    }

    /**
     * @param newGain   the multiplier.
     * @param newOffset the additive correction.
     */
    public void set(final double newGain, final double newOffset) {
        gain = newGain;
        offset = newOffset;
    }

    /**
     * @param raw a raw reading.
     * @return {@code raw * gain + offset}.
     */
    public double apply(final double raw) {
        return raw * gain + offset;
    }

    @Override
    public String toString() {
        return "Calibration{gain=" + gain + ", offset=" + offset + '}';
    }
}
