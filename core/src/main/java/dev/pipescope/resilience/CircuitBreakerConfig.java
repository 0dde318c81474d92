package dev.pipescope.resilience;

/**
 * Initial parameters of a {@link CircuitBreaker}. All but {@code windowCapacity} can be changed later on
 * the breaker itself.
 *
 * @param failureRateThreshold failure share (0 &lt; x &lt;= 1) of the calls in the window at or above which
 *                             a closed breaker opens.
 * @param windowSize           calls in the count-based window, 1..{@code windowCapacity}.
 * @param minimumCalls         calls the window must hold before the breaker may open, 1..windowSize (a
 *                             larger value than the window can never be reached).
 * @param openDurationNanos    how long an open breaker rejects calls before it lets trial calls through.
 * @param trialCalls           trial calls allowed while half-open; that many successes close the breaker.
 * @param windowCapacity       largest window size the breaker can be tuned to at runtime (its ring is
 *                             allocated once with this size).
 */
public record CircuitBreakerConfig(
    double failureRateThreshold,
    int windowSize,
    int minimumCalls,
    long openDurationNanos,
    int trialCalls,
    int windowCapacity) {

    /** 50% failures over the last 20 calls, at least 10 calls, open for 2 s, 3 trial calls, window up to 100. */
    public static final CircuitBreakerConfig DEFAULT = new CircuitBreakerConfig(0.5, 20, 10, 2_000_000_000L, 3, 100);

    /**
     * Checks the parameters.
     *
     * @param failureRateThreshold see the record.
     * @param windowSize           see the record.
     * @param minimumCalls         see the record.
     * @param openDurationNanos    see the record.
     * @param trialCalls           see the record.
     * @param windowCapacity       see the record.
     * @throws IllegalArgumentException when a parameter is out of range, naming it.
     */
    public CircuitBreakerConfig {
        if (windowCapacity < 1) {
            throw new IllegalArgumentException("windowCapacity must be >= 1, was " + windowCapacity);
        }
        CircuitBreaker.checkThreshold(failureRateThreshold);
        CircuitBreaker.checkWindow(windowSize, windowCapacity);
        CircuitBreaker.checkMinimumCalls(minimumCalls);
        CircuitBreaker.checkOpenDuration(openDurationNanos);
        CircuitBreaker.checkTrialCalls(trialCalls);
    }
}
