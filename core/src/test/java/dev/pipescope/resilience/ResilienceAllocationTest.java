package dev.pipescope.resilience;

import dev.pipescope.metrics.AllocationMeter;
import dev.pipescope.resilience.ResilientCall.Outcome;
import dev.pipescope.resilience.RetryPolicy.Jitter;
import dev.pipescope.testing.AllocationProbe;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The resilient call path allocates nothing per call once warm: success, failure with retries and
 * backoff, budget exhaustion, short-circuit, and a breaker flapping open / half-open / open with a listener.
 */
@Tag(AllocationProbe.TAG)
class ResilienceAllocationTest {
    private static final int ITERATIONS = 100_000;
    private static final long MS = 1_000_000L;

    /** Non-capturing attempt: succeeds for even keys. */
    private static boolean evenKeysSucceed(final int key) {
        return (key & 1) == 0;
    }

    /** A listener that counts into a field: cheap and allocation-free, as the contract asks. */
    private static final class CountingListener implements CircuitBreakerListener {
        long changes;

        @Override
        public void stateChanged(final CircuitBreaker b, final CircuitBreaker.State from, final CircuitBreaker.State to, final long now) {
            changes++;
        }
    }

    private final CachedNanoClock clock = new CachedNanoClock();
    private final Sleeper advanceClock = clock::advance;

    /** A loop of {@code n} calls returning a count of what it did. */
    @FunctionalInterface
    private interface Loop {
        long run(int n);
    }

    private static AllocationProbe.Measurement allocatedBy(final Loop loop) {
        return AllocationProbe.measure(3, 3, () -> {
            final long result = loop.run(ITERATIONS);
            assertTrue(result > 0, "the loop did something");
            return result;
        });
    }

    private ResilientCall call(final CircuitBreaker cb, final int maxAttempts, final long budget) {
        return new ResilientCall("calibration", ResilienceAllocationTest::evenKeysSucceed,
            new RetryPolicy(maxAttempts, 1_000, 2.0, 100_000, Jitter.FULL, budget, 42), cb, clock, advanceClock);
    }

    @Test
    void successPathDoesNotAllocate() {
        assumeTrue(AllocationMeter.isAvailable());
        final ResilientCall call = call(new CircuitBreaker("c:S0", CircuitBreakerConfig.DEFAULT, 0), 3, MS);
        allocatedBy(n -> {
            long ok = 0;
            for (int i = 0; i < n; i++) {
                call.beginBatch();
                ok += call.execute(2 * i) == Outcome.SUCCESS ? 1 : 0;
                clock.advance(1_000);
            }
            return ok;
        }).assertAllocationFree(ITERATIONS + " successful calls");
    }

    @Test
    void failurePathWithRetriesBackoffAndBudgetDoesNotAllocate() {
        assumeTrue(AllocationMeter.isAvailable());
        final CircuitBreaker cb = new CircuitBreaker("c:S1", CircuitBreakerConfig.DEFAULT, 0);
        cb.forceClose(0); // keep failing attempts flowing through the retry path
        final ResilientCall call = call(cb, 4, 4_000); // jittered waits of up to 1, 2, 4 µs: some calls exhaust it
        allocatedBy(n -> {
            long failed = 0;
            for (int i = 0; i < n; i++) {
                call.beginBatch();
                final Outcome o = call.execute(2 * i + 1);
                failed += o == Outcome.FAILED || o == Outcome.BUDGET_EXHAUSTED ? 1 : 0;
            }
            return failed;
        }).assertAllocationFree(ITERATIONS + " failing calls with retries");
        assertTrue(call.retryCount() > 0 && call.budgetExhaustedCount() > 0 && call.failedCalls() > 0,
            "retries " + call.retryCount() + ", exhausted " + call.budgetExhaustedCount() + ", failed " + call.failedCalls());
    }

    @Test
    void shortCircuitAndFlappingBreakerDoNotAllocate() {
        assumeTrue(AllocationMeter.isAvailable());
        final CircuitBreaker cb = new CircuitBreaker("c:S3", new CircuitBreakerConfig(0.5, 20, 10, 50_000, 2, 20), 0);
        final CountingListener listener = new CountingListener();
        cb.addListener(listener);
        final ResilientCall call = call(cb, 2, MS);
        allocatedBy(n -> {
            long shortCircuited = 0;
            for (int i = 0; i < n; i++) {
                call.beginBatch();
                shortCircuited += call.execute(2 * i + 1) == Outcome.SHORT_CIRCUITED ? 1 : 0;
                clock.advance(1_000); // open for 50 µs: the breaker keeps cycling open -> half-open -> open
            }
            return shortCircuited;
        }).assertAllocationFree(ITERATIONS + " short-circuited / flapping calls");
        assertTrue(listener.changes > 1_000, "transitions happened during the loop: " + listener.changes);
    }

    @Test
    void slidingWindowCounterDoesNotAllocate() {
        assumeTrue(AllocationMeter.isAvailable());
        final SlidingWindowCounter counter = SlidingWindowCounter.perSecondForFiveMinutes();
        allocatedBy(n -> {
            long sum = 0;
            for (int i = 0; i < n; i++) {
                clock.advance(10_000_000);
                counter.increment(clock.nanoTime());
                sum += counter.sum(60_000_000_000L, clock.nanoTime());
            }
            return sum;
        }).assertAllocationFree(ITERATIONS + " window increments and sums");
    }
}
