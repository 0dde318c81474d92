package dev.pipescope.health;


/**
 * The limits the health rules judge by, each rule with an <em>enter</em> and a lower <em>exit</em> limit
 * (hysteresis), so that a figure hovering around one line cannot make the status flap. Immutable; build
 * one with {@link #builder()} (starting from the defaults) and hand it to
 * {@link HealthDashboard#thresholds(HealthThresholds)}.
 */
public final class HealthThresholds {
    /** The defaults, documented per rule in README's health section. */
    public static final HealthThresholds DEFAULTS = builder().build();

    private final long stallTimeoutMs;
    private final double retriesPerMinute;
    private final long retryQuietMs;
    private final double gcShareEnter;
    private final double gcShareExit;
    private final double liveSetShareEnter;
    private final double liveSetShareExit;
    private final double exhaustionHorizonSeconds;
    private final double allocationPerBatchEnter;
    private final double allocationPerBatchExit;
    private final double dropEnterRatio;
    private final double dropExitRatio;
    private final long minBatchesForDrop;
    private final double minBusyShareForDrop;
    private final int persistence;
    private final double sourceBoundBusyShare;
    private final double degradedShareEnter;
    private final double degradedShareExit;
    private final double failingShareEnter;
    private final double failingShareExit;

    private HealthThresholds(final Builder b) {
        stallTimeoutMs = b.stallTimeoutMs;
        retriesPerMinute = b.retriesPerMinute;
        retryQuietMs = b.retryQuietMs;
        gcShareEnter = b.gcShareEnter;
        gcShareExit = b.gcShareExit;
        liveSetShareEnter = b.liveSetShareEnter;
        liveSetShareExit = b.liveSetShareExit;
        exhaustionHorizonSeconds = b.exhaustionHorizonSeconds;
        allocationPerBatchEnter = b.allocationPerBatchEnter;
        allocationPerBatchExit = b.allocationPerBatchExit;
        dropEnterRatio = b.dropEnterRatio;
        dropExitRatio = b.dropExitRatio;
        minBatchesForDrop = b.minBatchesForDrop;
        minBusyShareForDrop = b.minBusyShareForDrop;
        persistence = b.persistence;
        sourceBoundBusyShare = b.sourceBoundBusyShare;
        degradedShareEnter = b.degradedShareEnter;
        degradedShareExit = b.degradedShareExit;
        failingShareEnter = b.failingShareEnter;
        failingShareExit = b.failingShareExit;
    }

    /** @return a builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a batch in flight longer than this is a stall (default 2 s). */
    public long stallTimeoutMs() {
        return stallTimeoutMs;
    }

    /** @return real re-attempts per minute to one dependency above which it is a storm (default 50). */
    public double retriesPerMinute() {
        return retriesPerMinute;
    }

    /** @return a storm ends when no retry happened for this long (default 10 s). */
    public long retryQuietMs() {
        return retryQuietMs;
    }

    /** @return share of wall time in GC that enters {@code GC_PRESSURE} (default 0.20). */
    public double gcShareEnter() {
        return gcShareEnter;
    }

    /** @return share below which it exits (default 0.10). */
    public double gcShareExit() {
        return gcShareExit;
    }

    /** @return live set as a share of the heap's max that enters {@code HEAP_EXHAUSTION} (default 0.90). */
    public double liveSetShareEnter() {
        return liveSetShareEnter;
    }

    /** @return share below which it exits (default 0.80). */
    public double liveSetShareExit() {
        return liveSetShareExit;
    }

    /** @return a projected exhaustion sooner than this many seconds enters {@code HEAP_EXHAUSTION} (120). */
    public double exhaustionHorizonSeconds() {
        return exhaustionHorizonSeconds;
    }

    /** @return bytes per batch a stage must allocate to enter {@code STAGE_ALLOCATING} (default 4 KiB). */
    public double allocationPerBatchEnter() {
        return allocationPerBatchEnter;
    }

    /** @return bytes per batch below which it exits (default 512). */
    public double allocationPerBatchExit() {
        return allocationPerBatchExit;
    }

    /** @return capacity / baseline below which a stage enters {@code THROUGHPUT_DROP} (default 0.5). */
    public double dropEnterRatio() {
        return dropEnterRatio;
    }

    /** @return ratio above which it exits (default 0.75). */
    public double dropExitRatio() {
        return dropExitRatio;
    }

    /** @return batches an interval needs before a stage's capacity in it is judged (default 5). */
    public long minBatchesForDrop() {
        return minBatchesForDrop;
    }

    /** @return busy share a stage needs for a drop to matter (default 0.05). */
    public double minBusyShareForDrop() {
        return minBusyShareForDrop;
    }

    /** @return consecutive reports a condition must hold to enter, and its opposite to exit (default 2). */
    public int persistence() {
        return persistence;
    }

    /** @return busy share of all stages together below which the pipeline is source-bound (default 0.5). */
    public double sourceBoundBusyShare() {
        return sourceBoundBusyShare;
    }

    /** @return share of degraded records that enters {@code DEGRADED_RECORDS} (default 0.01). */
    public double degradedShareEnter() {
        return degradedShareEnter;
    }

    /** @return share below which it exits (default 0.005). */
    public double degradedShareExit() {
        return degradedShareExit;
    }

    /** @return share of invalid records that enters {@code RECORDS_FAILING} (default 0.5). */
    public double failingShareEnter() {
        return failingShareEnter;
    }

