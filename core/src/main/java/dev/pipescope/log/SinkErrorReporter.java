package dev.pipescope.log;

import org.agrona.concurrent.EpochClock;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells a human that a sink is failing, at most once per interval, so a full disk produces one stderr line
 * every few seconds rather than one per event. Only the error path allocates (the message text).
 */
final class SinkErrorReporter {
    /** Default interval between two reports of the same sink. */
    static final long DEFAULT_INTERVAL_MILLIS = 10_000;

    private final String sinkName;
    private final long intervalMillis;
    private final EpochClock clock;
    private final PrintStream out;
    private final AtomicLong errorsSinceReport = new AtomicLong();
    private final AtomicLong nextReportMillis = new AtomicLong(Long.MIN_VALUE);

    SinkErrorReporter(final String sinkName, final long intervalMillis, final EpochClock clock, final PrintStream out) {
        this.sinkName = sinkName;
        this.intervalMillis = intervalMillis;
        this.clock = clock;
        this.out = out;
    }

    /** Notes a failure and prints a summary if none was printed during the last interval. */
    void report(final Throwable cause) {
        errorsSinceReport.getAndIncrement();
        final long now = clock.time();
        final long next = nextReportMillis.get();
        // The CAS picks one reporter among threads failing at the same moment.
        if (now >= next && nextReportMillis.compareAndSet(next, now + intervalMillis)) {
            final long errors = errorsSinceReport.getAndSet(0);
            try {
                out.println("pipescope log sink " + sinkName + ": " + errors
                    + " write error(s) since the last report, latest: " + cause);
            } catch (final RuntimeException ignored) {
                // stderr itself is broken: nothing left to tell
            }
        }
    }
}
