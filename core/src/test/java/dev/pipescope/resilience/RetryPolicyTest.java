package dev.pipescope.resilience;

import dev.pipescope.resilience.RetryPolicy.Jitter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {
    private static final long MS = 1_000_000L;

    @Test
    void backoffGrowsExponentiallyAndIsCapped() {
        final RetryPolicy p = new RetryPolicy(10, 10 * MS, 2.0, 100 * MS, Jitter.NONE, 0, 1);
        assertEquals(10 * MS, p.backoffNanos(1));
        assertEquals(20 * MS, p.backoffNanos(2));
        assertEquals(40 * MS, p.backoffNanos(3));
        assertEquals(80 * MS, p.backoffNanos(4));
        assertEquals(100 * MS, p.backoffNanos(5));
        assertEquals(100 * MS, p.backoffNanos(500), "huge exponents stay capped");
        assertThrows(IllegalArgumentException.class, () -> p.backoffNanos(0));
    }

    @Test
    void fullJitterStaysWithinZeroAndTheCeilingAndSpreads() {
        final RetryPolicy p = new RetryPolicy(10, 10 * MS, 2.0, 100 * MS, Jitter.FULL, 0, 42);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 10_000; i++) {
            final long b = p.backoffNanos(3);
            assertTrue(b >= 0 && b <= 40 * MS, "backoff " + b);
            min = Math.min(min, b);
            max = Math.max(max, b);
        }
        assertTrue(min < 4 * MS && max > 36 * MS, "spread over the range: " + min + ".." + max);
    }

    @Test
    void equalJitterKeepsAtLeastHalf() {
        final RetryPolicy p = new RetryPolicy(10, 10 * MS, 2.0, 100 * MS, Jitter.EQUAL, 0, 42);
        for (int i = 0; i < 10_000; i++) {
            final long b = p.backoffNanos(5); // ceiling capped at 100 ms
            assertTrue(b >= 50 * MS && b <= 100 * MS, "backoff " + b);
        }
    }

    @Test
    void sameSeedSameSequence() {
        final RetryPolicy a = new RetryPolicy(5, MS, 2.0, 100 * MS, Jitter.FULL, 0, 7);
        final RetryPolicy b = new RetryPolicy(5, MS, 2.0, 100 * MS, Jitter.FULL, 0, 7);
        final RetryPolicy c = new RetryPolicy(5, MS, 2.0, 100 * MS, Jitter.FULL, 0, 8);
        boolean differs = false;
        for (int i = 1; i <= 50; i++) {
            final long x = a.backoffNanos(4);
            assertEquals(x, b.backoffNanos(4));
            differs |= x != c.backoffNanos(4);
        }
        assertTrue(differs);
        assertNotEquals(0, a.backoffCeilingNanos(4));
    }

    @Test
    void budgetChargesOnlyWhatFits() {
        final RetryBudget budget = new RetryBudget(100);
        assertTrue(budget.trySpend(60));
        assertFalse(budget.trySpend(41), "does not fit: nothing charged");
        assertEquals(40, budget.remainingNanos());
        assertTrue(budget.trySpend(40));
        assertEquals(0, budget.remainingNanos());
        budget.reset();
        assertEquals(100, budget.remainingNanos());
    }

    @Test
    void rejectsBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, 1, 2, 10, Jitter.NONE, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(1, 10, 2, 5, Jitter.NONE, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(1, 1, 0.5, 5, Jitter.NONE, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(1, 1, 2, 5, Jitter.NONE, -1, 1));
    }
}
