package dev.pipescope.resilience;

/**
 * Backoff time still allowed in the current batch. A retry whose wait does not fit is not attempted, so
 * the time a batch spends waiting for retries never exceeds the budget. Only waits are charged: the
 * attempts themselves are bounded by the dependency's own timeout.
 *
 * <p>Owned by the processing thread; {@link #remainingNanos()} may be read by others (volatile) for display.
 */
public final class RetryBudget {
    private final long perBatchNanos;
    private volatile long remainingNanos;

    /** @param perBatchNanos backoff allowed per batch, {@code >= 0}. */
    public RetryBudget(final long perBatchNanos) {
        if (perBatchNanos < 0) {
            throw new IllegalArgumentException("budget must be >= 0, was " + perBatchNanos);
        }
        this.perBatchNanos = perBatchNanos;
        remainingNanos = perBatchNanos;
    }

    /** Refills the budget; call at the start of each batch. Owner thread. */
    public void reset() {
        remainingNanos = perBatchNanos;
    }

    /**
     * Charges a wait if it fits. Owner thread; allocation-free.
     *
     * @param nanos the wait.
     * @return true when charged (the caller may wait), false when it does not fit (nothing charged).
     */
    public boolean trySpend(final long nanos) {
        final long remaining = remainingNanos;
        if (nanos > remaining) {
            return false;
        }
        remainingNanos = remaining - nanos;
        return true;
    }

    /** @return backoff time left in this batch. */
    public long remainingNanos() {
        return remainingNanos;
    }

    /** @return backoff time allowed per batch. */
    public long perBatchNanos() {
        return perBatchNanos;
    }
}
