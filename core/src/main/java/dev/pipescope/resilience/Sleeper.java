package dev.pipescope.resilience;

import java.util.concurrent.locks.LockSupport;

/**
 * Waits between retry attempts. Injectable so that tests advance a fake clock instead of sleeping.
 */
@FunctionalInterface
public interface Sleeper {
    /** Parks the calling thread for the whole duration ({@code parkNanos} may return early; this re-parks). */
    Sleeper PARKING = Sleeper::parkFully;

    /**
     * Waits.
     *
     * @param nanos how long, {@code >= 0}.
     */
    void sleepNanos(long nanos);

    /**
     * Parks until {@code nanos} have passed on {@link System#nanoTime()}, or the thread is interrupted
     * (the interrupt status is left set). Allocation-free.
     *
     * @param nanos how long.
     */
    static void parkFully(final long nanos) {
        final long deadline = System.nanoTime() + nanos;
        long left = nanos;
        while (left > 0 && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(left);
            left = deadline - System.nanoTime();
        }
    }
}
