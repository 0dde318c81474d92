package dev.pipescope.resilience;

import dev.pipescope.resilience.CircuitBreaker.State;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.pipescope.resilience.CircuitBreaker.State.CLOSED;
import static dev.pipescope.resilience.CircuitBreaker.State.FORCED_CLOSED;
import static dev.pipescope.resilience.CircuitBreaker.State.FORCED_OPEN;
import static dev.pipescope.resilience.CircuitBreaker.State.HALF_OPEN;
import static dev.pipescope.resilience.CircuitBreaker.State.OPEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
    void outageAgeSpansFailedHalfOpenProbes() {
        final long opened = now;
        tripOpen();
        assertEquals(opened, cb.outageStartedNanos());
        for (int probe = 0; probe < 3; probe++) { // each probe fails: OPEN -> HALF_OPEN -> OPEN
            now += OPEN_FOR;
            assertTrue(cb.tryAcquire(now), "trial call");
            assertEquals(HALF_OPEN, cb.state());
            assertEquals(opened, cb.outageStartedNanos(), "half-open is still the same outage");
            cb.onFailure(now);
            assertEquals(OPEN, cb.state());
            assertEquals(now, cb.stateEnteredNanos(), "the open period restarts at each probe");
            assertEquals(opened, cb.outageStartedNanos(), "the outage does not");
        }
        now += 100 * MS; // the report of issue 15: 0.1 s into the latest open period, 6.1 s into the outage
        assertEquals(100 * MS, now - cb.stateEnteredNanos());
        assertEquals(3 * OPEN_FOR + 100 * MS, cb.outageNanos(now));
        assertEquals(1, cb.outageCount(), "one outage");
        assertEquals(4, cb.transitionCount(OPEN), "its first opening and three reopenings");
    }

    @Test
    void closingEndsTheOutageAndTheNextOneIsCountedAfresh() {
        final long opened = now;
        tripOpen();
        now += OPEN_FOR;
        assertTrue(cb.tryAcquire(now));
        cb.onFailure(now); // a failed probe
        now += OPEN_FOR;
        succeed();
        succeed(); // two trial successes close it
        assertEquals(CLOSED, cb.state());
        assertEquals(CircuitBreaker.NONE, cb.outageStartedNanos());
        assertEquals(0, cb.outageNanos(now + OPEN_FOR));
        assertEquals(now - opened, cb.lastOutageNanos(), "the ended outage's length stays readable");

        now += 10 * OPEN_FOR;
        final long reopened = now;
        tripOpen();
        assertEquals(reopened, cb.outageStartedNanos(), "a new outage starts from its own opening");
        assertEquals(OPEN_FOR, cb.outageNanos(now + OPEN_FOR));
        assertEquals(2, cb.outageCount());
        assertEquals(3, cb.transitionCount(OPEN));
    }

    @Test
    void aListenerOnTheClosingTransitionReadsTheEndedOutage() {
        final List<Long> seen = new ArrayList<>();
        cb.addListener((breaker, from, to, at) -> {
            if (to == CLOSED) {
                seen.add(breaker.lastOutageNanos());
                seen.add(breaker.outageStartedNanos());
            }
        });
        tripOpen();
        now += OPEN_FOR;
        succeed();
        succeed();
        assertEquals(List.of(OPEN_FOR, CircuitBreaker.NONE), seen);
    }

    @Test
    void forcedOpenIsAnOutageAndJoinsOneInProgress() {
        final long forced = now;
        cb.forceOpen(now);
        assertEquals(forced, cb.outageStartedNanos(), "forced open from closed starts an outage");
        assertEquals(1, cb.outageCount());
        now += 5 * OPEN_FOR;
        assertEquals(5 * OPEN_FOR, cb.outageNanos(now));
        cb.reset(now);
        assertEquals(CircuitBreaker.NONE, cb.outageStartedNanos(), "reset closes: the outage ends");
        assertEquals(5 * OPEN_FOR, cb.lastOutageNanos());

        now += OPEN_FOR;
        final long opened = now;
        tripOpen();
        now += OPEN_FOR;
        assertTrue(cb.tryAcquire(now)); // half-open
        cb.forceOpen(now);              // the operator holds it open: same outage
        now += OPEN_FOR;
        assertEquals(opened, cb.outageStartedNanos());
        assertEquals(2 * OPEN_FOR, cb.outageNanos(now));
        assertEquals(2, cb.outageCount());
        cb.forceClose(now);
        assertEquals(CircuitBreaker.NONE, cb.outageStartedNanos(), "forced closed: calls pass, no outage");
        assertEquals(0, cb.outageNanos(now));
        cb.forceOpen(now + 1);
        assertEquals(now + 1, cb.outageStartedNanos(), "forced closed to forced open is a new outage");
        assertEquals(3, cb.outageCount());
    }

    @Test
    void outageBookkeepingStaysConsistentWhileAnOperatorRacesTheWriter() throws Exception {
        // opens at every failure and probes at once: the writer flips between outage and closed constantly
        final CircuitBreaker racy = new CircuitBreaker("calibration:S9", new CircuitBreakerConfig(1.0, 1, 1, 0, 1, 1), 0);
        final AtomicLong clock = new AtomicLong(); // unique times: a stored start never equals an older one
        final AtomicLong outagesSeen = new AtomicLong();
        racy.addListener((breaker, from, to, at) -> {
            if ((from == CLOSED || from == FORCED_CLOSED) && (to == OPEN || to == FORCED_OPEN)) {
                outagesSeen.incrementAndGet();
            }
        });
        final AtomicBoolean done = new AtomicBoolean();
        final Thread writer = new Thread(() -> {
            for (int i = 0; i < 200_000; i++) {
                if (racy.tryAcquire(clock.incrementAndGet())) {
                    if (i % 3 == 0) {
                        racy.onSuccess(clock.incrementAndGet());
                    } else {
                        racy.onFailure(clock.incrementAndGet());
                    }
                }
            }
            done.set(true);
        });
        writer.start();
        long commands = 0;
        while (!done.get()) {
            switch ((int)(commands++ % 4)) {
                case 0 -> racy.forceOpen(clock.incrementAndGet());
                case 2 -> racy.forceClose(clock.incrementAndGet());
                default -> racy.reset(clock.incrementAndGet());
            }
        }
        writer.join();
        assertTrue(commands > 10, "the operator raced the writer: " + commands + " commands");
        assertEquals(outagesSeen.get(), racy.outageCount(), "every outage counted exactly once");
        final State state = racy.state();
        if (state == CLOSED || state == FORCED_CLOSED) {
            assertEquals(CircuitBreaker.NONE, racy.outageStartedNanos(), "a closed breaker reports no outage");
        } else {
            assertNotEquals(CircuitBreaker.NONE, racy.outageStartedNanos(), "an outage in progress has a start");
        }
    }

    @Test
    void remembersTheLastFailureAndTheLastRejection() {
        assertEquals(CircuitBreaker.NONE, cb.lastFailureNanos());
        assertEquals(CircuitBreaker.NONE, cb.lastRejectedNanos());
        succeed();
        assertEquals(CircuitBreaker.NONE, cb.lastFailureNanos());
        now += MS;
        final long failedAt = now;
        fail();
        fail();
        fail(); // 3 of 4 calls failed: open
        assertEquals(OPEN, cb.state());
        assertEquals(failedAt, cb.lastFailureNanos());
        now += MS;
        assertFalse(cb.tryAcquire(now));
        assertEquals(now, cb.lastRejectedNanos());
        assertEquals(failedAt, cb.lastFailureNanos(), "a rejection is not a failure");
        cb.forceOpen(now);
        assertFalse(cb.tryAcquire(now + MS));
        assertEquals(now + MS, cb.lastRejectedNanos(), "forced open rejects too");
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
        assertEquals(0, cb.outageCount());
        assertEquals(CircuitBreaker.NONE, cb.outageStartedNanos());
        assertEquals(0, cb.lastOutageNanos());
    }
}
