package dev.pipescope.health;

/**
 * One circuit breaker as the health report sees it.
 *
 * @param name          e.g. {@code calibration:S3}.
 * @param dependency    the dependency it guards, e.g. {@code calibration} (the name before the first colon).
 * @param state         {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}.
 * @param inStateMillis how long it has been in that state.
 * @param outageMillis  how long it has been not closed, counted from the first opening of the outage across
 *                      half-open probes; 0 when closed.
 * @param openedCount   how often it has opened since start.
 */
public record CircuitHealth(String name, String dependency, String state, long inStateMillis, long outageMillis,
                            long openedCount) {
    /** @return true unless closed. */
    public boolean isOpen() {
        return !"CLOSED".equals(state);
    }
}
