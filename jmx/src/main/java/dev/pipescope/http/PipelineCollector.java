package dev.pipescope.http;

import dev.pipescope.health.HealthDashboard;
import dev.pipescope.health.HealthReason;
import dev.pipescope.health.HealthReport;
import dev.pipescope.health.HealthStatus;
import dev.pipescope.health.MemoryHealth;
import dev.pipescope.health.StageHealth;
import dev.pipescope.metrics.CacheStats;
import dev.pipescope.metrics.NativeLatencyBuckets;
import dev.pipescope.metrics.StageCounters;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.PipelineCounters;
import dev.pipescope.resilience.CircuitBreaker;
import dev.pipescope.resilience.ResilientCall;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every {@code pipescope_*} metric family of one pipeline, read when Prometheus scrapes (a
 * {@link MultiCollector}): nothing is computed between scrapes and nothing here runs on the processing
 * thread. The figures come from the views the MXBeans read:
 * <ul>
 *   <li>totals — {@link Pipeline#totals()} and each stage's {@code StageMetrics.totals()}, seqlocked reads
 *   that never make the writer wait — as counters;</li>
 *   <li>interval figures (busy share, capacity, memory, GC share, health) from the dashboard's last report,
 *   {@link HealthDashboard#latest()}, never a new sample (a stage's metrics have one sampler, the
 *   dashboard);</li>
 *   <li>breakers, calls and caches from their own atomic counters.</li>
 * </ul>
 * Naming follows the Prometheus conventions: the {@code pipescope_} prefix, snake_case, base units
 * (seconds, bytes, ratios 0..1), {@code _total} on counters (the client appends it), and labels for
 * dimensions: {@code pipeline} on every series, then {@code stage}, {@code breaker}, {@code dependency},
 * {@code cache}. State sets ({@code pipescope_health_status}, {@code pipescope_circuit_breaker_state},
 * {@code pipescope_pipeline_state}) are gauges with one series per possible state, 1 for the current one
 * and 0 for the others, as kube-state-metrics does. Label sets of the stages are built once.
 */
final class PipelineCollector implements MultiCollector {
    private static final String[] BREAKER_STATES = stateNames();
    private static final String[] PIPELINE_STATES = {"READY", "RUNNING", "FAILED", "CLOSED"};
    private static final double NANOS = 1e9;

    private final Pipeline pipeline;
    private final HealthDashboard dashboard;
    private final StageLatencyHistograms latency;
    private final String name;
    private final Labels pipelineLabels;
    private final Labels[] stageLabels;
    private final Labels[] pipelineStateLabels;
    private final Labels[] healthStatusLabels;

    /**
     * @param dashboard the pipeline's dashboard (its reports feed the interval figures).
     * @param latency   the stages' latency histograms, fed by the same reports.
     */
    PipelineCollector(final HealthDashboard dashboard, final StageLatencyHistograms latency) {
        this.dashboard = dashboard;
        this.pipeline = dashboard.pipeline();
        this.latency = latency;
        this.name = pipeline.name();
        pipelineLabels = Labels.of("pipeline", name);
        final List<String> stages = pipeline.stageNames();
        stageLabels = new Labels[stages.size()];
        for (int i = 0; i < stageLabels.length; i++) {
            stageLabels[i] = Labels.of("pipeline", name, "stage", stages.get(i));
        }
        pipelineStateLabels = new Labels[PIPELINE_STATES.length];
        for (int i = 0; i < PIPELINE_STATES.length; i++) {
            pipelineStateLabels[i] = Labels.of("pipeline", name, "state", PIPELINE_STATES[i]);
        }
        final HealthStatus[] statuses = HealthStatus.values();
        healthStatusLabels = new Labels[statuses.length];
        for (int i = 0; i < statuses.length; i++) {
            healthStatusLabels[i] = Labels.of("pipeline", name, "status", statuses[i].name());
        }
    }

    private static String[] stateNames() {
        final CircuitBreaker.State[] states = CircuitBreaker.State.values();
        final String[] names = new String[states.length];
        for (int i = 0; i < states.length; i++) {
            names[i] = states[i].name();
        }
        return names;
    }

    @Override
    public MetricSnapshots collect() {
        final MetricSnapshots.Builder out = MetricSnapshots.builder();
        final HealthReport report = dashboard.latest();
        pipelineTotals(out);
        stages(out, report);
        health(out, report);
        memory(out, report);
        breakers(out);
        dependencies(out);
        caches(out);
        return out.build();
    }

    // ------------------------------------------------------------------ pipeline

    private void pipelineTotals(final MetricSnapshots.Builder out) {
        final PipelineCounters t = pipeline.totals(); // since start: a counter never goes down on resetMetrics()
        out.metricSnapshot(counter("pipescope_batches", "Batches processed.", null, pipelineLabels, t.batches()));
        out.metricSnapshot(counter("pipescope_records_in", "Records that entered the first stage.", null,
            pipelineLabels, t.recordsIn()));
        out.metricSnapshot(counter("pipescope_records_out", "Records that left the last stage.", null,
            pipelineLabels, t.recordsOut()));
        out.metricSnapshot(counter("pipescope_alerts", "Records that left the pipeline flagged as anomalies.", null,
            pipelineLabels, t.alerts()));
        out.metricSnapshot(counter("pipescope_records_degraded",
            "Records that left flagged DEGRADED (a dependency failed; a fallback was used).", null, pipelineLabels,
            t.degraded()));
        out.metricSnapshot(counter("pipescope_records_invalid", "Records that left flagged INVALID (non-finite readings).",
            null, pipelineLabels, t.invalid()));
        out.metricSnapshot(counter("pipescope_records_rejected", "Input lines the source rejected as malformed.", null,
            pipelineLabels, t.rejected()));
        final String state = pipeline.state().name();
        final GaugeSnapshot.Builder g = GaugeSnapshot.builder().name("pipescope_pipeline_state")
            .help("The pipeline's lifecycle state: 1 for the current one, 0 for the others.");
        for (int i = 0; i < PIPELINE_STATES.length; i++) {
            g.dataPoint(gaugePoint(pipelineStateLabels[i], PIPELINE_STATES[i].equals(state) ? 1 : 0));
        }
        out.metricSnapshot(g.build());
        out.metricSnapshot(gauge("pipescope_uptime_seconds", "Time since the pipeline was assembled.", Unit.SECONDS,
            pipelineLabels, pipeline.uptimeNanos() / NANOS));
    }

    // ------------------------------------------------------------------ stages

    private void stages(final MetricSnapshots.Builder out, final HealthReport report) {
        final int n = stageLabels.length;
        final CounterSnapshot.Builder batches = CounterSnapshot.builder().name("pipescope_stage_batches")
            .help("Batches through the stage.");
        final CounterSnapshot.Builder in = CounterSnapshot.builder().name("pipescope_stage_records_in")
            .help("Records handed to the stage.");
        final CounterSnapshot.Builder outRecords = CounterSnapshot.builder().name("pipescope_stage_records_out")
            .help("Records the stage passed on.");
        final CounterSnapshot.Builder busy = CounterSnapshot.builder().name("pipescope_stage_busy_seconds")
            .unit(Unit.SECONDS).help("Time spent inside the stage; rate() of it is the stage's busy share.");
        final CounterSnapshot.Builder allocated = CounterSnapshot.builder().name("pipescope_stage_allocated_bytes")
            .unit(Unit.BYTES).help("Bytes the processing thread allocated inside the stage (sampled and scaled).");
        final CounterSnapshot.Builder clamped = CounterSnapshot.builder().name("pipescope_stage_latency_clamped")
            .help("Latency values outside the stage histograms' range, recorded at its edge.");
        for (int i = 0; i < n; i++) {
            final StageCounters c = pipeline.metrics(i).totals();
            batches.dataPoint(counterPoint(stageLabels[i], c.batches()));
            in.dataPoint(counterPoint(stageLabels[i], c.recordsIn()));
            outRecords.dataPoint(counterPoint(stageLabels[i], c.recordsOut()));
            busy.dataPoint(counterPoint(stageLabels[i], c.busyNanos() / NANOS));
            allocated.dataPoint(counterPoint(stageLabels[i], c.allocatedBytes()));
            clamped.dataPoint(counterPoint(stageLabels[i], c.clampedValues()));
        }
        out.metricSnapshot(batches.build());
        out.metricSnapshot(in.build());
        out.metricSnapshot(outRecords.build());
        out.metricSnapshot(busy.build());
        out.metricSnapshot(allocated.build());
        out.metricSnapshot(clamped.build());

        final Pipeline.InFlight inFlight = pipeline.inFlight();
        final GaugeSnapshot.Builder held = GaugeSnapshot.builder().name("pipescope_stage_in_flight_seconds")
            .unit(Unit.SECONDS).help("How long the stage has held the batch in flight (0 when it holds none).");
        for (int i = 0; i < n; i++) {
            held.dataPoint(gaugePoint(stageLabels[i],
                inFlight != null && inFlight.index() == i ? inFlight.stageNanos() / NANOS : 0));
        }
        out.metricSnapshot(held.build());

        latencyHistogram(out);

        if (report == null) {
            return;
        }
        final GaugeSnapshot.Builder busyRatio = GaugeSnapshot.builder().name("pipescope_stage_busy_ratio")
            .unit(Unit.RATIO).help("Share of the last health interval's wall time spent in the stage (0..1).");
        final GaugeSnapshot.Builder capacity = GaugeSnapshot.builder()
            .name("pipescope_stage_capacity_records_per_second")
            .help("Records per second of the stage's own time over the last health interval, from its median batch.");
        final GaugeSnapshot.Builder baseline = GaugeSnapshot.builder()
            .name("pipescope_stage_baseline_capacity_records_per_second")
            .help("The stage's usual capacity (median of its healthy intervals), once known.");
        final List<StageHealth> stages = report.stages();
        for (int i = 0; i < Math.min(n, stages.size()); i++) {
            final StageHealth s = stages.get(i);
            busyRatio.dataPoint(gaugePoint(stageLabels[i], s.busyShare()));
            capacity.dataPoint(gaugePoint(stageLabels[i], s.capacityRps()));
            if (Double.isFinite(s.baselineRps())) {
                baseline.dataPoint(gaugePoint(stageLabels[i], s.baselineRps()));
            }
        }
        out.metricSnapshot(busyRatio.build());
        out.metricSnapshot(capacity.build());
        out.metricSnapshot(baseline.build());
    }

    private void latencyHistogram(final MetricSnapshots.Builder out) {
        final StageLatencyHistograms.Published h = latency.published();
        final HistogramSnapshot.Builder histogram = HistogramSnapshot.builder()
            .name("pipescope_stage_batch_latency_seconds").unit(Unit.SECONDS)
            .help("Time a batch spends in the stage (the stage's HdrHistogram counted at the bucket bounds;"
                + " native buckets of schema 8 in the protobuf format).");
        final double[] bounds = new double[StageLatencyHistograms.UPPER_BOUNDS_SECONDS.length + 1];
        System.arraycopy(StageLatencyHistograms.UPPER_BOUNDS_SECONDS, 0, bounds, 0, bounds.length - 1);
        bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
        for (int i = 0; i < stageLabels.length; i++) {
            final HistogramDataPointSnapshot.Builder point = HistogramDataPointSnapshot.builder()
                .labels(stageLabels[i])
                .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds,
                    StageLatencyHistograms.bucketCounts(h.cumulative()[i], h.counts()[i])))
                .sum(h.sumsSeconds()[i]);
            if (h.natives()[i] != null) {
                // the same batches again as a native histogram; only the protobuf format writes these fields
                point.nativeSchema(NativeLatencyBuckets.SCHEMA)
                    .nativeZeroThreshold(NativeLatencyBuckets.ZERO_THRESHOLD_SECONDS)
                    .nativeZeroCount(h.zeroCounts()[i])
                    .nativeBucketsForPositiveValues(h.natives()[i]);
            }
            histogram.dataPoint(point.build());
        }
        out.metricSnapshot(histogram.build());
    }

    // ------------------------------------------------------------------ health

    private void health(final MetricSnapshots.Builder out, final HealthReport report) {
        final HealthStatus current = report == null ? null : report.status();
        final GaugeSnapshot.Builder status = GaugeSnapshot.builder().name("pipescope_health_status")
            .help("The last health report's status: 1 for the current one, 0 for the others (all 0 before the first).");
        final HealthStatus[] statuses = HealthStatus.values();
        for (int i = 0; i < statuses.length; i++) {
            status.dataPoint(gaugePoint(healthStatusLabels[i], statuses[i] == current ? 1 : 0));
        }
        out.metricSnapshot(status.build());
        if (report == null) {
            return;
        }
        final GaugeSnapshot.Builder reasons = GaugeSnapshot.builder().name("pipescope_health_reason")
            .help("One series, value 1, per finding of the last health report (code, subject, and the status it"
                + " implies); a finding that ended disappears.");
        final Map<String, Boolean> seen = new LinkedHashMap<>();
        for (final HealthReason r : report.reasons()) {
            if (seen.put(r.code() + '\u0000' + r.subject(), Boolean.TRUE) == null) { // one series per code and subject
                reasons.dataPoint(gaugePoint(Labels.of("pipeline", name, "code", r.code(), "subject", r.subject(),
                    "status", r.status().name()), 1));
            }
        }
        out.metricSnapshot(reasons.build());
        out.metricSnapshot(counter("pipescope_health_reports", "Health reports taken.", null, pipelineLabels,
            report.sequence()));
        out.metricSnapshot(gauge("pipescope_health_report_timestamp_seconds",
            "When the last health report was taken (Unix time).", Unit.SECONDS, pipelineLabels,
            report.epochMillis() / 1000.0));
        out.metricSnapshot(gauge("pipescope_busy_ratio",
            "Share of the last health interval's wall time the processing thread spent in stages (0..1).", Unit.RATIO,
            pipelineLabels, report.throughput().busyShare()));
        out.metricSnapshot(gauge("pipescope_source_bound",
            "1 when the pipeline mostly waited for its source in the last health interval.", null, pipelineLabels,
            report.throughput().sourceBound() ? 1 : 0));
        if (Double.isFinite(report.throughput().hostSpeedRatio())) {
            out.metricSnapshot(gauge("pipescope_host_speed_ratio",
                "The stages' median capacity against their baselines (about 1 normally, well below when the host slowed).",
                Unit.RATIO, pipelineLabels, report.throughput().hostSpeedRatio()));
        }
    }

    private void memory(final MetricSnapshots.Builder out, final HealthReport report) {
        if (report == null) {
            return;
        }
        final MemoryHealth m = report.memory();
        out.metricSnapshot(gauge("pipescope_heap_used_bytes", "Heap in use at the last health report.", Unit.BYTES,
            pipelineLabels, m.heapUsedBytes()));
        out.metricSnapshot(gauge("pipescope_heap_committed_bytes", "Heap committed at the last health report.",
            Unit.BYTES, pipelineLabels, m.heapCommittedBytes()));
        if (m.liveSetBytes() >= 0) {
            out.metricSnapshot(gauge("pipescope_live_set_bytes",
                "The live set: the lowest heap in use after the last collections (from GC notifications).", Unit.BYTES,
                pipelineLabels, m.liveSetBytes()));
        }
        if (m.liveSetLimitBytes() >= 0) {
            out.metricSnapshot(gauge("pipescope_live_set_limit_bytes",
                "The most the live set can reach (the old generation's max, or the heap's on G1 and ZGC).", Unit.BYTES,
                pipelineLabels, m.liveSetLimitBytes()));
        }
        if (Double.isFinite(m.liveSetShare())) {
            out.metricSnapshot(gauge("pipescope_live_set_ratio", "The live set as a share of its limit (0..1).",
                Unit.RATIO, pipelineLabels, m.liveSetShare()));
        }
        out.metricSnapshot(gauge("pipescope_gc_time_ratio",
            "Share of the last health interval's wall time spent collecting garbage (0..1).", Unit.RATIO, pipelineLabels,
            m.gcShare()));
        out.metricSnapshot(gauge("pipescope_allocation_rate_bytes_per_second",
            "Bytes allocated per second by the measured threads over the last health interval.", null, pipelineLabels,
            m.allocationRateBytesPerSec()));
        out.metricSnapshot(gauge("pipescope_live_set_growing", "1 while the live set grows steadily.", null,
            pipelineLabels, m.heapGrowing() ? 1 : 0));
        out.metricSnapshot(gauge("pipescope_live_set_slope_bytes_per_second", "The live set's growth rate.", null,
            pipelineLabels, m.heapSlopeBytesPerSec()));
    }

    // ------------------------------------------------------------------ resilience and caches

    private void breakers(final MetricSnapshots.Builder out) {
        final List<CircuitBreaker> all = pipeline.context().circuitBreakers().breakers();
        final GaugeSnapshot.Builder state = GaugeSnapshot.builder().name("pipescope_circuit_breaker_state")
            .help("Each breaker's state: 1 for the current one, 0 for the others.");
        final CounterSnapshot.Builder opened = CounterSnapshot.builder().name("pipescope_circuit_breaker_opened")
            .help("Times the breaker opened (automatically or forced).");
        final CounterSnapshot.Builder calls = CounterSnapshot.builder().name("pipescope_circuit_breaker_calls")
            .help("Calls through the breaker by outcome: success, failure, rejected (refused while open).");
        for (final CircuitBreaker b : all) {
            final String current = b.state().name();
            for (final String s : BREAKER_STATES) {
                state.dataPoint(gaugePoint(Labels.of("pipeline", name, "breaker", b.name(), "dependency", b.dependency(),
                    "state", s), s.equals(current) ? 1 : 0));
            }
            final Labels labels = Labels.of("pipeline", name, "breaker", b.name(), "dependency", b.dependency());
            opened.dataPoint(counterPoint(labels, b.transitionCount(CircuitBreaker.State.OPEN)
                + b.transitionCount(CircuitBreaker.State.FORCED_OPEN)));
            calls.dataPoint(counterPoint(labels.add("outcome", "success"), b.successes()));
            calls.dataPoint(counterPoint(labels.add("outcome", "failure"), b.failures()));
            calls.dataPoint(counterPoint(labels.add("outcome", "rejected"), b.rejectedCalls()));
        }
        out.metricSnapshot(state.build());
        out.metricSnapshot(opened.build());
        out.metricSnapshot(calls.build());
    }

    private void dependencies(final MetricSnapshots.Builder out) {
        final Map<String, long[]> sums = new LinkedHashMap<>(); // calls of one dependency add up
        for (final ResilientCall c : pipeline.context().metrics().calls()) {
            final long[] s = sums.computeIfAbsent(c.dependency(), k -> new long[8]);
            s[0] += c.successes();
            s[1] += c.failedCalls();
            s[2] += c.shortCircuitCount();
            s[3] += c.budgetExhaustedCount();
            s[4] += c.retryCount();
            s[5] += c.failedAttemptCount();
            s[6] += c.sleptNanos();
        }
        final CounterSnapshot.Builder calls = CounterSnapshot.builder().name("pipescope_dependency_calls")
            .help("Calls to the dependency by outcome: success, failed (every attempt failed), short_circuited"
                + " (a breaker refused), budget_exhausted (the batch's retry budget ran out).");
        final CounterSnapshot.Builder retries = CounterSnapshot.builder().name("pipescope_dependency_retries")
            .help("Re-attempts actually made to the dependency.");
        final CounterSnapshot.Builder failures = CounterSnapshot.builder().name("pipescope_dependency_failed_attempts")
            .help("Attempts to the dependency that failed.");
        final CounterSnapshot.Builder backoff = CounterSnapshot.builder().name("pipescope_dependency_backoff_seconds")
            .unit(Unit.SECONDS).help("Time spent waiting between attempts.");
        for (final Map.Entry<String, long[]> e : sums.entrySet()) {
            final Labels labels = Labels.of("pipeline", name, "dependency", e.getKey());
            final long[] s = e.getValue();
            calls.dataPoint(counterPoint(labels.add("outcome", "success"), s[0]));
            calls.dataPoint(counterPoint(labels.add("outcome", "failed"), s[1]));
            calls.dataPoint(counterPoint(labels.add("outcome", "short_circuited"), s[2]));
            calls.dataPoint(counterPoint(labels.add("outcome", "budget_exhausted"), s[3]));
            retries.dataPoint(counterPoint(labels, s[4]));
            failures.dataPoint(counterPoint(labels, s[5]));
            backoff.dataPoint(counterPoint(labels, s[6] / NANOS));
        }
        out.metricSnapshot(calls.build());
        out.metricSnapshot(retries.build());
        out.metricSnapshot(failures.build());
        out.metricSnapshot(backoff.build());
    }

    private void caches(final MetricSnapshots.Builder out) {
        final CounterSnapshot.Builder hits = CounterSnapshot.builder().name("pipescope_cache_hits")
            .help("Lookups the cache answered.");
        final CounterSnapshot.Builder misses = CounterSnapshot.builder().name("pipescope_cache_misses")
            .help("Lookups the cache could not answer.");
        final CounterSnapshot.Builder evictions = CounterSnapshot.builder().name("pipescope_cache_evictions")
            .help("Entries replaced to make room.");
        for (final Map.Entry<String, CacheStats> e : pipeline.context().metrics().caches().entrySet()) {
            final Labels labels = Labels.of("pipeline", name, "cache", e.getKey());
            hits.dataPoint(counterPoint(labels, e.getValue().hits()));
            misses.dataPoint(counterPoint(labels, e.getValue().misses()));
            evictions.dataPoint(counterPoint(labels, e.getValue().evictions()));
        }
        out.metricSnapshot(hits.build());
        out.metricSnapshot(misses.build());
        out.metricSnapshot(evictions.build());
    }

    // ------------------------------------------------------------------ helpers

    private static CounterSnapshot counter(final String name, final String help, final Unit unit, final Labels labels,
        final double value) {
        final CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        if (unit != null) {
            b.unit(unit);
        }
        return b.dataPoint(counterPoint(labels, value)).build();
    }

    private static GaugeSnapshot gauge(final String name, final String help, final Unit unit, final Labels labels,
        final double value) {
        final GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        if (unit != null) {
            b.unit(unit);
        }
        return b.dataPoint(gaugePoint(labels, value)).build();
    }

    private static CounterDataPointSnapshot counterPoint(final Labels labels, final double value) {
        return CounterDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    private static GaugeDataPointSnapshot gaugePoint(final Labels labels, final double value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}
