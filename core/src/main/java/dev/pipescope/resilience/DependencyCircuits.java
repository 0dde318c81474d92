package dev.pipescope.resilience;

import java.util.ArrayList;
import java.util.List;

/**
 * The circuit breakers of one dependency at one moment, for a report such as "calibration: 10 of 10
 * sensors open for 30 s". Built by {@link CircuitBreakerRegistry#dependencies()} and
 * {@link CircuitBreakerRegistry#dependency(String)} on a reporting thread; each breaker is read once, so
 * the figures of different breakers are from slightly different instants, and a breaker caught in the
 * middle of opening can count as not closed before its outage start is published.
 *
 * @param dependency               the dependency, e.g. {@code calibration}.
 * @param breakers                 its breakers in creation order (live objects: read them again for newer
 *                                 figures).
 * @param failingKeys              keys ({@link CircuitBreaker#key()}) of the breakers that were not closed
 *                                 (open, half-open or forced open) when the view was taken, in the order of
 *                                 {@code breakers}.
 * @param oldestOutageStartedNanos the earliest {@link CircuitBreaker#outageStartedNanos()} among them, or
 *                                 {@link CircuitBreaker#NONE} when none was in an outage.
 */
public record DependencyCircuits(
    String dependency, List<CircuitBreaker> breakers, List<String> failingKeys, long oldestOutageStartedNanos) {

    /**
     * Copies the lists, so that a view never changes after it was taken.
     *
     * @param dependency               see the record.
     * @param breakers                 see the record.
     * @param failingKeys              see the record.
     * @param oldestOutageStartedNanos see the record.
     */
    public DependencyCircuits {
        breakers = List.copyOf(breakers);
        failingKeys = List.copyOf(failingKeys);
    }

    static DependencyCircuits of(final String dependency, final List<CircuitBreaker> breakers) {
        final List<String> failing = new ArrayList<>();
        long oldest = CircuitBreaker.NONE;
        for (final CircuitBreaker b : breakers) {
            final CircuitBreaker.State state = b.state();
            if (state != CircuitBreaker.State.CLOSED && state != CircuitBreaker.State.FORCED_CLOSED) {
                failing.add(b.key());
            }
            final long started = b.outageStartedNanos();
            // NONE is Long.MIN_VALUE, so it cannot stand in as "no minimum yet": compare explicitly
            if (started != CircuitBreaker.NONE && (oldest == CircuitBreaker.NONE || started - oldest < 0)) {
                oldest = started;
            }
        }
        return new DependencyCircuits(dependency, breakers, failing, oldest);
    }

    /** @return how many breakers the dependency has. */
    public int size() {
        return breakers.size();
    }

    /** @return how many of them were not closed (open, half-open or forced open). */
    public int notClosedCount() {
        return failingKeys.size();
    }

    /**
     * @param nowNanos the current time.
     * @return how long the oldest outage among the breakers has lasted, 0 when none is in an outage.
     */
    public long oldestOutageNanos(final long nowNanos) {
        return oldestOutageStartedNanos == CircuitBreaker.NONE ? 0 : Math.max(0, nowNanos - oldestOutageStartedNanos);
    }
}
