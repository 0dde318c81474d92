package dev.pipescope.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.concurrent.NanoClock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counters and latency distributions of one pipeline stage.
 *
 * <h2>Threading contract</h2>
 * <ul>
 *   <li><b>Writer</b> (exactly one thread, the processing thread): {@link #recordBatch(int, int, long, long)},
 *   {@link #recordBatch(int, int, long, long, long)} and {@link #recordAllocatedBytes(long)}. They never
 *   block, never wait for a reader and allocate nothing.</li>
 *   <li><b>Sampler</b> (exactly one thread, e.g. the health reporter): {@link Sampler#sample(long)} and
 *   {@link Sampler#sample()}, through the one sampler {@link #claimSampler()} grants. The sampler owns
 *   the interval bookkeeping (previous counters, the recycled interval
 *   histograms, the cumulative histograms, the throughput average), so two threads sampling the same
 *   metrics would steal each other's intervals.</li>
 *   <li><b>Anyone</b>: {@link #totals()} (a consistent read, any number of threads) and {@link #reset()}
 *   (a request the sampler applies at its next sample).</li>
 * </ul>
 *
 * <h2>How readers see consistent counters</h2>
 * The counters are guarded by a sequence lock in which only the writer ever writes: before changing the
 * counters of a batch it makes the version odd, after the change even again (release store). A reader
 * reads the version (acquire), the counters, then the version again after a load-load fence, and retries
 * when the two differ or were odd — the same protocol as {@code StampedLock}'s optimistic read. The writer
 * therefore never waits for anyone, and a reader only ever returns counters that existed together between
 * two batches: because every batch adds {@code recordsOut <= recordsIn}, a reader cannot see more records
 * out than in, nor a batch count without its records. The writer's critical section is a handful of
 * stores, so a reader retries rarely and briefly.
 *
 * <h2>Latency</h2>
 * Batch latency (ns) and latency per record go to HdrHistogram {@link SingleWriterRecorder}s — the
 * single-writer variant of {@code Recorder}: recording is wait-free and allocation-free, and the sampler
 * swaps interval histograms out with {@code getIntervalHistogram(recycle)}, handing the previous interval
 * back for reuse. Latency per record is recorded in picoseconds, because fast stages spend a few
 * nanoseconds per record and whole nanoseconds would round that to nothing. A value beyond a histogram's
 * trackable range is recorded at the edge of the range and counted in
 * {@link StageCounters#clampedValues()}; it never throws.
 *
 * <h2>Memory</h2>
 * Each distribution keeps about four histograms (two inside the recorder, the interval copy and the
 * cumulative total). With the defaults (batches up to 10 s, records up to 1 s, 3 significant digits) that
 * is roughly 1.8 MB per stage; pass smaller ranges or fewer digits for pipelines with many stages.
 */
public final class StageMetrics {
    /** Default highest trackable batch latency: 10 s. */
    public static final long DEFAULT_HIGHEST_BATCH_NANOS = 10_000_000_000L;
    /** Default highest trackable latency per record: 1 s. */
    public static final long DEFAULT_HIGHEST_RECORD_NANOS = 1_000_000_000L;
    /** Default HdrHistogram precision: 3 significant digits (values within 0.1%). */
    public static final int DEFAULT_SIGNIFICANT_DIGITS = 3;
    /** Default time constant of the smoothed throughput: 30 s. */
    public static final long DEFAULT_THROUGHPUT_TIME_CONSTANT_NANOS = 30_000_000_000L;

    private static final long PICOS_PER_NANO = 1000;
    private static final long MAX_NANOS_WITHOUT_PICO_OVERFLOW = Long.MAX_VALUE / PICOS_PER_NANO;
    private static final double NANOS_PER_PICO = 1.0 / PICOS_PER_NANO;

    private static final VarHandle VERSION;
    private static final VarHandle BATCHES;
    private static final VarHandle RECORDS_IN;
    private static final VarHandle RECORDS_OUT;
    private static final VarHandle BUSY_NANOS;
    private static final VarHandle ALLOCATED_BYTES;
    private static final VarHandle CLAMPED_VALUES;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            VERSION = lookup.findVarHandle(StageMetrics.class, "version", long.class);
            BATCHES = lookup.findVarHandle(StageMetrics.class, "batches", long.class);
            RECORDS_IN = lookup.findVarHandle(StageMetrics.class, "recordsIn", long.class);
            RECORDS_OUT = lookup.findVarHandle(StageMetrics.class, "recordsOut", long.class);
            BUSY_NANOS = lookup.findVarHandle(StageMetrics.class, "busyNanos", long.class);
            ALLOCATED_BYTES = lookup.findVarHandle(StageMetrics.class, "allocatedBytes", long.class);
            CLAMPED_VALUES = lookup.findVarHandle(StageMetrics.class, "clampedValues", long.class);
        } catch (final ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final String stage;
    private final NanoClock clock;
    private final long highestBatchNanos;
    private final long highestRecordPicos;
    private final double throughputTimeConstantNanos;

    // Writer-owned, published through the sequence lock. The writer reads its own fields plainly.
    private long version;
    private long batches;
    private long recordsIn;
    private long recordsOut;
    private long busyNanos;
    private long allocatedBytes;
    private long clampedValues;

    private final SingleWriterRecorder batchRecorder;
    private final SingleWriterRecorder recordRecorder;

    // Sampler-owned.
    private final AtomicBoolean resetRequested = new AtomicBoolean();
    private final AtomicBoolean samplerClaimed = new AtomicBoolean();
    private final Histogram batchTotal;
    private final Histogram recordTotal;
    private Histogram batchInterval;
    private Histogram recordInterval;
    private StageCounters previous = StageCounters.ZERO;
    private StageCounters baseline = StageCounters.ZERO;
    private long previousSampleNanos;
    private long baselineNanos;
    private double smoothedThroughput = Double.NaN;

    /**
     * Metrics with the default ranges, precision and smoothing.
     *
     * @param stage the stage's name, carried into snapshots.
     * @param clock read once now (the start of the first interval) and by {@link Sampler#sample()}.
     */
    public StageMetrics(final String stage, final NanoClock clock) {
        this(stage, clock, DEFAULT_HIGHEST_BATCH_NANOS, DEFAULT_HIGHEST_RECORD_NANOS, DEFAULT_SIGNIFICANT_DIGITS,
            DEFAULT_THROUGHPUT_TIME_CONSTANT_NANOS);
    }

    /**
     * @param stage                       the stage's name, carried into snapshots.
     * @param clock                       read once now (the start of the first interval) and by
     *                                    {@link Sampler#sample()}.
     * @param highestBatchNanos           largest batch latency recorded as is; larger ones are clamped.
     * @param highestRecordNanos          largest latency per record recorded as is; larger ones are clamped.
     * @param significantDigits           HdrHistogram precision, 1..5.
     * @param throughputTimeConstantNanos time constant of the smoothed throughput: an interval of length
     *                                    {@code dt} weighs {@code 1 - exp(-dt / timeConstant)}.
     */
    public StageMetrics(
        final String stage,
        final NanoClock clock,
        final long highestBatchNanos,
        final long highestRecordNanos,
        final int significantDigits,
        final long throughputTimeConstantNanos) {
        if (highestBatchNanos < 2 || highestRecordNanos < 2) {
            throw new IllegalArgumentException("highest trackable latencies must be at least 2 ns");
        }
        if (highestRecordNanos > MAX_NANOS_WITHOUT_PICO_OVERFLOW / 2) {
            throw new IllegalArgumentException("highest latency per record too large: " + highestRecordNanos);
        }
        if (throughputTimeConstantNanos <= 0) {
            throw new IllegalArgumentException("throughput time constant must be positive");
        }
        this.stage = stage;
        this.clock = clock;
        this.highestBatchNanos = highestBatchNanos;
        this.highestRecordPicos = highestRecordNanos * PICOS_PER_NANO;
        this.throughputTimeConstantNanos = throughputTimeConstantNanos;
        batchRecorder = new SingleWriterRecorder(1, highestBatchNanos, significantDigits);
        recordRecorder = new SingleWriterRecorder(1, highestRecordPicos, significantDigits);
        batchTotal = new Histogram(1, highestBatchNanos, significantDigits);
        recordTotal = new Histogram(1, highestRecordPicos, significantDigits);
        final long now = clock.nanoTime();
        previousSampleNanos = now;
        baselineNanos = now;
    }

    /** @return the stage's name. */
    public String stage() {
        return stage;
    }

    // ------------------------------------------------------------------ writer

    /**
     * Records one batch through the stage. Writer thread only; allocation-free.
     *
     * @param batchRecordsIn  records the stage received.
     * @param batchRecordsOut records it passed on; {@code 0 <= out <= in}.
     * @param startNanos      clock reading before the stage ran.
     * @param endNanos        clock reading after (may be the next stage's start).
     * @throws IllegalArgumentException when the record counts are impossible (a stage bug, not a metrics
     *                                  condition: the counters stay untouched).
     */
    public void recordBatch(final int batchRecordsIn, final int batchRecordsOut, final long startNanos, final long endNanos) {
        recordBatch(batchRecordsIn, batchRecordsOut, startNanos, endNanos, 0);
    }

    /**
     * Records one batch and the bytes the processing thread allocated during it in one publication.
     * Writer thread only; allocation-free.
     *
     * @param batchRecordsIn  records the stage received.
     * @param batchRecordsOut records it passed on; {@code 0 <= out <= in}.
     * @param startNanos      clock reading before the stage ran.
     * @param endNanos        clock reading after.
     * @param batchAllocated  bytes allocated by the processing thread in the stage (0 when not measured).
     * @throws IllegalArgumentException when the record counts are impossible or {@code batchAllocated < 0}.
     */
    public void recordBatch(
        final int batchRecordsIn,
        final int batchRecordsOut,
        final long startNanos,
        final long endNanos,
        final long batchAllocated) {
        if (batchRecordsOut < 0 || batchRecordsOut > batchRecordsIn || batchAllocated < 0) {
            throw impossibleBatch(batchRecordsIn, batchRecordsOut, batchAllocated);
        }
        final long elapsed = endNanos - startNanos;
        long clamped = 0;

        long batchValue = elapsed;
        if (batchValue < 0) { // a clock that stepped back: keep the histogram's range, but say so
            batchValue = 0;
            clamped++;
        } else if (batchValue > highestBatchNanos) {
            batchValue = highestBatchNanos;
            clamped++;
        }

        long recordValue = -1; // no per-record value for an empty batch
        if (batchRecordsIn > 0) {
            if (elapsed < 0) {
                recordValue = 0;
                clamped++;
            } else {
                recordValue = elapsed <= MAX_NANOS_WITHOUT_PICO_OVERFLOW
                    ? elapsed * PICOS_PER_NANO / batchRecordsIn : Long.MAX_VALUE;
                if (recordValue > highestRecordPicos) {
                    recordValue = highestRecordPicos;
                    clamped++;
                }
            }
        }

        final long v = version;
        VERSION.setOpaque(this, v + 1);
        VarHandle.storeStoreFence(); // the odd version must be visible before any counter changes
        BATCHES.setOpaque(this, batches + 1);
        RECORDS_IN.setOpaque(this, recordsIn + batchRecordsIn);
        RECORDS_OUT.setOpaque(this, recordsOut + batchRecordsOut);
        BUSY_NANOS.setOpaque(this, busyNanos + Math.max(0, elapsed));
        if (batchAllocated != 0) {
            ALLOCATED_BYTES.setOpaque(this, allocatedBytes + batchAllocated);
        }
        if (clamped != 0) {
            CLAMPED_VALUES.setOpaque(this, clampedValues + clamped);
        }
        VERSION.setRelease(this, v + 2); // every counter store above happens-before an even version

        batchRecorder.recordValue(batchValue);
        if (recordValue >= 0) {
            recordRecorder.recordValue(recordValue);
        }
    }

    // Out of line: the message is built only when thrown, and the hot method stays small for the JIT.
    private IllegalArgumentException impossibleBatch(final int in, final int out, final long allocated) {
        return new IllegalArgumentException("stage '" + stage + "': impossible batch (in=" + in + ", out=" + out
            + ", allocated=" + allocated + ')');
    }

    /**
     * Adds bytes the processing thread allocated for the stage (e.g. measured with
     * {@link AllocationMeter}). Writer thread only; allocation-free.
     *
     * @param bytes allocated bytes, {@code >= 0}.
     * @throws IllegalArgumentException when negative.
     */
    public void recordAllocatedBytes(final long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("stage '" + stage + "': negative allocated bytes " + bytes);
        }
        final long v = version;
        VERSION.setOpaque(this, v + 1);
        VarHandle.storeStoreFence();
        ALLOCATED_BYTES.setOpaque(this, allocatedBytes + bytes);
        VERSION.setRelease(this, v + 2);
    }

    // ------------------------------------------------------------------ readers

    /**
     * A consistent reading of the counters since creation (resets do not apply: they are a view of the
     * sampler). Any thread; never blocks the writer; retries while the writer is mid-update.
     *
     * @return the counters as they stood between two writer updates.
     */
    public StageCounters totals() {
        while (true) {
            final long before = (long)VERSION.getAcquire(this);
            if ((before & 1) == 0) {
                final long b = (long)BATCHES.getOpaque(this);
                final long in = (long)RECORDS_IN.getOpaque(this);
                final long out = (long)RECORDS_OUT.getOpaque(this);
                final long busy = (long)BUSY_NANOS.getOpaque(this);
                final long allocated = (long)ALLOCATED_BYTES.getOpaque(this);
                final long clamped = (long)CLAMPED_VALUES.getOpaque(this);
                VarHandle.loadLoadFence(); // the counter loads above must not move below the version check
                if ((long)VERSION.getOpaque(this) == before) {
                    return new StageCounters(b, in, out, busy, allocated, clamped);
                }
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Asks the sampler to restart the cumulative view. Any thread (e.g. a JMX operation); the writer is not
     * involved. It takes effect at the next {@link Sampler#sample(long)}: that snapshot still reports its interval,
     * but its totals, cumulative latencies and smoothed throughput start afresh from that sample's instant
     * (data between this call and that sample is only in the interval view).
     */
    public void reset() {
        resetRequested.set(true);
    }

    /**
     * Claims the interval sampling of these metrics. There is one sampler per metrics, because it owns the
     * interval bookkeeping; a second claim is refused rather than let two readers silently steal each
     * other's intervals (read the sampler owner's snapshots instead, e.g. {@code HealthDashboard.latest()}).
     *
     * @return the sampler.
     * @throws IllegalStateException when already claimed.
     */
    public Sampler claimSampler() {
        if (!samplerClaimed.compareAndSet(false, true)) {
            throw new IllegalStateException("the metrics of stage '" + stage + "' already have a sampler (a"
                + " HealthDashboard samples them); read its reports instead of sampling again");
        }
        return new Sampler();
    }

    /**
     * Closes intervals of these metrics; obtained once through {@link #claimSampler()}. Its methods belong
     * to one thread at a time (the sampler thread, see the class comment).
     */
    public final class Sampler {
        private Sampler() {
        }

        /** @return {@link #sample(long)} at the clock's current time. */
        public StageMetricsSnapshot sample() {
            return StageMetrics.this.sample(clock.nanoTime());
        }

        /**
         * Closes the current interval and describes it and the totals; allocates the snapshot, never
         * disturbs the writer.
         *
         * @param nowNanos the sample time on the same clock the writer's batch times come from.
         * @return an immutable snapshot.
         */
        public StageMetricsSnapshot sample(final long nowNanos) {
            return StageMetrics.this.sample(nowNanos);
        }
    }

    private StageMetricsSnapshot sample(final long nowNanos) {
        final StageCounters raw = totals();
        // Swap the recorders' active histograms; the previous interval's histograms are handed back for reuse.
        batchInterval = batchRecorder.getIntervalHistogram(batchInterval);
        recordInterval = recordRecorder.getIntervalHistogram(recordInterval);

        final StageCounters interval = raw.minus(previous);
        final long intervalNanos = nowNanos - previousSampleNanos;
        final double throughput;
        final double busyShare;
        if (intervalNanos > 0) {
            throughput = interval.recordsOut() * 1e9 / intervalNanos;
            busyShare = (double)interval.busyNanos() / intervalNanos;
            if (Double.isNaN(smoothedThroughput)) {
                smoothedThroughput = throughput;
            } else {
                final double alpha = 1.0 - Math.exp(-intervalNanos / throughputTimeConstantNanos);
                smoothedThroughput += alpha * (throughput - smoothedThroughput);
            }
        } else {
            throughput = Double.NaN;
            busyShare = Double.NaN;
        }

        if (resetRequested.getAndSet(false)) {
            baseline = raw;
            baselineNanos = nowNanos;
            batchTotal.reset();
            recordTotal.reset();
            smoothedThroughput = throughput; // re-seeded: the average restarts from this interval
        } else {
            batchTotal.add(batchInterval);
            recordTotal.add(recordInterval);
        }

        final StageMetricsSnapshot snapshot = new StageMetricsSnapshot(
            stage,
            nowNanos,
            intervalNanos,
            nowNanos - baselineNanos,
            interval,
            raw.minus(baseline),
            throughput,
            smoothedThroughput,
            busyShare,
            LatencySummary.of(batchInterval, 1.0),
            LatencySummary.of(batchTotal, 1.0),
            LatencySummary.of(recordInterval, NANOS_PER_PICO),
            LatencySummary.of(recordTotal, NANOS_PER_PICO),
            LatencyBuckets.cumulativeCounts(batchTotal),
            NativeLatencyBuckets.of(batchTotal));
        previous = raw;
        previousSampleNanos = nowNanos;
        return snapshot;
    }
}
