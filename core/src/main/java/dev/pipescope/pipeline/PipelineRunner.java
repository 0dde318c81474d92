package dev.pipescope.pipeline;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.source.RecordSource;
import dev.pipescope.stage.ConfiguredStage;
import org.agrona.concurrent.NanoClock;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives a pipeline from a source on the calling thread: fill a batch, process it, hand it to the sink,
 * until a batch limit, a duration, the end of the input, or {@link #stop()} from another thread. An
 * optional rate limit spaces batches evenly without drifting. The batch is allocated once.
 *
 * <p>Besides the pipeline's totals, a run counts what the totals do not say: the source's blank lines and
 * the records each stage filtered out ({@link RunSummary#droppedByStage()}), so that a stage dropping most
 * of the input can be named.
 */
public final class PipelineRunner {
    /** Receives each processed batch, on the processing thread; must not keep it beyond the call. */
    @FunctionalInterface
    public interface BatchSink {
        /**
         * @param batchNumber 1-based number of the batch.
         * @param batch       the records that left the pipeline.
         */
        void accept(long batchNumber, RecordBatch batch);

        /** A sink that discards batches. */
        BatchSink DISCARD = (batchNumber, batch) -> { };
    }

    /** Told before each batch, on the processing thread (fault schedules, periodic reports). */
    @FunctionalInterface
    public interface BatchHook {
        /** @param batchNumber 1-based number of the batch about to be processed. */
        void beforeBatch(long batchNumber);
    }

    private final Pipeline pipeline;
    private final RecordSource source;
    private final RecordBatch batch;
    private final NanoClock clock;
    private final StageDrops drops;
    private long maxBatches = Long.MAX_VALUE;
    private long maxDurationNanos = Long.MAX_VALUE;
    private long batchIntervalNanos;
    private BatchSink sink = BatchSink.DISCARD;
    private BatchHook hook;
    private volatile boolean stopRequested;
    private volatile boolean running;

    /**
     * @param pipeline  the pipeline to drive.
     * @param source    where records come from.
     * @param batchSize records per batch.
     */
    public PipelineRunner(final Pipeline pipeline, final RecordSource source, final int batchSize) {
        this.pipeline = pipeline;
        this.source = source;
        this.batch = new RecordBatch(batchSize);
        this.clock = pipeline.context().nanoClock();
        this.drops = new StageDrops(pipeline.stages().size());
    }

    /**
     * @param limit stop after this many batches (at least 1).
     * @return this.
     */
    public PipelineRunner maxBatches(final long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("batch limit must be at least 1, was " + limit);
        }
        maxBatches = limit;
        return this;
    }

    /**
     * @param nanos stop after this much wall time.
     * @return this.
     */
    public PipelineRunner maxDurationNanos(final long nanos) {
        if (nanos < 1) {
            throw new IllegalArgumentException("duration must be positive");
        }
        maxDurationNanos = nanos;
        return this;
    }

    /**
     * @param batchesPerSecond at most this many batches per second; 0 for as fast as possible.
     * @return this.
     */
    public PipelineRunner rate(final double batchesPerSecond) {
        if (!(batchesPerSecond >= 0) || Double.isInfinite(batchesPerSecond)) {
            throw new IllegalArgumentException("rate must be a non-negative number, was " + batchesPerSecond);
        }
        batchIntervalNanos = batchesPerSecond == 0 ? 0 : (long) (1e9 / batchesPerSecond);
        return this;
    }

    /**
     * @param batchSink receives each processed batch.
     * @return this.
     */
    public PipelineRunner sink(final BatchSink batchSink) {
        this.sink = batchSink;
        return this;
    }

    /**
     * @param batchHook told before each batch.
     * @return this.
     */
    public PipelineRunner hook(final BatchHook batchHook) {
        this.hook = batchHook;
        return this;
    }

    /**
     * Runs until a limit is reached, the input ends, {@link #stop()} is called, or a stage fails. A failing
     * stage does not throw out of here: the summary's stop reason is {@code failed} and
     * {@link RunSummary#failure()} says what happened (see {@link Pipeline}'s failure policy).
     *
     * <p>The records each stage drops are counted by an observer the run adds to the pipeline and removes
     * when it ends (per-stage observations exist only while the pipeline is
     * {@linkplain Pipeline#instrumented(boolean) instrumented}, the default); a batch abandoned by a failing
     * stage is not counted, like the pipeline's totals. When the stages' counts do not add up to the
     * pipeline's (instrumentation was off for some batches), the summary carries none rather than wrong ones.
     *
     * @return what the run did.
     */
    public RunSummary run() {
        running = true;
        final long startNanos = clock.nanoTime();
        final PipelineCounters before = pipeline.totals();
        final long rejectedBefore = source.rejected();
        drops.reset();
        pipeline.addObserver(drops);
        StageFailedException failure = null;
        String reason = "stopped";
        long batchNumber = 0;
        long nextDeadline = startNanos;
        try {
            while (true) {
                if (stopRequested) {
                    reason = "stopped";
                    break;
                }
                if (batchNumber >= maxBatches) {
                    reason = "batches";
                    break;
                }
                long now = clock.nanoTime();
                if (now - startNanos >= maxDurationNanos) {
                    reason = "duration";
                    break;
                }
                if (batchIntervalNanos > 0) {
                    while (now < nextDeadline && !stopRequested) {
                        LockSupport.parkNanos(nextDeadline - now);
                        now = clock.nanoTime();
                    }
                    nextDeadline += batchIntervalNanos;
                    if (now - nextDeadline > 10 * batchIntervalNanos) {
                        nextDeadline = now; // fell far behind (paused, GC): don't burst to catch up
                    }
                }
                if (source.fill(batch) == 0 && source.isExhausted()) {
                    pipeline.rejectedTotal(source.rejected());
                    reason = "input";
                    break;
                }
                batchNumber++;
                pipeline.rejectedTotal(source.rejected());
                if (hook != null) {
                    hook.beforeBatch(batchNumber);
                }
                pipeline.process(batch);
                sink.accept(batchNumber, batch);
            }
        } catch (final StageFailedException e) {
            failure = e;
            reason = "failed";
        } finally {
            pipeline.removeObserver(drops);
            running = false;
        }
        final PipelineCounters done = pipeline.totals().minus(before);
        return new RunSummary(done.batches(), done.recordsIn(), done.recordsOut(), source.rejected() - rejectedBefore,
            done.alerts(), done.degraded(), clock.nanoTime() - startNanos, reason, failure,
            source.blankLines(), drops.byStage(pipeline, done.recordsIn() - done.recordsOut()));
    }

    /** Asks the run to stop after the current batch; callable from any thread. */
    public void stop() {
        stopRequested = true;
    }

    /** @return true while {@link #run()} is running. */
    public boolean isRunning() {
        return running;
    }

    /**
     * Counts each stage's dropped records ({@code in - out}) of every completed batch. Processing thread
     * only; allocation-free per batch.
     */
    private static final class StageDrops implements BatchObserver {
        private final long[] dropped;
        private final long[] pending;

        StageDrops(final int stages) {
            dropped = new long[stages];
            pending = new long[stages];
        }

        void reset() {
            Arrays.fill(dropped, 0);
            Arrays.fill(pending, 0);
        }

        @Override
        public void stageCompleted(final long batchNumber, final int stageIndex,
            final ConfiguredStage stage, final int recordsIn, final int recordsOut,
            final long nanos) {
            pending[stageIndex] += recordsIn - recordsOut;
        }

        @Override
        public void batchCompleted(final long batchNumber, final RecordBatch batch, final int anomalies) {
            // only now is the batch counted by the pipeline too: an abandoned batch never gets here
            for (int i = 0; i < pending.length; i++) {
                dropped[i] += pending[i];
                pending[i] = 0;
            }
        }

        /** @return each stage's count by name, or an empty map when they do not add up to {@code total}. */
        Map<String, Long> byStage(final Pipeline pipeline, final long total) {
            long sum = 0;
            for (final long d : dropped) {
                sum += d;
            }
            final Map<String, Long> byName = new LinkedHashMap<>();
            if (sum != total) {
                return byName;
            }
            for (int i = 0; i < dropped.length; i++) {
                byName.put(pipeline.stages().get(i).name(), dropped[i]);
            }
            return byName;
        }
    }
}
