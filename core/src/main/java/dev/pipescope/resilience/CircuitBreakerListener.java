package dev.pipescope.resilience;

/**
 * Told about every state change of a {@link CircuitBreaker}.
 *
 * <p>Called synchronously on the thread that made the change: the processing (writer) thread for the
 * automatic transitions (open, half-open, close), a management thread for forced ones and resets. So an
 * implementation must be cheap, must not block, must not allocate if the pipeline is to stay
 * allocation-free while a dependency flaps, and must be safe to call from two threads. Hand anything
 * expensive (logging, alerting) to another thread. An exception thrown here propagates to the caller of the
 * breaker after the transition has taken effect.
 */
@FunctionalInterface
public interface CircuitBreakerListener {
    /**
     * @param breaker  the breaker that changed.
     * @param from     its previous state.
     * @param to       its new state.
     * @param nowNanos the time of the change.
     */
    void stateChanged(CircuitBreaker breaker, CircuitBreaker.State from, CircuitBreaker.State to, long nowNanos);
}
