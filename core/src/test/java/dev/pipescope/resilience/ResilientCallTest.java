package dev.pipescope.resilience;

import dev.pipescope.resilience.ResilientCall.Outcome;
import dev.pipescope.resilience.RetryPolicy.Jitter;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResilientCallTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;

    private final CachedNanoClock clock = new CachedNanoClock();
    private final List<Long> sleeps = new ArrayList<>();
    private final Sleeper sleeper = nanos -> {
        sleeps.add(nanos);
        clock.advance(nanos);
    };

    /** Fails the first {@code failures} attempts of each key's life, then succeeds; records attempts. */
    private static final class Scripted implements ResilientCall.Attempt {
        int failuresLeft;
        int attempts;

        Scripted(final int failures) {
            failuresLeft = failures;
        }

        @Override
        public boolean attempt(final int key) {
            attempts++;
            return failuresLeft-- <= 0;
        }
    }

    private static CircuitBreaker lenientBreaker() { // never trips within these tests unless forced
        return new CircuitBreaker("dep:k", new CircuitBreakerConfig(1.0, 100, 100, 2 * S, 1, 100), 0);
    }

    private ResilientCall call(final ResilientCall.Attempt attempt, final RetryPolicy policy, final CircuitBreaker cb) {
        return new ResilientCall("dep", attempt, policy, cb, clock, sleeper);
    }

    @Test
    void retriesWithGrowingBackoffUntilSuccess() {
        final Scripted attempt = new Scripted(2);
        final ResilientCall call = call(attempt, new RetryPolicy(5, 10 * MS, 2.0, 1 * S, Jitter.NONE, S, 1), lenientBreaker());
        call.beginBatch();
        assertEquals(Outcome.SUCCESS, call.execute(3));
        assertEquals(3, attempt.attempts);
        assertEquals(List.of(10 * MS, 20 * MS), sleeps);
        assertEquals(2, call.retryCount());
        assertEquals(2, call.failedAttemptCount());
        assertEquals(1, call.successes());
        assertEquals(30 * MS, call.sleptNanos());
        assertEquals(S - 30 * MS, call.budget().remainingNanos());
    }

    @Test
    void givesUpAfterMaxAttempts() {
        final Scripted attempt = new Scripted(Integer.MAX_VALUE);
        final ResilientCall call = call(attempt, new RetryPolicy(3, 10 * MS, 3.0, 25 * MS, Jitter.NONE, S, 1), lenientBreaker());
        call.beginBatch();
        assertEquals(Outcome.FAILED, call.execute(0));
        assertEquals(3, attempt.attempts);
        assertEquals(List.of(10 * MS, 25 * MS), sleeps, "second wait capped at 25 ms");
        assertEquals(1, call.failedCalls());
        assertEquals(3, call.failedAttemptCount());
        assertEquals(2, call.retryCount());
    }

    @Test
    void budgetExhaustionStopsRetryingWithoutWaiting() {
        final Scripted attempt = new Scripted(Integer.MAX_VALUE);
        // waits of 40, 80 ms; budget 100 ms per batch
        final ResilientCall call = call(attempt, new RetryPolicy(10, 40 * MS, 2.0, S, Jitter.NONE, 100 * MS, 1), lenientBreaker());
        call.beginBatch();
        assertEquals(Outcome.BUDGET_EXHAUSTED, call.execute(0));
        assertEquals(2, attempt.attempts);
        assertEquals(List.of(40 * MS), sleeps, "the 80 ms wait did not fit into the remaining 60 ms");
        assertEquals(Outcome.BUDGET_EXHAUSTED, call.execute(1), "the budget is per batch, shared by calls");
        assertEquals(List.of(40 * MS, 40 * MS), sleeps, "40 ms fitted into the remaining 60 ms, 80 ms not into 20");
        assertEquals(20 * MS, call.budget().remainingNanos());
        assertEquals(4, attempt.attempts);
        assertEquals(2, call.budgetExhaustedCount());
    }

    @Test
    void budgetIsPerBatch() {
        final Scripted attempt = new Scripted(Integer.MAX_VALUE);
        final ResilientCall call = call(attempt, new RetryPolicy(2, 40 * MS, 2.0, S, Jitter.NONE, 50 * MS, 1), lenientBreaker());
        call.beginBatch();
        assertEquals(Outcome.FAILED, call.execute(0)); // one 40 ms wait
        assertEquals(Outcome.BUDGET_EXHAUSTED, call.execute(1)); // 10 ms left
        assertEquals(1, call.budgetExhaustedCount());
        call.beginBatch();
        assertEquals(Outcome.FAILED, call.execute(2));
        assertEquals(List.of(40 * MS, 40 * MS), sleeps);
        assertTrue(call.sleptNanos() <= 2 * 50 * MS, "never waited beyond the budgets");
    }

    @Test
    void shortCircuitsWhenOpenWithoutCallingOrWaiting() {
        final Scripted attempt = new Scripted(0);
        final CircuitBreaker cb = lenientBreaker();
        final ResilientCall call = call(attempt, new RetryPolicy(3, MS, 2.0, S, Jitter.NONE, S, 1), cb);
        cb.forceOpen(clock.nanoTime());
        call.beginBatch();
        assertEquals(Outcome.SHORT_CIRCUITED, call.execute(0));
        assertEquals(0, attempt.attempts);
        assertTrue(sleeps.isEmpty());
        assertEquals(1, call.shortCircuitCount());
        assertEquals(1, call.shortCircuits().sum(60 * S, clock.nanoTime()));
        assertEquals(1, cb.rejectedCalls());
    }

    @Test
    void retriesTripTheBreakerAndTheRestIsShortCircuited() {
        final Scripted attempt = new Scripted(Integer.MAX_VALUE);
        final CircuitBreaker cb = new CircuitBreaker("dep:k", new CircuitBreakerConfig(0.5, 10, 3, 2 * S, 1, 10), 0);
        final ResilientCall call = call(attempt, new RetryPolicy(5, MS, 1.0, MS, Jitter.NONE, S, 1), cb);
        call.beginBatch();
        assertEquals(Outcome.SHORT_CIRCUITED, call.execute(0), "3 failures open it; the 4th attempt is refused");
        assertEquals(3, attempt.attempts);
        assertEquals(CircuitBreaker.State.OPEN, cb.state());
        assertEquals(Outcome.SHORT_CIRCUITED, call.execute(0));
        assertEquals(3, attempt.attempts);
        assertEquals(2, call.shortCircuitCount());
    }

    @Test
    void retryWindowsCoverOneAndFiveMinutes() {
        final Scripted attempt = new Scripted(Integer.MAX_VALUE);
        final ResilientCall call = call(attempt, new RetryPolicy(2, MS, 1.0, MS, Jitter.NONE, S, 1), lenientBreaker());
        for (int minute = 0; minute < 3; minute++) {
            call.beginBatch();
            call.execute(0); // one retry each
            clock.advance(60 * S);
        }
        final long now = clock.nanoTime();
        assertEquals(0, call.retriesLastMinute(now));
        assertEquals(3, call.retriesLastFiveMinutes(now));
        assertEquals(1, call.retriesLastMinute(now - 30 * S));
        assertEquals(6, call.failedAttempts().sum(300 * S, now));
    }

    @Test
    void keyedBreakersIsolateKeys() {
        final ResilientCall.Attempt failOddKeys = key -> (key & 1) == 0;
        final CircuitBreakerRegistry registry = new CircuitBreakerRegistry(
            new CircuitBreakerConfig(0.5, 4, 2, 2 * S, 1, 4), clock);
        final KeyedCircuitBreakers breakers = registry.keyed("calibration", 4, id -> "S" + id);
        final ResilientCall call = new ResilientCall("calibration", failOddKeys,
            new RetryPolicy(1, 0, 1.0, 0, Jitter.NONE, 0, 1), breakers, clock, sleeper);
        for (int i = 0; i < 3; i++) {
            call.beginBatch();
            call.execute(0);
            call.execute(1);
        }
        assertEquals(CircuitBreaker.State.CLOSED, breakers.get(0).state());
        assertEquals(CircuitBreaker.State.OPEN, breakers.get(1).state());
        assertSame(breakers.get(1), registry.find("calibration:S1"));
        assertEquals(1, registry.openCount());
        assertEquals(Outcome.SUCCESS, call.execute(0));
        assertEquals(Outcome.SHORT_CIRCUITED, call.execute(1));
    }

    @Test
    void anExceptionCountsAsAFailureAndPropagates() {
        final CircuitBreaker cb = lenientBreaker();
        final ResilientCall call = call(key -> {
            throw new IllegalStateException("boom");
        }, new RetryPolicy(3, MS, 2.0, S, Jitter.NONE, S, 1), cb);
        assertThrows(IllegalStateException.class, () -> call.execute(0));
        assertEquals(1, cb.failures());
        assertEquals(1, call.failedAttemptCount());
    }
}
