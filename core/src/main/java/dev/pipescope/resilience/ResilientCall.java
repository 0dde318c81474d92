package dev.pipescope.resilience;

import org.agrona.concurrent.NanoClock;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls a dependency through a circuit breaker with retries, backoff and a per-batch retry budget, and
 * counts what happened — without allocating.
 *
 * <p>The call itself is an {@link Attempt} given once at construction; {@link #execute(int)} passes it
 * only an int key (e.g. a sensor id), so no capturing lambda is created per call. One execution:
 * <ol>
 *   <li>ask the key's breaker; if it refuses, return {@link Outcome#SHORT_CIRCUITED};</li>
 *   <li>attempt (counted as a retry if it is not the first); on success report it to the breaker and
 *   return {@link Outcome#SUCCESS};</li>
 *   <li>on failure report it; after the last allowed attempt return {@link Outcome#FAILED};</li>
 *   <li>otherwise compute the backoff; if the breaker is now open and would still refuse when the wait is
 *   over (the failure opened it, or it was a failed half-open trial), go to 1 at once: it refuses, and
 *   neither budget nor time is spent on a retry that cannot happen;</li>
 *   <li>if the batch's {@link RetryBudget} cannot pay for the wait return {@link Outcome#BUDGET_EXHAUSTED}
 *   without waiting; else wait through the {@link Sleeper} and go to 1.</li>
 * </ol>
 * An exception thrown by the attempt is reported to the breaker as a failure and then propagates.
 *
 * <p><b>What counts as a retry:</b> an attempt after the first within one {@link #execute(int)} that was
 * actually made, i.e. the breaker permitted it. A call short-circuited after a failed attempt made no
 * retry; a failed half-open trial is a failed attempt (in {@link #failedAttempts()}), and the reopened
 * breaker's refusal of the next attempt is a short-circuit. So {@link #retries()} measures load put on the
 * dependency by retrying, and it stops growing as soon as retrying stops, which is what a retry-storm
 * finding needs in order to clear.
 *
 * <p><b>Windows:</b> {@link #retries()}, {@link #failedAttempts()} and {@link #shortCircuits()} are
 * {@link SlidingWindowCounter}s with 1 s buckets over 5 minutes, so they answer "how many in the last W"
 * for any W from 1 s to 5 minutes ({@code retries().sum(W, now)}, or {@link #retriesInLast(long, long)}),
 * not only 1 and 5 minutes: a short W such as 10 s drops to 0 soon after the events stop. W is rounded up
 * to whole seconds and an event counts for between {@code W - 1 s} and {@code W} after it happened.
 *
 * <p><b>Threading:</b> {@link #beginBatch()} and {@link #execute(int)} belong to one thread (the processing
 * thread), as do the policy's generator and the budget. The counters and sliding windows may be read from
 * any thread. The clock is read each time the breaker is asked, i.e. once per attempt or refusal.
 */
public final class ResilientCall {
    /** Result of {@link #execute(int)}. */
    public enum Outcome {
        /** An attempt succeeded. */
        SUCCESS,
        /** Every allowed attempt failed. */
        FAILED,
        /** The circuit breaker refused the call (possibly after earlier failed attempts of this call). */
        SHORT_CIRCUITED,
        /** An attempt failed and the batch's retry budget could not pay for the next wait. */
        BUDGET_EXHAUSTED
    }

    /** The protected call. Implementations must not capture per-call state; the key identifies the call. */
    @FunctionalInterface
    public interface Attempt {
        /**
         * @param key identifies what is called for (e.g. a sensor id).
         * @return true on success, false on failure (failures should be reported, not thrown).
         */
        boolean attempt(int key);
    }

    private static final long ONE_MINUTE_NANOS = 60_000_000_000L;
    private static final long FIVE_MINUTES_NANOS = 300_000_000_000L;

    private final String name;
    private final Attempt attempt;
    private final RetryPolicy policy;
    private final RetryBudget budget;
    private final KeyedCircuitBreakers keyedBreakers;
    private final CircuitBreaker singleBreaker;
    private final NanoClock clock;
    private final Sleeper sleeper;

    private final SlidingWindowCounter retries = SlidingWindowCounter.perSecondForFiveMinutes();
    private final SlidingWindowCounter failedAttempts = SlidingWindowCounter.perSecondForFiveMinutes();
    private final SlidingWindowCounter shortCircuits = SlidingWindowCounter.perSecondForFiveMinutes();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong successes = new AtomicLong();
    private final AtomicLong failedCalls = new AtomicLong();
    private final AtomicLong budgetExhausted = new AtomicLong();
    private final AtomicLong sleptNanos = new AtomicLong();

    /**
     * A call with one breaker per key.
     *
     * @param name     shown in diagnostics, e.g. {@code calibration}.
     * @param attempt  the call.
     * @param policy   retries and budget (owned by the calling thread from now on).
     * @param breakers the breaker of each key.
     * @param clock    time for breakers and windows.
     * @param sleeper  how to wait between attempts ({@link Sleeper#PARKING} in production).
     */
    public ResilientCall(
        final String name,
        final Attempt attempt,
        final RetryPolicy policy,
        final KeyedCircuitBreakers breakers,
        final NanoClock clock,
        final Sleeper sleeper) {
        this(name, attempt, policy, breakers, null, clock, sleeper);
    }

    /**
     * A call with one breaker for all keys.
     *
     * @param name    shown in diagnostics.
     * @param attempt the call.
     * @param policy  retries and budget (owned by the calling thread from now on).
     * @param breaker the breaker.
     * @param clock   time for the breaker and windows.
     * @param sleeper how to wait between attempts.
     */
    public ResilientCall(
        final String name,
        final Attempt attempt,
        final RetryPolicy policy,
        final CircuitBreaker breaker,
        final NanoClock clock,
        final Sleeper sleeper) {
        this(name, attempt, policy, null, breaker, clock, sleeper);
    }

    private ResilientCall(
        final String name,
        final Attempt attempt,
        final RetryPolicy policy,
        final KeyedCircuitBreakers keyedBreakers,
        final CircuitBreaker singleBreaker,
        final NanoClock clock,
        final Sleeper sleeper) {
        if (attempt == null || policy == null || clock == null || sleeper == null
            || (keyedBreakers == null && singleBreaker == null)) {
            throw new NullPointerException("attempt, policy, breaker(s), clock and sleeper are required");
        }
        this.name = name;
        this.attempt = attempt;
        this.policy = policy;
        this.budget = policy.newBudget();
        this.keyedBreakers = keyedBreakers;
        this.singleBreaker = singleBreaker;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** @return the name given at construction, e.g. {@code calibration}. */
    public String name() {
        return name;
    }

    /**
     * @return the dependency of this call's breakers: {@link KeyedCircuitBreakers#dependency()} of the keyed
     *         breakers, or {@link CircuitBreaker#dependency()} of the single breaker. Find their current
     *         state with {@link CircuitBreakerRegistry#dependency(String)}.
     */
    public String dependency() {
        return keyedBreakers != null ? keyedBreakers.dependency() : singleBreaker.dependency();
    }

    /** Refills the retry budget; call at the start of every batch. Processing thread. */
    public void beginBatch() {
        budget.reset();
    }

    /**
     * Executes the call for a key. Processing thread only; allocation-free (given an allocation-free
     * attempt, sleeper and breaker listeners, and an already created breaker for the key).
     *
     * @param key passed to the attempt and used to find the breaker.
     * @return what happened.
     */
    public Outcome execute(final int key) {
        final CircuitBreaker breaker = singleBreaker != null ? singleBreaker : keyedBreakers.get(key);
        calls.lazySet(calls.get() + 1);
        int attemptNumber = 1;
        while (true) {
            final long now = clock.nanoTime();
            if (!breaker.tryAcquire(now)) {
                shortCircuits.increment(now);
                return Outcome.SHORT_CIRCUITED;
            }
            if (attemptNumber > 1) {
                retries.increment(now); // only now is the re-attempt certain to be made
            }
            final boolean ok;
            try {
                ok = attempt.attempt(key);
            } catch (final RuntimeException | Error ex) {
                breaker.onFailure(now);
                failedAttempts.increment(now);
                throw ex;
            }
            if (ok) {
                breaker.onSuccess(now);
                successes.lazySet(successes.get() + 1);
                return Outcome.SUCCESS;
            }
            breaker.onFailure(now);
            failedAttempts.increment(now);
            if (attemptNumber >= policy.maxAttempts()) {
                failedCalls.lazySet(failedCalls.get() + 1);
                return Outcome.FAILED;
            }
            final long wait = policy.backoffNanos(attemptNumber);
            attemptNumber++;
            if (breaker.rejectsAt(now + wait)) {
                // Waiting would only end in the breaker's refusal: let it refuse now. (An operator's reset in
                // between lets the attempt through without the wait; a real, and counted, retry.)
                continue;
            }
            if (!budget.trySpend(wait)) {
                budgetExhausted.lazySet(budgetExhausted.get() + 1);
                return Outcome.BUDGET_EXHAUSTED;
            }
            if (wait > 0) {
                sleeper.sleepNanos(wait);
                sleptNanos.lazySet(sleptNanos.get() + wait);
            }
        }
    }

    // ------------------------------------------------------------------ readers (any thread)

    /** @return the retry budget of the current batch. */
    public RetryBudget budget() {
        return budget;
    }

    /** @return the policy. */
    public RetryPolicy policy() {
        return policy;
    }

    /**
     * @return retries (attempts after the first within one execution that were actually made), bucketed per
     *         second over 5 minutes; {@code sum(W, now)} for any W from 1 s to 5 minutes.
     */
    public SlidingWindowCounter retries() {
        return retries;
    }

    /** @return failed attempts, bucketed per second over 5 minutes. */
    public SlidingWindowCounter failedAttempts() {
        return failedAttempts;
    }

    /** @return short-circuited calls, bucketed per second over 5 minutes. */
    public SlidingWindowCounter shortCircuits() {
        return shortCircuits;
    }

    /**
     * Retries over a window of the caller's choice, e.g. the last 10 s to tell whether a storm is still going.
     * Any thread; allocation-free.
     *
     * @param windowNanos the window, 1 s to 5 minutes (rounded up to whole seconds).
     * @param nowNanos    the window's end.
     * @return retries made in the window.
     * @throws IllegalArgumentException when the window is not within (0, 5 minutes].
     */
    public long retriesInLast(final long windowNanos, final long nowNanos) {
        return retries.sum(windowNanos, nowNanos);
    }

    /**
     * @param nowNanos the current time.
     * @return retries in the last minute.
     */
    public long retriesLastMinute(final long nowNanos) {
        return retries.sum(ONE_MINUTE_NANOS, nowNanos);
    }

    /**
     * @param nowNanos the current time.
     * @return retries in the last five minutes.
     */
    public long retriesLastFiveMinutes(final long nowNanos) {
        return retries.sum(FIVE_MINUTES_NANOS, nowNanos);
    }

    /** @return executions started. */
    public long calls() {
        return calls.get();
    }

    /** @return executions that succeeded. */
    public long successes() {
        return successes.get();
    }

    /** @return executions that failed after every allowed attempt. */
    public long failedCalls() {
        return failedCalls.get();
    }

    /** @return executions refused by a breaker. */
    public long shortCircuitCount() {
        return shortCircuits.total();
    }

    /** @return executions stopped because the retry budget ran out. */
    public long budgetExhaustedCount() {
        return budgetExhausted.get();
    }

    /** @return retries so far. */
    public long retryCount() {
        return retries.total();
    }

    /** @return failed attempts so far. */
    public long failedAttemptCount() {
        return failedAttempts.total();
    }

    /** @return total time waited between attempts. */
    public long sleptNanos() {
        return sleptNanos.get();
    }
}
