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
        assertEquals(0, call.retryCount(), "a short-circuit is not a retry");
        assertEquals("dep", call.dependency(), "the single breaker's dependency");
    }

    @Test
    void aFailedHalfOpenTrialIsAFailedAttemptNotARetry() {
        final Scripted attempt = new Scripted(Integer.MAX_VALUE);
        final CircuitBreaker cb = new CircuitBreaker("dep:k", new CircuitBreakerConfig(0.5, 10, 2, 2 * S, 1, 10), 0);
        final ResilientCall call = call(attempt, new RetryPolicy(3, MS, 2.0, S, Jitter.NONE, S, 1), cb);
        call.beginBatch();
        assertEquals(Outcome.SHORT_CIRCUITED, call.execute(0), "two failures open it");
        assertEquals(1, call.retryCount());
        sleeps.clear();
        for (int probe = 1; probe <= 5; probe++) {
            clock.advance(2 * S);
            call.beginBatch();
            assertEquals(Outcome.SHORT_CIRCUITED, call.execute(0), "the trial fails and reopens the breaker");
            assertEquals(2 + probe, attempt.attempts, "one attempt per probe: the trial");
        }
        assertEquals(1, call.retryCount(), "failed trials made no retries");
        assertEquals(7, call.failedAttemptCount());
        assertEquals(6, call.shortCircuitCount(), "each reopened breaker refused the next attempt");
        assertEquals(6, cb.rejectedCalls(), "the breaker counted those refusals too");
        assertTrue(sleeps.isEmpty(), "no backoff before an attempt that could not be made");
        assertEquals(S, call.budget().remainingNanos(), "no budget spent on it either");
        assertEquals(1, cb.outageCount());
        assertEquals(10 * S, cb.outageNanos(clock.nanoTime()), "one outage across the five probes");
    }

    @Test
    void aBackoffLongerThanTheOpenDurationEndsInARealRetry() {
        final Scripted attempt = new Scripted(2);
        final CircuitBreaker cb = new CircuitBreaker("dep:k", new CircuitBreakerConfig(0.5, 10, 1, 5 * MS, 1, 10), 0);
        final ResilientCall call = call(attempt, new RetryPolicy(3, 10 * MS, 1.0, 10 * MS, Jitter.NONE, S, 1), cb);
        call.beginBatch();
        assertEquals(Outcome.SUCCESS, call.execute(0), "waits out the open duration, then probes and succeeds");
        assertEquals(3, attempt.attempts);
        assertEquals(List.of(10 * MS, 10 * MS), sleeps);
        assertEquals(2, call.retryCount(), "both re-attempts were made: the second as the half-open trial");
        assertEquals(CircuitBreaker.State.CLOSED, cb.state());
    }

    @Test
    void everyFailingCallMakesTwoRetriesWithThreeAttemptsWhenTheBudgetAllows() {
        final Scripted attempt = new Scripted(Integer.MAX_VALUE);
        final ResilientCall call = call(attempt, new RetryPolicy(3, MS, 2.0, S, Jitter.NONE, S, 1), lenientBreaker());
        for (int batch = 0; batch < 4; batch++) {
            call.beginBatch();
            for (int key = 0; key < 5; key++) {
                assertEquals(Outcome.FAILED, call.execute(key));
            }
            clock.advance(S);
        }
        assertEquals(20, call.failedCalls());
        assertEquals(40, call.retryCount(), "2 retries for each of 20 failing calls");
        assertEquals(60, call.failedAttemptCount());
        assertEquals(60, attempt.attempts);
        assertEquals(40, call.retriesInLast(5 * S, clock.nanoTime()));
    }

    @Test
    void aShortWindowOfRetriesDropsToZeroOnceRetriesStop() {
        final Scripted attempt = new Scripted(Integer.MAX_VALUE);
        final ResilientCall call = call(attempt, new RetryPolicy(2, MS, 1.0, MS, Jitter.NONE, S, 1), lenientBreaker());
        for (int second = 0; second < 30; second++) { // a storm: one failing call, so one retry, per second
            clock.update(1_000 * S + second * S);
            call.beginBatch();
            assertEquals(Outcome.FAILED, call.execute(0));
        }
        // the last retry was made at 1029 s + 1 ms, in bucket 1029
        assertEquals(10, call.retriesInLast(10 * S, 1_029 * S + 500 * MS), "buckets 1020..1029");
        attempt.failuresLeft = 0; // the dependency recovers: calls succeed at their first attempt
        for (int second = 30; second < 90; second++) {
            final long now = 1_000 * S + second * S;
            clock.update(now);
            call.beginBatch();
            assertEquals(Outcome.SUCCESS, call.execute(0));
            final long lastTenSeconds = call.retriesInLast(10 * S, now);
            if (now < 1_039 * S) {
                assertEquals(1_039 - now / S, lastTenSeconds, "retries of the storm still within 10 s at " + now);
            } else {
                assertEquals(0, lastTenSeconds, "nothing retried for 10 s: the window is empty at " + now);
            }
        }
        final long now = clock.nanoTime();
        assertEquals(0, call.retriesInLast(10 * S, now));
        assertEquals(0, call.retriesLastMinute(now), "60 s after the last retry");
        assertEquals(30, call.retriesLastFiveMinutes(now), "the long window still remembers the storm");
        assertEquals(30, call.retryCount());
    }

    @Test
    void allKeysFailingRetriesOnlyUntilTheirBreakersOpen() {
        // issue 15: every sensor's calibration fails; once the breakers are open, probes fail but retry nothing
        final CircuitBreakerRegistry registry = new CircuitBreakerRegistry(
            new CircuitBreakerConfig(0.5, 10, 5, 2 * S, 1, 10), clock);
        final KeyedCircuitBreakers breakers = registry.keyed("calibration", 10, id -> "S" + id);
        final ResilientCall call = new ResilientCall("calibration", key -> false,
            new RetryPolicy(3, 100_000, 2.0, 800_000, Jitter.NONE, 10 * MS, 1), breakers, clock, sleeper);
        for (int batch = 0; batch < 600; batch++) { // a batch every 100 ms for a minute
            call.beginBatch();
            for (int key = 0; key < 10; key++) {
                call.execute(key);
            }
            clock.advance(100 * MS);
        }
        final long now = clock.nanoTime();
        for (int key = 0; key < 10; key++) {
            final CircuitBreaker b = breakers.get(key);
            assertTrue(b.isOpen(), b.name());
            assertEquals(1, b.outageCount(), b.name() + ": one outage");
            assertTrue(b.transitionCount(CircuitBreaker.State.OPEN) > 20, b.name() + ": reopened by many failed probes");
            assertTrue(b.outageNanos(now) >= 59 * S, b.name() + ": the outage's age, not the latest open period's");
        }
        assertEquals(30, call.retryCount(), "each key retried twice in its first call and once in its second; the"
            + " fifth failure opened it; then no more retries");
        assertEquals(0, call.retriesInLast(10 * S, now));
        assertEquals(0, call.retriesLastMinute(now));
        assertTrue(call.failedAttempts().sum(10 * S, now) > 0, "the probes are still failing");
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
        assertEquals(2, call.retryCount(), "attempts 2 and 3 were made; the 4th was not");
        assertEquals(List.of(MS, MS), sleeps, "no wait before an attempt the open breaker refuses anyway");
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
        assertEquals("calibration", call.dependency());
        assertEquals(List.of("S1"), registry.dependency(call.dependency()).failingKeys());
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
