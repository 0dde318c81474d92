package dev.pipescope.resilience;

import dev.pipescope.resilience.CircuitBreaker.State;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.pipescope.resilience.CircuitBreaker.State.CLOSED;
import static dev.pipescope.resilience.CircuitBreaker.State.FORCED_CLOSED;
import static dev.pipescope.resilience.CircuitBreaker.State.FORCED_OPEN;
import static dev.pipescope.resilience.CircuitBreaker.State.HALF_OPEN;
import static dev.pipescope.resilience.CircuitBreaker.State.OPEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CircuitBreakerTest {
    private static final long MS = 1_000_000L;
    private static final long OPEN_FOR = 2_000 * MS;

    /** 50% of the last 10 calls, at least 4 calls, open 2 s, 2 trial calls. */
    private static final CircuitBreakerConfig CONFIG = new CircuitBreakerConfig(0.5, 10, 4, OPEN_FOR, 2, 20);

    private final List<String> events = new ArrayList<>();
    private CircuitBreaker cb;
    private long now = 1_000 * MS;

    @BeforeEach
    void setUp() {
        cb = new CircuitBreaker("calibration:S3", CONFIG, now);
        cb.addListener((breaker, from, to, at) -> events.add(breaker.name() + ' ' + from + "->" + to + " @" + at));
    }

    private void succeed() {
        assertTrue(cb.tryAcquire(now), "permitted");
        cb.onSuccess(now);
    }

    private void fail() {
        assertTrue(cb.tryAcquire(now), "permitted");
        cb.onFailure(now);
    }

    private void tripOpen() {
        for (int i = 0; i < 4; i++) {
            fail();
        }
        assertEquals(OPEN, cb.state());
    }

    @Test
    void opensAtTheThresholdOnlyAfterMinimumCalls() {
        fail();
        fail();
        fail(); // 100% failures but only 3 calls
        assertEquals(CLOSED, cb.state());
        assertTrue(events.isEmpty());
        fail(); // 4 calls, 100%
        assertEquals(OPEN, cb.state());
        assertEquals(List.of("calibration:S3 CLOSED->OPEN @" + now), events);
        assertEquals(1, cb.transitionCount(OPEN));
        assertEquals(now, cb.stateEnteredNanos());
    }

    @Test
    void staysClosedBelowTheThresholdAndOpensExactlyAtIt() {
        for (int i = 0; i < 6; i++) {
            succeed();
        }
        for (int i = 0; i < 4; i++) { // 4 of 10 = 40%
            fail();
        }
        assertEquals(CLOSED, cb.state());
        assertEquals(0.4, cb.windowFailureRate(), 1e-12);
        succeed(); // evicts a success: still 4/10
        assertEquals(CLOSED, cb.state());
        fail(); // evicts a success: 5/10 = 50%
        assertEquals(OPEN, cb.state());
    }

    @Test
    void oldOutcomesLeaveTheCountBasedWindow() {
        for (int i = 0; i < 3; i++) {
            fail();
        }
        for (int i = 0; i < 10; i++) { // pushes the 3 failures out
            succeed();
        }
        assertEquals(10, cb.windowCalls());
        assertEquals(0.0, cb.windowFailureRate());
        for (int i = 0; i < 4; i++) {
            fail();
        }
        assertEquals(CLOSED, cb.state(), "4/10 < 50%: the early failures no longer count");
    }

    @Test
    void openRejectsUntilTheDurationThenHalfOpens() {
        tripOpen();
        now += OPEN_FOR - 1;
        assertFalse(cb.tryAcquire(now));
        assertEquals(OPEN, cb.state());
        assertEquals(1, cb.rejectedCalls());
        now += 1;
        assertTrue(cb.tryAcquire(now), "first trial call");
        assertEquals(HALF_OPEN, cb.state());
        assertEquals(1, cb.transitionCount(HALF_OPEN));
        assertEquals(OPEN_FOR, cb.openNanos(now), "time spent open");
        assertEquals("calibration:S3 OPEN->HALF_OPEN @" + now, events.get(1));
    }

    @Test
    void halfOpenAllowsOnlyTheTrialCallsAndClosesAfterThatManySuccesses() {
        tripOpen();
        now += OPEN_FOR;
        assertTrue(cb.tryAcquire(now));
        assertTrue(cb.tryAcquire(now));
        assertFalse(cb.tryAcquire(now), "only 2 trial calls");
        cb.onSuccess(now);
        assertEquals(HALF_OPEN, cb.state());
        cb.onSuccess(now);
        assertEquals(CLOSED, cb.state());
        assertEquals(1, cb.transitionCount(CLOSED));
        assertEquals(0, cb.windowCalls(), "closed with a fresh window");
        assertEquals(List.of(
            "calibration:S3 CLOSED->OPEN @" + (now - OPEN_FOR),
            "calibration:S3 OPEN->HALF_OPEN @" + now,
            "calibration:S3 HALF_OPEN->CLOSED @" + now), events);
        fail();
        fail();
        fail();
        assertEquals(CLOSED, cb.state(), "minimum calls counted afresh");
    }

    @Test
    void anyFailureWhileHalfOpenReopens() {
        tripOpen();
        now += OPEN_FOR;
        assertTrue(cb.tryAcquire(now));
        cb.onSuccess(now);
        assertTrue(cb.tryAcquire(now));
        cb.onFailure(now);
        assertEquals(OPEN, cb.state());
        assertEquals(2, cb.transitionCount(OPEN));
        assertEquals(now, cb.stateEnteredNanos(), "open duration restarts");
        assertFalse(cb.tryAcquire(now + OPEN_FOR - 1));
        assertTrue(cb.tryAcquire(now + OPEN_FOR));
        assertEquals(HALF_OPEN, cb.state());
        assertEquals(2, cb.transitionCount(HALF_OPEN));
    }

    @Test
    void forceOpenHoldsUntilReset() {
        cb.forceOpen(now);
        assertEquals(FORCED_OPEN, cb.state());
        assertTrue(cb.isOpen());
        now += 10 * OPEN_FOR;
        assertFalse(cb.tryAcquire(now), "no automatic half-open");
        assertEquals(FORCED_OPEN, cb.state());
        cb.reset(now);
        assertEquals(CLOSED, cb.state());
        assertTrue(cb.tryAcquire(now));
        cb.onSuccess(now);
        assertEquals(10 * OPEN_FOR, cb.openNanos(now));
        assertEquals(1, cb.transitionCount(FORCED_OPEN));
        assertEquals(1, cb.transitionCount(CLOSED));
        assertEquals(List.of(
            "calibration:S3 CLOSED->FORCED_OPEN @" + (now - 10 * OPEN_FOR),
            "calibration:S3 FORCED_OPEN->CLOSED @" + now), events);
    }

    @Test
    void forceCloseIgnoresFailuresUntilReset() {
        tripOpen();
        cb.forceClose(now);
        assertEquals(FORCED_CLOSED, cb.state());
        for (int i = 0; i < 20; i++) {
            fail();
        }
        assertEquals(FORCED_CLOSED, cb.state(), "failures cannot open a forced-closed breaker");
        cb.reset(now);
        assertEquals(CLOSED, cb.state());
        fail();
        fail();
        fail();
        assertEquals(CLOSED, cb.state(), "reset started an empty window");
        fail();
        assertEquals(OPEN, cb.state());
        assertEquals(2, cb.transitionCount(OPEN));
        assertEquals(1, cb.transitionCount(FORCED_CLOSED));
        assertEquals(1, cb.transitionCount(CLOSED));
    }

    @Test
    void resetClearsTheWindowOfAClosedBreakerWithoutATransition() {
        fail();
        fail();
        fail();
        cb.reset(now);
        assertTrue(events.isEmpty(), "CLOSED -> CLOSED is no transition");
        fail();
        assertEquals(CLOSED, cb.state(), "the three failures before the reset are gone");
        assertEquals(1, cb.windowCalls());
    }

    @Test
    void anAutomaticTransitionNeverOverridesAForcedState() {
        tripOpen();
        now += OPEN_FOR;
        assertTrue(cb.tryAcquire(now)); // half-open trial in flight
        cb.forceOpen(now);              // operator acts meanwhile
        cb.onSuccess(now);
        cb.onSuccess(now);
        assertEquals(FORCED_OPEN, cb.state());
    }

    @Test
    void parametersAreTunableAtRuntime() {
        cb.minimumCalls(2);
        cb.failureRateThreshold(1.0);
        fail();
        succeed();
        assertEquals(CLOSED, cb.state(), "50% < 100%");
        cb.windowSize(2); // fresh window at the next call
        fail();
        fail();
        assertEquals(OPEN, cb.state());
        cb.openDurationNanos(10);
        cb.trialCalls(1);
        assertTrue(cb.tryAcquire(now + 10));
        assertFalse(cb.tryAcquire(now + 10));
        cb.onSuccess(now + 10);
        assertEquals(CLOSED, cb.state());
        assertThrows(IllegalArgumentException.class, () -> cb.windowSize(21));
        assertThrows(IllegalArgumentException.class, () -> cb.failureRateThreshold(0));
        assertThrows(IllegalArgumentException.class, () -> cb.trialCalls(0));
    }

    @Test
    void countsCallsAndOutcomes() {
        succeed();
        fail();
        assertEquals(2, cb.permittedCalls());
        assertEquals(1, cb.successes());
        assertEquals(1, cb.failures());
        assertEquals(0, cb.rejectedCalls());
        for (final State s : State.values()) {
            assertEquals(0, cb.transitionCount(s));
        }
    }
}
