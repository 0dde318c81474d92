package dev.pipescope.log;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

import java.io.PrintStream;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link ErrorHandler} of pipescope's background agents (the health reporter, notification relays):
 * every error is counted, and logged at most once per interval — the first at once, later ones as one
 * {@code background_error} event carrying how many happened since the previous one — so a listener that
 * throws on every report neither dies silently nor floods the log. Thread-safe; allocation on the error
 * path only.
 */
public final class BackgroundErrorHandler implements ErrorHandler {
    /** Default: at most one logged error per 10 s. */
    public static final long DEFAULT_INTERVAL_MS = 10_000;

    private final StructuredLogger logger;
    private final PrintStream fallback;
    private final EpochClock clock;
    private final long intervalMs;
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong unlogged = new AtomicLong();
    private volatile long lastLoggedMs = Long.MIN_VALUE;

    /**
     * @param logger     where {@code background_error} events go, or null to print one line to
     *                   {@code fallback} instead.
     * @param fallback   used when there is no logger.
     * @param clock      wall time, for the interval.
     * @param intervalMs at least this long between two logged errors.
     */
    public BackgroundErrorHandler(final StructuredLogger logger, final PrintStream fallback, final EpochClock clock,
        final long intervalMs) {
        if (intervalMs < 0) {
            throw new IllegalArgumentException("error log interval must be >= 0 ms, was " + intervalMs);
        }
        this.logger = logger;
        this.fallback = Objects.requireNonNull(fallback, "fallback");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.intervalMs = intervalMs;
    }

    /**
     * @param logger where {@code background_error} events go.
     * @return a handler logging at most one error per {@value #DEFAULT_INTERVAL_MS} ms.
     */
    public static BackgroundErrorHandler logTo(final StructuredLogger logger) {
        return new BackgroundErrorHandler(logger, System.err, new SystemEpochClock(), DEFAULT_INTERVAL_MS);
    }

    /** @return a handler printing at most one line per {@value #DEFAULT_INTERVAL_MS} ms to standard error. */
    public static BackgroundErrorHandler standardError() {
        return new BackgroundErrorHandler(null, System.err, new SystemEpochClock(), DEFAULT_INTERVAL_MS);
    }

    @Override
    public void onError(final Throwable error) {
        errors.incrementAndGet();
        final long now = clock.time();
        final long last = lastLoggedMs;
        if (last != Long.MIN_VALUE && now - last < intervalMs) {
            unlogged.incrementAndGet();
            return;
        }
        lastLoggedMs = now;
        final long suppressed = unlogged.getAndSet(0);
        final String thread = Thread.currentThread().getName();
        if (logger != null) {
            logger.begin(LogLevel.ERROR, "background_error")
                .field("thread", thread)
                .field("errorType", error.getClass().getName())
                .field("error", String.valueOf(error.getMessage()))
                .field("at", where(error))
                .field("errorsTotal", errors.get())
                .field("notLoggedSincePrevious", suppressed)
                .end();
        } else {
            fallback.println("pipescope: error on " + thread + ": " + error + " at " + where(error) + " ("
                + errors.get() + " so far, " + suppressed + " not shown since the previous)");
            fallback.flush();
        }
    }

    private static String where(final Throwable error) {
        final StackTraceElement[] trace = error.getStackTrace();
        return trace.length == 0 ? "unknown" : trace[0].toString();
    }

    /** @return errors handled since creation. */
    public long errorCount() {
        return errors.get();
    }
}
