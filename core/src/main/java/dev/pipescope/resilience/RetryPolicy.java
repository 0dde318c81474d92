package dev.pipescope.resilience;

import java.util.SplittableRandom;

/**
 * How often and how patiently to retry: at most {@code maxAttempts} attempts, exponential backoff
 * {@code base * multiplier^(n-1)} capped at {@code maxBackoff}, optional jitter, and a retry-time budget per
 * batch (see {@link RetryBudget}) so that backoff never stalls the pipeline for longer than that.
 *
 * <p>Jitter draws from a {@link SplittableRandom} seeded at construction: reproducible in tests, and
 * allocation-free. The generator is not thread-safe, so a policy belongs to one thread (the one that
 * retries); create one per processing thread.
 */
public final class RetryPolicy {
    /** How the backoff is randomised. */
    public enum Jitter {
        /** Exactly the exponential backoff. */
        NONE,
        /** Uniform in {@code [0, backoff]}: spreads retries the most (AWS "full jitter"). */
        FULL,
        /** Uniform in {@code [backoff/2, backoff]}: keeps at least half the wait ("equal jitter"). */
        EQUAL
    }

    private final int maxAttempts;
    private final long baseBackoffNanos;
    private final double multiplier;
    private final long maxBackoffNanos;
    private final Jitter jitter;
    private final long retryBudgetNanos;
    private final SplittableRandom random;

    /**
     * @param maxAttempts      attempts per call including the first, {@code >= 1}.
     * @param baseBackoffNanos wait after the first failed attempt before jitter, {@code >= 0}.
     * @param multiplier       growth of the wait per further failed attempt, {@code >= 1}.
     * @param maxBackoffNanos  cap of the wait before jitter, {@code >= baseBackoffNanos}.
     * @param jitter           how waits are randomised.
     * @param retryBudgetNanos total backoff allowed per batch, {@code >= 0}.
     * @param seed             seed of the jitter generator.
     */
    public RetryPolicy(
        final int maxAttempts,
        final long baseBackoffNanos,
        final double multiplier,
        final long maxBackoffNanos,
        final Jitter jitter,
        final long retryBudgetNanos,
        final long seed) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
        if (baseBackoffNanos < 0 || maxBackoffNanos < baseBackoffNanos) {
            throw new IllegalArgumentException(
                "need 0 <= baseBackoff <= maxBackoff, got " + baseBackoffNanos + ", " + maxBackoffNanos);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1, was " + multiplier);
        }
        if (retryBudgetNanos < 0) {
            throw new IllegalArgumentException("retryBudgetNanos must be >= 0, was " + retryBudgetNanos);
        }
        this.maxAttempts = maxAttempts;
        this.baseBackoffNanos = baseBackoffNanos;
        this.multiplier = multiplier;
        this.maxBackoffNanos = maxBackoffNanos;
        this.jitter = jitter;
        this.retryBudgetNanos = retryBudgetNanos;
        random = new SplittableRandom(seed);
    }

    /** @return attempts per call including the first. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** @return the first wait before jitter. */
    public long baseBackoffNanos() {
        return baseBackoffNanos;
    }

    /** @return growth factor of the wait. */
    public double multiplier() {
        return multiplier;
    }

    /** @return the cap of the wait before jitter. */
    public long maxBackoffNanos() {
        return maxBackoffNanos;
    }

    /** @return the jitter mode. */
    public Jitter jitter() {
        return jitter;
    }

    /** @return backoff allowed per batch. */
    public long retryBudgetNanos() {
        return retryBudgetNanos;
    }

    /**
     * The deterministic wait after failed attempt {@code attempt}, before jitter. Pure; any thread.
     *
     * @param attempt the number of the attempt that failed, {@code >= 1}.
     * @return {@code min(maxBackoff, base * multiplier^(attempt-1))}.
     */
    public long backoffCeilingNanos(final int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
        }
        final double exponential = baseBackoffNanos * Math.pow(multiplier, attempt - 1);
        return exponential >= maxBackoffNanos ? maxBackoffNanos : (long)exponential; // also caps +Infinity
    }

    /**
     * The wait after failed attempt {@code attempt}, jitter applied. Owner thread only (advances the
     * generator); allocation-free.
     *
     * @param attempt the number of the attempt that failed, {@code >= 1}.
     * @return nanoseconds to wait before the next attempt.
     */
    public long backoffNanos(final int attempt) {
        final long ceiling = backoffCeilingNanos(attempt);
        if (ceiling == 0) {
            return 0;
        }
        switch (jitter) {
            case FULL:
                return random.nextLong(ceiling + 1);
            case EQUAL:
                final long half = ceiling / 2;
                return half + random.nextLong(ceiling - half + 1);
            default:
                return ceiling;
        }
    }

    /** @return a budget sized for this policy; reset it at the start of every batch. */
    public RetryBudget newBudget() {
        return new RetryBudget(retryBudgetNanos);
    }
}
