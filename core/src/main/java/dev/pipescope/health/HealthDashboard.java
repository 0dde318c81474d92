package dev.pipescope.health;

import dev.pipescope.log.BackgroundErrorHandler;
import dev.pipescope.metrics.CacheStats;
import dev.pipescope.metrics.LatencySummary;
import dev.pipescope.metrics.MemoryGcSampler;
import dev.pipescope.metrics.MemorySnapshot;
import dev.pipescope.metrics.StageMetrics;
import dev.pipescope.metrics.StageMetricsSnapshot;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.PipelineCounters;
import dev.pipescope.resilience.CircuitBreaker;
import dev.pipescope.resilience.CircuitBreakerListener;
import dev.pipescope.resilience.ResilientCall;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Aggregates a pipeline's metrics, dependencies, caches and memory into an immutable {@link HealthReport}
 * judged by the {@link HealthEvaluator}: whether the pipeline is healthy and, if not, why — root cause
 * first.
 *
 * <p>{@link #start()} runs the reporter as an Agrona {@link Agent} on its own {@link AgentRunner} thread
 * ({@code pipescope-health-<pipeline>}): a report every interval (1 s in the program) and whenever the
 * processing thread asks with {@link #requestReport()}, which only sets a flag and unparks the reporter,
 * so nothing is computed on the hot path. An exception anywhere in a report — a listener's included — goes
 * to the {@link ErrorHandler} (counted, logged once per interval by default) and the reporter goes on: a
 * listener cannot stop reports, nor the listeners after it.
 *
 * <p>The dashboard claims the stage metrics' interval sampling ({@link StageMetrics#claimSampler()}), so
 * there is one dashboard per pipeline; everybody else reads {@link #latest()}.
 */
public final class HealthDashboard implements AutoCloseable {
    private static final int RECENT = 10;
    private static final int BASELINE_WINDOW = 300;
    private static final int BASELINE_MIN_SAMPLES = 5;
    private static final long ONE_MINUTE = TimeUnit.MINUTES.toNanos(1);

    private final Pipeline pipeline;
    private final NanoClock nanoClock;
    private final EpochClock epochClock;
    private final MemoryGcSampler memory;
    private final long intervalNanos;
    private final StageMetrics.Sampler[] samplers;
    private final CapacityBaseline[] baselines;
    private final CopyOnWriteArrayList<HealthListener> listeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<HealthStatusListener> statusListeners = new CopyOnWriteArrayList<>();
    private final double[] recentBottleneckRps = new double[RECENT];
    private final Map<String, long[]> previousCacheCounts = new LinkedHashMap<>();

    private volatile HealthThresholds thresholds = HealthThresholds.DEFAULTS;
    private volatile ErrorHandler errorHandler = BackgroundErrorHandler.standardError();
    private volatile HealthReport latest;
    private volatile boolean reportRequested;
    private volatile Thread reporterThread;
    private volatile boolean stopping;
    private AgentRunner runner;
    private HealthEvaluator.State state = HealthEvaluator.State.INITIAL;
    private int recentBottleneckCount;
    private long sequence;
    private PipelineCounters previousTotals = PipelineCounters.ZERO;
    private long previousNanos;
    private boolean threadRegistered;

    /**
     * @param pipeline      the pipeline to watch.
     * @param intervalNanos time between timed reports, at least 10 ms.
     * @throws IllegalStateException when another dashboard already samples this pipeline's stage metrics.
     */
    public HealthDashboard(final Pipeline pipeline, final long intervalNanos) {
        if (intervalNanos < TimeUnit.MILLISECONDS.toNanos(10)) {
            throw new IllegalArgumentException("health interval must be at least 10 ms");
        }
        this.pipeline = pipeline;
        this.nanoClock = pipeline.context().nanoClock();
        this.epochClock = pipeline.context().epochClock();
        this.intervalNanos = intervalNanos;
        final int stages = pipeline.stages().size();
        samplers = new StageMetrics.Sampler[stages];
        baselines = new CapacityBaseline[stages];
        for (int i = 0; i < stages; i++) {
            samplers[i] = pipeline.metrics(i).claimSampler();
            baselines[i] = new CapacityBaseline(BASELINE_WINDOW, BASELINE_MIN_SAMPLES);
        }
        this.memory = new MemoryGcSampler(nanoClock, epochClock);
        previousNanos = nanoClock.nanoTime();
    }

    /** @param listener told about every report, on the reporter thread. */
    public void addListener(final HealthListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** @param listener no longer told. */
    public void removeListener(final HealthListener listener) {
        listeners.remove(listener);
    }

    /** @param listener told about every status change, the first status included, on the reporter thread. */
    public void addStatusListener(final HealthStatusListener listener) {
        statusListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** @param listener no longer told. */
    public void removeStatusListener(final HealthStatusListener listener) {
        statusListeners.remove(listener);
    }

    /**
     * Subscribes to circuit transitions of the pipeline's breakers. Called on the thread that changed the
     * breaker (the processing thread for automatic transitions): the listener must be quick, must not
     * block and must not allocate.
     *
     * @param listener told about every transition.
     */
    public void addCircuitListener(final CircuitBreakerListener listener) {
        pipeline.context().circuitBreakers().addListener(listener);
    }

    /**
     * @param handler where errors of the reporter (and its listeners) go; set before {@link #start()}.
     *                By default a {@link BackgroundErrorHandler} printing to standard error.
     */
    public void errorHandler(final ErrorHandler handler) {
        errorHandler = Objects.requireNonNull(handler, "handler");
    }

    /** @param newThresholds the limits the rules judge by from the next report on. */
    public void thresholds(final HealthThresholds newThresholds) {
        thresholds = Objects.requireNonNull(newThresholds, "thresholds");
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

    /** @return the time between timed reports. */
    public long intervalNanos() {
        return intervalNanos;
    }

    /** Starts the reporter agent on its own (daemon) thread; a second call does nothing. */
    public synchronized void start() {
        if (runner != null) {
            return;
        }
        final Reporter agent = new Reporter();
        stopping = false;
        runner = new AgentRunner(agent, this::onError, null, agent);
        AgentRunner.startOnThread(runner, r -> {
            final Thread t = new Thread(r, "pipescope-health-" + pipeline.name());
            t.setDaemon(true);
            return t;
        });
    }

    private void onError(final Throwable error) {
        try {
            errorHandler.onError(error);
        } catch (final RuntimeException ignored) {
            // an error handler that fails cannot be told about it; the reporter must go on
        }
    }

    /**
     * Asks the reporter for a report as soon as it can take one. Processing thread friendly: no
     * allocation, no lock, no waiting.
     */
    public void requestReport() {
        reportRequested = true;
        final Thread thread = reporterThread;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Takes a report now and tells the listeners. Must be called from one thread only: the reporter thread
     * once {@link #start()}ed, otherwise the caller's (tests, embedding code driving its own schedule, or a
     * final report after {@link #stop()}).
     *
     * @return the report.
     */
    public HealthReport report() {
        final long now = nanoClock.nanoTime();
        final long intervalNs = Math.max(1, now - previousNanos);
        final HealthThresholds limits = thresholds;
        if (!threadRegistered && pipeline.processingThreadId() >= 0) {
            memory.registerThread(pipeline.processingThreadId());
            threadRegistered = true;
        }

        final List<StageHealth> stages = new ArrayList<>();
        final List<StageMetricsSnapshot> snapshots = new ArrayList<>();
        for (int i = 0; i < samplers.length; i++) {
            final StageMetricsSnapshot s = samplers[i].sample(now);
            snapshots.add(s);
            stages.add(stageHealth(i, s));
        }
        final List<CircuitHealth> circuits = circuits(now);
        final List<DependencyHealth> dependencies = dependencies(circuits, now, limits);
        final Map<String, HealthReport.CacheHealth> caches = caches();
        final MemoryHealth memoryHealth = memoryHealth(memory.sample());

        final PipelineCounters totals = pipeline.totals();
        final PipelineCounters interval = totals.minus(previousTotals);
        final Pipeline.InFlight inFlight = pipeline.inFlight();
        final HealthEvaluator.Stall stall = inFlight == null ? null : new HealthEvaluator.Stall(inFlight.stage(),
            TimeUnit.NANOSECONDS.toMillis(inFlight.stageNanos()), totals.batches() + 1);
        final HealthEvaluator.Verdict verdict = HealthEvaluator.evaluate(
            new HealthEvaluator.Inputs(stages, dependencies, interval, stall, memoryHealth), state, limits);
        state = verdict.state();
        learnBaselines(stages, verdict.state(), limits);

        final StageHealth bottleneck = verdict.bottleneck();
        if (bottleneck != null) {
            recentBottleneckRps[recentBottleneckCount++ % RECENT] = bottleneck.capacityRps();
        }
        final HealthReport.Throughput throughput = new HealthReport.Throughput(
            TimeUnit.NANOSECONDS.toMillis(intervalNs), interval.batches(), interval.recordsIn() * 1e9 / intervalNs,
            verdict.busyShare(), verdict.sourceBound(), verdict.hostSpeedRatio(),
            mean(recentBottleneckRps, recentBottleneckCount));
        final HealthReport report = new HealthReport(epochClock.time(), ++sequence, verdict.status(),
            verdict.reasons(), throughput, bottleneck, stages, snapshots, pipeline.counters(),
            new HealthReport.Resilience(dependencies, circuits), caches, memoryHealth);

        previousTotals = totals;
        previousNanos = now;
        final HealthReport before = latest;
        latest = report;
        for (final HealthListener l : listeners) {
            try {
                l.onReport(report);
            } catch (final RuntimeException e) {
                onError(e);
            }
        }
        if (before == null || before.status() != report.status()) {
            final HealthStatus from = before == null ? null : before.status();
            for (final HealthStatusListener l : statusListeners) {
                try {
                    l.onStatusChange(from, report.status(), report);
                } catch (final RuntimeException e) {
                    onError(e);
                }
            }
        }
        return report;
    }

    /** A judged interval in which a stage was not dropped teaches its baseline; a dropped one never does. */
    private void learnBaselines(final List<StageHealth> stages, final HealthEvaluator.State next,
        final HealthThresholds limits) {
        for (int i = 0; i < stages.size(); i++) {
            final StageHealth s = stages.get(i);
            if (s.batches() >= limits.minBatchesForDrop() && !next.isActive(HealthReason.THROUGHPUT_DROP, s.name())
                && !(s.capacityRatio() < limits.dropEnterRatio())) {
                baselines[i].add(s.capacityRps());
            }
        }
    }

    /** Capacity from the median batch: records per batch over the p50 batch latency. */
    private StageHealth stageHealth(final int index, final StageMetricsSnapshot s) {
        final long batches = s.interval().batches();
        final LatencySummary latency = s.batchLatency();
        double capacity = 0;
        if (batches > 0 && latency.hasData() && latency.p50Nanos() > 0) {
            capacity = ((double) s.interval().recordsIn() / batches) * 1e9 / latency.p50Nanos();
        }
        final double allocatedPerBatch = batches > 0 ? (double) s.interval().allocatedBytes() / batches : 0;
        return new StageHealth(s.stage(), batches, s.interval().recordsIn(), s.interval().recordsOut(),
            nanToZero(s.busyShare()), capacity, baselines[index].value(), allocatedPerBatch,
            micros(latency.p50Nanos()), micros(latency.p90Nanos()), micros(latency.p99Nanos()),
            micros(latency.p999Nanos()), micros(latency.maxNanos()));
    }

    private List<CircuitHealth> circuits(final long now) {
        final List<CircuitHealth> circuits = new ArrayList<>();
        for (final CircuitBreaker b : pipeline.context().circuitBreakers().breakers()) {
            final CircuitBreaker.State s = b.state();
            final long opened = b.transitionCount(CircuitBreaker.State.OPEN)
                + b.transitionCount(CircuitBreaker.State.FORCED_OPEN);
            final String name = stateName(s);
            circuits.add(new CircuitHealth(b.name(), b.dependency(), name,
                TimeUnit.NANOSECONDS.toMillis(Math.max(0, now - b.stateEnteredNanos())),
                "CLOSED".equals(name) ? 0 : TimeUnit.NANOSECONDS.toMillis(outageNanos(b, now)), opened));
        }
        return circuits;
    }

    private static long outageNanos(final CircuitBreaker b, final long now) {
        return b.outageNanos(now); // from the outage's first opening, across failed half-open probes
    }

    private List<DependencyHealth> dependencies(final List<CircuitHealth> circuits, final long now,
        final HealthThresholds limits) {
        final Map<String, List<CircuitHealth>> byDependency = new LinkedHashMap<>();
        for (final CircuitHealth c : circuits) {
            byDependency.computeIfAbsent(c.dependency(), k -> new ArrayList<>()).add(c);
        }
        final Map<String, long[]> calls = new LinkedHashMap<>();
        final long quiet = TimeUnit.MILLISECONDS.toNanos(limits.retryQuietMs());
        for (final ResilientCall call : pipeline.context().metrics().calls()) {
            final long[] sums = calls.computeIfAbsent(call.dependency(), k -> new long[4]);
            sums[0] += call.retries().sum(ONE_MINUTE, now);
            sums[1] += call.retriesInLast(quiet, now);
            sums[2] += call.failedAttempts().sum(ONE_MINUTE, now);
            sums[3] += call.shortCircuits().sum(ONE_MINUTE, now);
            byDependency.computeIfAbsent(call.dependency(), k -> new ArrayList<>());
        }
        final List<DependencyHealth> dependencies = new ArrayList<>();
        for (final Map.Entry<String, List<CircuitHealth>> e : byDependency.entrySet()) {
            final List<String> open = new ArrayList<>();
            long outage = 0;
            for (final CircuitHealth c : e.getValue()) {
                if (c.isOpen()) {
                    open.add(c.name());
                    outage = Math.max(outage, c.outageMillis());
                }
            }
            final long[] sums = calls.getOrDefault(e.getKey(), new long[4]);
            dependencies.add(new DependencyHealth(e.getKey(), e.getValue().size(), open, outage, sums[0], sums[1],
                sums[2], sums[3]));
        }
        return dependencies;
    }

    private Map<String, HealthReport.CacheHealth> caches() {
        final Map<String, HealthReport.CacheHealth> caches = new LinkedHashMap<>();
        for (final Map.Entry<String, CacheStats> e : pipeline.context().metrics().caches().entrySet()) {
            final long hits = e.getValue().hits();
            final long misses = e.getValue().misses();
            final long[] previous = previousCacheCounts.computeIfAbsent(e.getKey(), k -> new long[2]);
            caches.put(e.getKey(), new HealthReport.CacheHealth(rate(hits, misses),
                rate(hits - previous[0], misses - previous[1])));
            previous[0] = hits;
            previous[1] = misses;
        }
        return caches;
    }

    /** The live set from GC notifications: it works on G1, Parallel, Serial and ZGC alike. */
    private static MemoryHealth memoryHealth(final MemorySnapshot m) {
        return new MemoryHealth(m.heapUsedBytes(), m.heapCommittedBytes(), m.liveSetLimitBytes(), m.liveSetBytes(),
            m.liveSetShareOfLimit(), m.gcCount(), m.gcTimeMillis(), nanToZero(m.gcTimeShare()),
            nanToZero(m.allocationRateBytesPerSecond()), m.liveSetGrowing(), nanToZero(m.liveSetSlopeBytesPerSecond()),
            m.liveSetGrowing() ? m.secondsToExhaustion() : Double.NaN);
    }

    /** Mean of a ring of the last {@value #RECENT} values, {@code written} of which were ever written. */
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

    /** Stops the reporter and unsubscribes from GC notifications; no report can be taken afterwards. */
    @Override
    public void close() {
        stop();
        memory.close();
    }

    /**
     * Stops the reporter agent and waits for its thread. Afterwards {@link #report()} may be called from the
     * caller's thread, e.g. for a final report.
     */
    public synchronized void stop() {
        final AgentRunner r = runner;
        if (r != null) {
            stopping = true; // the reporter must not park again while the runner waits for it
            final Thread thread = reporterThread;
            if (thread != null) {
                LockSupport.unpark(thread);
            }
            r.close();
            runner = null;
            reporterThread = null;
        }
    }

    /** The reporter: a report when one is due or requested; in between, parked until the next is due. */
    private final class Reporter implements Agent, IdleStrategy {
        private long next;

        @Override
        public void onStart() {
            reporterThread = Thread.currentThread();
            next = nanoClock.nanoTime() + intervalNanos;
        }

        @Override
        public int doWork() {
            final long now = nanoClock.nanoTime();
            if (!reportRequested && now - next < 0) {
                return 0;
            }
            reportRequested = false;
            next = now + intervalNanos; // set first: a failing report must not be retried in a busy loop
            report();
            return 1;
        }

        @Override
        public String roleName() {
            return "pipescope-health-" + pipeline.name();
        }

        @Override
        public void idle(final int workCount) {
            if (workCount > 0) {
                return;
            }
            final long wait = next - nanoClock.nanoTime();
            if (wait > 0 && !reportRequested && !stopping) {
                LockSupport.parkNanos(this, wait); // requestReport() and close() unpark
            }
        }

        @Override
        public void idle() {
            idle(0);
        }

        @Override
        public void reset() {
        }
    }
}
