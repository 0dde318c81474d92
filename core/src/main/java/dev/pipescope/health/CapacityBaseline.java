package dev.pipescope.health;

import java.util.Arrays;

/**
 * A stage's typical capacity: the median of its capacity over the last {@code window} intervals in which
 * it was judged and not found dropped. Intervals of a drop never enter it, so a lasting slowdown cannot
 * become the new normal and stays named for as long as it lasts. Reporter thread only.
 */
final class CapacityBaseline {
    private final double[] ring;
    private final double[] scratch;
    private final int minSamples;
    private int written;

    /**
     * @param window     intervals kept.
     * @param minSamples intervals needed before the baseline is known.
     */
    CapacityBaseline(final int window, final int minSamples) {
        ring = new double[window];
        scratch = new double[window];
        this.minSamples = minSamples;
    }

    /** @param capacityRps a judged, healthy interval's capacity. */
    void add(final double capacityRps) {
        if (capacityRps > 0 && Double.isFinite(capacityRps)) {
            ring[written++ % ring.length] = capacityRps;
        }
    }

    /** @return the median of the kept intervals, NaN until {@code minSamples} were added. */
    double value() {
        final int n = Math.min(written, ring.length);
        if (n < minSamples) {
            return Double.NaN;
        }
        System.arraycopy(ring, 0, scratch, 0, n);
        Arrays.sort(scratch, 0, n);
        return n % 2 == 1 ? scratch[n / 2] : (scratch[n / 2 - 1] + scratch[n / 2]) / 2;
    }

    /** Forgets every interval (after a metrics reset). */
    void clear() {
        written = 0;
    }
}
