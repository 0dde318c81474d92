package dev.pipescope.health;

import dev.pipescope.metrics.CacheStats;
import dev.pipescope.metrics.LatencySummary;
import dev.pipescope.metrics.MemoryGcSampler;
import dev.pipescope.metrics.MemorySnapshot;
import dev.pipescope.metrics.StageMetricsSnapshot;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.resilience.CircuitBreaker;
import dev.pipescope.resilience.CircuitBreakerListener;
import dev.pipescope.resilience.ResilientCall;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Aggregates a pipeline's metrics, circuits, retries, caches and memory into an immutable
 * {@link HealthReport}: whether the pipeline is healthy and, if not, which stage is the bottleneck and why.
 *
 * <p>A reporter thread ({@link #start()}) takes a report every interval (1 s by default) and whenever the
 * processing thread asks with {@link #requestReport()} (the program's {@code --health-every N}); the
 * request only sets a flag and unparks the reporter, so nothing is computed on the hot path. The reporter
 * is the single reader that samples the stage metrics (their interval histograms are swapped by it);
 * everybody else reads {@link #latest()}.
 */
public final class HealthDashboard implements AutoCloseable {
    private static final int RECENT = 10;
    private static final long ONE_MINUTE = TimeUnit.MINUTES.toNanos(1);
    private static final long FIVE_MINUTES = TimeUnit.MINUTES.toNanos(5);

    private final Pipeline pipeline;
    private final NanoClock nanoClock;
    private final EpochClock epochClock;
    private final MemoryGcSampler memory;
    private final long intervalNanos;
    private final CopyOnWriteArrayList<HealthListener> listeners = new CopyOnWriteArrayList<>();
    private final double[][] recentStageRps;
    private final int[] recentStageCount;
    private final double[] recentBottleneckRps = new double[RECENT];
    private int recentBottleneckCount;
    private final Map<String, long[]> previousCacheCounts = new LinkedHashMap<>();

    private volatile HealthThresholds thresholds = HealthThresholds.DEFAULTS;
    private volatile HealthReport latest;
    private volatile boolean reportRequested;
    private volatile boolean running;
    private volatile Thread reporter;
    private long sequence;
    private long previousBatches;
    private long previousRecordsIn;
    private long previousDegraded;
    private long previousInvalid;
    private long previousNanos;

    /**
     * @param pipeline      the pipeline to watch.
     * @param intervalNanos time between timed reports.
     */
    public HealthDashboard(final Pipeline pipeline, final long intervalNanos) {
        if (intervalNanos < TimeUnit.MILLISECONDS.toNanos(10)) {
            throw new IllegalArgumentException("health interval must be at least 10 ms");
        }
        this.pipeline = pipeline;
        this.nanoClock = pipeline.context().nanoClock();
        this.epochClock = pipeline.context().epochClock();
        this.memory = new MemoryGcSampler(nanoClock, epochClock);
        this.intervalNanos = intervalNanos;
        final int stages = pipeline.stages().size();
        recentStageRps = new double[stages][RECENT];
        recentStageCount = new int[stages];
        previousNanos = nanoClock.nanoTime();
    }

    /** @param listener told about every report and status change, on the reporter thread. */
    public void addListener(final HealthListener listener) {
        listeners.add(listener);
    }

    /** @param listener no longer told. */
    public void removeListener(final HealthListener listener) {
        listeners.remove(listener);
    }

    /**
     * Subscribes to circuit transitions of the pipeline's breakers. Called on the thread that changed the
     * breaker (the processing thread for automatic transitions): the listener must be quick and must not
     * block.
     *
     * @param listener told about every transition.
     */
    public void addCircuitListener(final CircuitBreakerListener listener) {
        pipeline.context().circuitBreakers().addListener(listener);
    }

    /** @param newThresholds the limits the rules judge by from the next report on. */
    public void thresholds(final HealthThresholds newThresholds) {
        thresholds = java.util.Objects.requireNonNull(newThresholds, "thresholds");
    }

    /** @return the limits in force. */
    public HealthThresholds thresholds() {
        return thresholds;
    }

    /** @return the pipeline watched. */
    public Pipeline pipeline() {
        return pipeline;
    }

    /** @return the last report, or null before the first. Any thread. */
    public HealthReport latest() {
        return latest;
    }

    /** Starts the reporter thread (a daemon). */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        final Thread thread = new Thread(this::runReporter, "pipescope-health-" + pipeline.name());
        thread.setDaemon(true);
        reporter = thread;
        thread.start();
    }

    /**
     * Asks the reporter for a report as soon as it can take one. Processing thread friendly: no
     * allocation, no lock, no waiting.
     */
    public void requestReport() {
        reportRequested = true;
        final Thread thread = reporter;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    private void runReporter() {
        final long processingThread = pipeline.processingThreadId();
        if (processingThread >= 0) {
            memory.registerThread(processingThread);
        }
        long next = nanoClock.nanoTime() + intervalNanos;
        boolean registered = processingThread >= 0;
        while (running) {
            final long now = nanoClock.nanoTime();
            if (reportRequested || now - next >= 0) {
                reportRequested = false;
                if (!registered && pipeline.processingThreadId() >= 0) {
                    memory.registerThread(pipeline.processingThreadId());
                    registered = true;
                }
                report();
                next = nanoClock.nanoTime() + intervalNanos;
                continue;
            }
            LockSupport.parkNanos(this, next - now);
        }
    }

    /**
     * Takes a report now and tells the listeners. Must be called from one thread only: the reporter thread
     * once {@link #start()}ed, otherwise the caller's (tests, embedding code driving its own schedule).
     *
     * @return the report.
     */
    public HealthReport report() {
        final long now = nanoClock.nanoTime();
        final long intervalNs = Math.max(1, now - previousNanos);
        final HealthThresholds limits = thresholds;

        final List<StageHealth> stages = new ArrayList<>();
        final List<StageMetricsSnapshot> snapshots = new ArrayList<>();
        for (int i = 0; i < recentStageRps.length; i++) {
            final StageMetricsSnapshot s = pipeline.metrics(i).sample(now);
            snapshots.add(s);
            stages.add(stageHealth(i, s));
        }

        final List<CircuitHealth> circuits = new ArrayList<>();
        final List<String> openCircuits = new ArrayList<>();
        for (final CircuitBreaker b : pipeline.context().circuitBreakers().breakers()) {
            final CircuitBreaker.State state = b.state();
            final long opened = b.transitionCount(CircuitBreaker.State.OPEN)
                + b.transitionCount(CircuitBreaker.State.FORCED_OPEN);
            final CircuitHealth c = new CircuitHealth(b.name(), stateName(state),
                TimeUnit.NANOSECONDS.toMillis(Math.max(0, now - b.stateEnteredNanos())), opened);
            circuits.add(c);
            if (c.isOpen()) {
                openCircuits.add(b.name());
            }
        }

        long retries1m = 0;
        long retries5m = 0;
        long failures1m = 0;
        long shortCircuited1m = 0;
        for (final ResilientCall call : pipeline.context().metrics().calls()) {
            retries1m += call.retries().sum(ONE_MINUTE, now);
            retries5m += call.retries().sum(FIVE_MINUTES, now);
            failures1m += call.failedAttempts().sum(ONE_MINUTE, now);
            shortCircuited1m += call.shortCircuits().sum(ONE_MINUTE, now);
        }

        final Map<String, Double> hitRates = new LinkedHashMap<>();
        final Map<String, Double> intervalHitRates = new LinkedHashMap<>();
        for (final Map.Entry<String, CacheStats> e : pipeline.context().metrics().caches().entrySet()) {
            final long hits = e.getValue().hits();
            final long misses = e.getValue().misses();
            hitRates.put(e.getKey(), rate(hits, misses));
            final long[] previous = previousCacheCounts.computeIfAbsent(e.getKey(), k -> new long[2]);
            intervalHitRates.put(e.getKey(), rate(hits - previous[0], misses - previous[1]));
            previous[0] = hits;
            previous[1] = misses;
        }

        final MemorySnapshot m = memory.sample();
        final MemoryHealth memoryHealth = new MemoryHealth(m.heapUsedBytes(), m.heapCommittedBytes(),
            m.heapAfterGcBytes(), m.gcCount(), m.gcTimeMillis(), nanToZero(m.gcTimeShare()),
            nanToZero(m.allocationRateBytesPerSecond()), m.heapGrowing(), nanToZero(m.trendSlopeBytesPerSecond()));

        final long batches = pipeline.batchesTotal();
        final long recordsIn = pipeline.recordsInTotal();
        final long degraded = pipeline.degradedTotal();
        final long invalid = pipeline.invalidTotal();
        final long intervalIn = recordsIn - previousRecordsIn;
        final HealthEvaluator.Verdict verdict = HealthEvaluator.evaluate(new HealthEvaluator.Inputs(stages, circuits,
            retries1m, intervalIn, degraded - previousDegraded, invalid - previousInvalid,
            TimeUnit.NANOSECONDS.toMillis(pipeline.inFlightNanos()), memoryHealth), limits);

        final StageHealth bottleneck = verdict.bottleneck();
        if (bottleneck != null) {
            recentBottleneckRps[recentBottleneckCount++ % RECENT] = bottleneck.throughputRps();
        }
        final double meanRecent = mean(recentBottleneckRps, recentBottleneckCount);

        final HealthReport report = new HealthReport(epochClock.time(), ++sequence, verdict.status(), verdict.reasons(),
            bottleneck == null ? null : bottleneck.name(), bottleneck == null ? 0 : bottleneck.throughputRps(),
            bottleneck, stages, snapshots, pipeline.batches(), pipeline.recordsIn(), pipeline.recordsOut(),
            pipeline.rejected(), degraded, pipeline.alerts(), batches - previousBatches,
            TimeUnit.NANOSECONDS.toMillis(intervalNs), intervalIn * 1e9 / intervalNs, meanRecent, openCircuits,
            circuits, retries1m, retries5m, failures1m, shortCircuited1m, hitRates, intervalHitRates, memoryHealth);

        previousBatches = batches;
        previousRecordsIn = recordsIn;
        previousDegraded = degraded;
        previousInvalid = invalid;
        previousNanos = now;

        final HealthReport before = latest;
        latest = report;
        for (final HealthListener l : listeners) {
            l.onReport(report);
        }
        if (before != null && before.status() != report.status()) {
            for (final HealthListener l : listeners) {
                l.onStatusChange(before.status(), report.status(), report);
            }
        }
        return report;
    }

    /**
     * A stage's capacity throughput, judged from the median batch so that one hiccup (a GC pause, the OS
     * taking the core) in an interval does not read as a drop: records per batch / p50 batch latency.
     */
    private StageHealth stageHealth(final int index, final StageMetricsSnapshot s) {
        final long batches = s.interval().batches();
        final LatencySummary latency = s.batchLatency();
        double rps = 0;
        if (batches > 0 && latency.hasData() && latency.p50Nanos() > 0) {
            rps = ((double) s.interval().recordsIn() / batches) * 1e9 / latency.p50Nanos();
        }
        final double[] ring = recentStageRps[index];
        final double recentMean = mean(ring, recentStageCount[index]);
        if (batches > 0) {
            ring[recentStageCount[index]++ % RECENT] = rps;
        }
        return new StageHealth(s.stage(), batches, s.interval().recordsIn(), s.interval().recordsOut(),
            nanToZero(s.busyShare()), rps, recentMean, micros(latency.p50Nanos()), micros(latency.p90Nanos()),
            micros(latency.p99Nanos()), micros(latency.p999Nanos()), micros(latency.maxNanos()));
    }

    /** Mean of a ring of the last {@value #RECENT} values, {@code written} of which were ever written; 0 when none. */
    private static double mean(final double[] ring, final int written) {
        final int count = Math.min(written, RECENT);
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += ring[i];
        }
        return count == 0 ? 0 : sum / count;
    }

    private static String stateName(final CircuitBreaker.State state) {
        switch (state) {
            case FORCED_OPEN: return "OPEN";
            case FORCED_CLOSED: return "CLOSED";
            default: return state.name();
        }
    }

    private static double rate(final long hits, final long misses) {
        final long total = hits + misses;
        return total == 0 ? Double.NaN : (double) hits / total;
    }

    private static double micros(final double nanos) {
        return nanos / 1000.0;
    }

    private static double nanToZero(final double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    /** Stops the reporter thread; same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Stops the reporter thread (waits for it up to a second). Afterwards {@link #report()} may be called
     * from the caller's thread, e.g. for a final report.
     */
    public void stop() {
        running = false;
        final Thread thread = reporter;
        if (thread != null) {
            LockSupport.unpark(thread);
            try {
                thread.join(1000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
