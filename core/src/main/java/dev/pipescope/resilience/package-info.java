/**
 * Calling a dependency that may fail: {@link dev.pipescope.resilience.CircuitBreaker}s (one per dependency
 * and key, e.g. {@code calibration:S3}, held by a {@link dev.pipescope.resilience.CircuitBreakerRegistry}),
 * {@link dev.pipescope.resilience.RetryPolicy} with jittered backoff and a per-batch
 * {@link dev.pipescope.resilience.RetryBudget}, {@link dev.pipescope.resilience.ResilientCall} combining them,
 * and time-bucketed {@link dev.pipescope.resilience.SlidingWindowCounter}s for "how many in the last minute".
 *
 * <p>The calling thread (the processing thread) is the single writer of each breaker and counter: its
 * path is lock-free and allocation-free, failures are return values, not exceptions. Management calls
 * (force open, reset) may come from any thread; reporting views allocate and belong on reporting threads.
 * Breaker listeners run on the thread that made the transition and must be cheap. This package depends on
 * no other pipescope package.
 */
package dev.pipescope.resilience;
