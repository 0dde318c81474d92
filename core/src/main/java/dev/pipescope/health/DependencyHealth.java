package dev.pipescope.health;

import java.util.List;

/**
 * One external dependency (e.g. the calibration service) with all its circuit breakers and calls, so that
 * an outage of the dependency is one finding, not one per sensor.
 *
 * @param name                 the dependency's name.
 * @param breakers             its circuit breakers.
 * @param openBreakers         names of those not closed.
 * @param outageMillis         the longest current outage among them (0 when all are closed).
 * @param retriesLast1m        real re-attempts in the last minute.
 * @param retriesRecent        real re-attempts within the thresholds' quiet window (a storm that stopped
 *                             has none).
 * @param failuresLast1m       failed attempts in the last minute.
 * @param shortCircuitedLast1m calls refused by open breakers in the last minute.
 */
public record DependencyHealth(String name, int breakers, List<String> openBreakers, long outageMillis,
                               long retriesLast1m, long retriesRecent, long failuresLast1m,
                               long shortCircuitedLast1m) {
    /** Compact constructor: keeps the list immutable. */
    public DependencyHealth {
        openBreakers = List.copyOf(openBreakers);
    }

    /** @return true when a breaker is not closed or attempts failed in the last minute. */
    public boolean isFailing() {
        return !openBreakers.isEmpty() || failuresLast1m > 0;
    }
}
