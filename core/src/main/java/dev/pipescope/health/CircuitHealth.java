package dev.pipescope.health;

/**
 * One circuit breaker as the health report sees it.
 *
 * @param name          e.g. {@code calibration:S3}.
 * @param state         {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}.
 * @param inStateMillis how long it has been in that state.
 * @param openedCount   how often it has opened since start.
 */
public record CircuitHealth(String name, String state, long inStateMillis, long openedCount) {
    /** @return true unless closed. */
    public boolean isOpen() {
        return !"CLOSED".equals(state);
    }
}