    /** @return share below which it exits (default 0.3). */
    public double failingShareExit() {
        return failingShareExit;
    }

    /** Builds {@link HealthThresholds}; every setter checks its range and names it when out of it. */
    public static final class Builder {
        private long stallTimeoutMs = 2_000;
        private double retriesPerMinute = 50;
        private long retryQuietMs = 10_000;
        private double gcShareEnter = 0.20;
        private double gcShareExit = 0.10;
        private double liveSetShareEnter = 0.90;
        private double liveSetShareExit = 0.80;
        private double exhaustionHorizonSeconds = 120;
        private double allocationPerBatchEnter = 4096;
        private double allocationPerBatchExit = 512;
        private double dropEnterRatio = 0.5;
        private double dropExitRatio = 0.75;
        private long minBatchesForDrop = 5;
        private double minBusyShareForDrop = 0.05;
        private int persistence = 2;
        private double sourceBoundBusyShare = 0.5;
        private double degradedShareEnter = 0.01;
        private double degradedShareExit = 0.005;
        private double failingShareEnter = 0.5;
        private double failingShareExit = 0.3;

        private Builder() {
        }

        /** @param ms stall timeout, at least 1. @return this. */
        public Builder stallTimeoutMs(final long ms) {
            stallTimeoutMs = (long) range("stallTimeoutMs", ms, 1, Long.MAX_VALUE);
            return this;
        }

        /** @param perMinute retry storm limit, at least 0. @return this. */
        public Builder retriesPerMinute(final double perMinute) {
            retriesPerMinute = range("retriesPerMinute", perMinute, 0, Double.MAX_VALUE);
            return this;
        }

        /** @param ms quiet time that ends a storm, 1 ms to 60 s. @return this. */
        public Builder retryQuietMs(final long ms) {
            retryQuietMs = (long) range("retryQuietMs", ms, 1, 60_000);
            return this;
        }

        /** @param enter GC share to enter. @param exit GC share to exit, at most enter. @return this. */
        public Builder gcShare(final double enter, final double exit) {
            gcShareEnter = range("gcShareEnter", enter, 0, 1);
            gcShareExit = range("gcShareExit", exit, 0, enter);
            return this;
        }

        /** @param enter live-set share to enter. @param exit share to exit, at most enter. @return this. */
        public Builder liveSetShare(final double enter, final double exit) {
            liveSetShareEnter = range("liveSetShareEnter", enter, 0, 1);
            liveSetShareExit = range("liveSetShareExit", exit, 0, enter);
            return this;
        }

        /** @param seconds projected exhaustion horizon, at least 0. @return this. */
        public Builder exhaustionHorizonSeconds(final double seconds) {
            exhaustionHorizonSeconds = range("exhaustionHorizonSeconds", seconds, 0, Double.MAX_VALUE);
            return this;
        }

        /** @param enter bytes/batch to enter. @param exit bytes/batch to exit, at most enter. @return this. */
        public Builder allocationPerBatch(final double enter, final double exit) {
            allocationPerBatchEnter = range("allocationPerBatchEnter", enter, 0, Double.MAX_VALUE);
            allocationPerBatchExit = range("allocationPerBatchExit", exit, 0, enter);
            return this;
        }

        /** @param enter ratio to enter. @param exit ratio to exit, at least enter. @return this. */
        public Builder dropRatio(final double enter, final double exit) {
            dropEnterRatio = range("dropEnterRatio", enter, 0, 1);
            dropExitRatio = range("dropExitRatio", exit, enter, 1);
            return this;
        }

        /** @param batches batches an interval needs to judge a drop, at least 1. @return this. */
        public Builder minBatchesForDrop(final long batches) {
            minBatchesForDrop = (long) range("minBatchesForDrop", batches, 1, Long.MAX_VALUE);
            return this;
        }

        /** @param share busy share a stage needs for a drop to count. @return this. */
        public Builder minBusyShareForDrop(final double share) {
            minBusyShareForDrop = range("minBusyShareForDrop", share, 0, 1);
            return this;
        }

        /** @param reports consecutive reports to enter or exit, 1 to 100. @return this. */
        public Builder persistence(final int reports) {
            persistence = (int) range("persistence", reports, 1, 100);
            return this;
        }

        /** @param share total busy share below which the pipeline is source-bound. @return this. */
        public Builder sourceBoundBusyShare(final double share) {
            sourceBoundBusyShare = range("sourceBoundBusyShare", share, 0, 1);
            return this;
        }

        /** @param enter degraded share to enter. @param exit share to exit, at most enter. @return this. */
        public Builder degradedShare(final double enter, final double exit) {
            degradedShareEnter = range("degradedShareEnter", enter, 0, 1);
            degradedShareExit = range("degradedShareExit", exit, 0, enter);
            return this;
        }

        /** @param enter invalid share to enter. @param exit share to exit, at most enter. @return this. */
        public Builder failingShare(final double enter, final double exit) {
            failingShareEnter = range("failingShareEnter", enter, 0, 1);
            failingShareExit = range("failingShareExit", exit, 0, enter);
            return this;
        }

        /** @return the thresholds. */
        public HealthThresholds build() {
            return new HealthThresholds(this);
        }

        private static double range(final String name, final double value, final double min, final double max) {
            if (!(value >= min && value <= max)) {
                throw new IllegalArgumentException("health threshold " + name + " must be in [" + min + ", " + max
                    + "], was " + value);
            }
            return value;
        }
    }

}
