package dev.pipescope.resilience;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SlidingWindowCounterTest {
    private static final long S = 1_000_000_000L;
    private static final long MINUTE = 60 * S;
    private static final long FIVE_MINUTES = 5 * MINUTE;

    @Test
    void countsLeaveTheWindowExactlyAtTheBucketBoundary() {
        final SlidingWindowCounter c = SlidingWindowCounter.perSecondForFiveMinutes();
        final long t = 1_000 * S + S / 2; // middle of bucket 1000
        c.add(3, t);
        assertEquals(3, c.sum(MINUTE, t));
        // a 60 s window holds buckets 1000..1059: the event counts until bucket 1060 begins
        assertEquals(3, c.sum(MINUTE, 1_060 * S - 1));
        assertEquals(0, c.sum(MINUTE, 1_060 * S));
        assertEquals(3, c.sum(FIVE_MINUTES, 1_060 * S));
        assertEquals(3, c.sum(FIVE_MINUTES, 1_300 * S - 1));
        assertEquals(0, c.sum(FIVE_MINUTES, 1_300 * S));
        assertEquals(3, c.total());
    }

    @Test
    void oneMinuteVersusFiveMinutes() {
        final SlidingWindowCounter c = SlidingWindowCounter.perSecondForFiveMinutes();
        final long start = 10_000 * S;
        for (int second = 0; second < 300; second++) { // one event per second for five minutes
            c.increment(start + second * S);
        }
        final long now = start + 299 * S;
        assertEquals(60, c.sum(MINUTE, now));
        assertEquals(300, c.sum(FIVE_MINUTES, now));
        assertEquals(10, c.sum(10 * S, now));
        // two minutes of silence later
        assertEquals(0, c.sum(MINUTE, now + 60 * S));
        assertEquals(240, c.sum(FIVE_MINUTES, now + 60 * S));
        assertEquals(180, c.sum(FIVE_MINUTES, now + 120 * S));
    }

    @Test
    void recycledBucketsDoNotLeakOldCounts() {
        final SlidingWindowCounter c = new SlidingWindowCounter(S, 10 * S); // 11 slots
        c.add(100, 0);
        c.add(1, 11 * S);  // same slot as bucket 0, eleven buckets later
        assertEquals(1, c.sum(10 * S, 11 * S));
        c.add(5, 22 * S);   // same slot again, old bucket not in window
        assertEquals(5, c.sum(10 * S, 22 * S));
        assertEquals(0, c.sum(10 * S, 40 * S), "reader far ahead of the writer sees nothing stale");
        assertEquals(106, c.total());
    }

    @Test
    void negativeClockValuesWork() {
        final SlidingWindowCounter c = new SlidingWindowCounter(S, 60 * S);
        c.increment(-S / 2);  // bucket -1
        c.increment(S / 2);   // bucket 0
        assertEquals(2, c.sum(2 * S, S / 2));
        assertEquals(1, c.sum(S, S / 2));
    }

    @Test
    void windowsOutsideTheHorizonAreRejected() {
        final SlidingWindowCounter c = SlidingWindowCounter.perSecondForFiveMinutes();
        assertThrows(IllegalArgumentException.class, () -> c.sum(FIVE_MINUTES + 1, 0));
        assertThrows(IllegalArgumentException.class, () -> c.sum(0, 0));
        assertThrows(IllegalArgumentException.class, () -> c.add(-1, 0));
    }

    @Test
    void concurrentReadersNeverSeeMoreThanWasAddedOrNegativeSums() throws Exception {
        final SlidingWindowCounter c = new SlidingWindowCounter(1_000, 64_000); // 1 µs buckets, 64 of them
        final int events = 2_000_000;
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicReference<String> problem = new AtomicReference<>();
        final Thread writer = new Thread(() -> {
            for (int i = 0; i < events; i++) {
                c.add(2, i * 100L); // 10 events of 2 per bucket: each bucket ends at exactly 20
            }
            done.set(true);
        });
        writer.start();
        while (!done.get()) {
            final long total = c.total();
            final long now = Math.max(0, (total / 2 - 1) * 100L); // about where the writer is
            final long sum = c.sum(64_000, now);
            if (sum < 0 || sum > 64 * 20 || sum % 2 != 0) {
                problem.compareAndSet(null, "sum " + sum + " at " + now);
            }
        }
        writer.join();
        assertNull(problem.get());
        assertEquals(64 * 20, c.sum(64_000, (events - 1) * 100L));
        assertEquals(2L * events, c.total());
    }
}
