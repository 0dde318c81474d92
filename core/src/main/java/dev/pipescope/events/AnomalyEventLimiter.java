package dev.pipescope.events;

/**
 * Decides which flagged readings become {@code anomaly_detected} events, per sensor, in <em>reading</em>
 * time: at most one event per sensor per {@code intervalMs} of the readings' own timestamps (0: every
 * flagged reading is an event). Judging by reading time rather than the wall clock means a file replayed
 * in 200 ms logs what an hour of live readings would.
 *
 * <p>The count is exact: every flagged reading is either logged or counted as suppressed, and a logged
 * event carries the number suppressed for its sensor since that sensor's previous event; what is still
 * pending at the end is reported by {@link #drain(Drain)}. So, per sensor, events + suppressed = flagged.
 *
 * <p>Single-threaded (the processing thread); allocation-free after construction.
 */
public final class AnomalyEventLimiter {
    /** Receives the sensors with suppressed readings still pending. */
    @FunctionalInterface
    public interface Drain {
        /**
         * @param sensor     the sensor id.
         * @param suppressed its flagged readings not yet reported.
         */
        void pending(int sensor, long suppressed);
    }

    private static final long NEVER = Long.MIN_VALUE;

    private final long intervalMs;
    private final long[] lastLoggedReadingMs;
    private final long[] pending;
    private final long[] flagged;
    private final long[] logged;

    /**
     * @param sensorCapacity the number of sensor ids (the registry's capacity).
     * @param intervalMs     at least this many ms of reading time between two events of one sensor; 0 logs
     *                       every flagged reading.
     */
    public AnomalyEventLimiter(final int sensorCapacity, final long intervalMs) {
        if (intervalMs < 0) {
            throw new IllegalArgumentException("anomaly log interval must be >= 0 ms, was " + intervalMs);
        }
        this.intervalMs = intervalMs;
        lastLoggedReadingMs = new long[sensorCapacity];
        java.util.Arrays.fill(lastLoggedReadingMs, NEVER);
        pending = new long[sensorCapacity];
        flagged = new long[sensorCapacity];
        logged = new long[sensorCapacity];
    }

    /**
     * Called for each flagged reading, in order.
     *
     * @param sensor    the sensor id.
     * @param readingMs the reading's timestamp.
     * @return the number of this sensor's readings suppressed since its previous event when this reading is
     *         to be logged (0 or more), or -1 when it is suppressed.
     */
    public long offer(final int sensor, final long readingMs) {
        flagged[sensor]++;
        final long last = lastLoggedReadingMs[sensor];
        if (intervalMs == 0 || last == NEVER || readingMs - last >= intervalMs || readingMs < last) {
            // a clock that steps back (a new file, a replayed range) starts the sensor's interval afresh
            lastLoggedReadingMs[sensor] = readingMs;
            logged[sensor]++;
            final long suppressed = pending[sensor];
            pending[sensor] = 0;
            return suppressed;
        }
        pending[sensor]++;
        return -1;
    }

    /**
     * Hands every sensor's still-pending suppressed count to {@code drain} and clears it (end of a run).
     *
     * @param drain told once per sensor with a pending count above 0.
     */
    public void drain(final Drain drain) {
        for (int s = 0; s < pending.length; s++) {
            if (pending[s] > 0) {
                final long n = pending[s];
                pending[s] = 0;
                drain.pending(s, n);
            }
        }
    }

    /**
     * @param sensor a sensor id.
     * @return its flagged readings offered so far.
     */
    public long flagged(final int sensor) {
        return flagged[sensor];
    }

    /**
     * @param sensor a sensor id.
     * @return its readings logged as events so far.
     */
    public long logged(final int sensor) {
        return logged[sensor];
    }

    /** @return the interval in reading-time milliseconds (0: no limit). */
    public long intervalMs() {
        return intervalMs;
    }
}
