package dev.pipescope.http;

import dev.pipescope.health.CircuitHealth;
import dev.pipescope.health.DependencyHealth;
import dev.pipescope.health.HealthDashboard;
import dev.pipescope.health.HealthReason;
import dev.pipescope.health.HealthReport;
import dev.pipescope.health.HealthStatus;
import dev.pipescope.health.MemoryHealth;
import dev.pipescope.health.StageHealth;
import dev.pipescope.metrics.LatencySummary;
import dev.pipescope.metrics.StageMetricsSnapshot;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.PipelineCounters;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code /health/live}, {@code /health/ready} and {@code /health} answer, as a status code and a JSON
 * body, read from the pipeline's lock-free views and the dashboard's last report (never a new sample).
 *
 * <ul>
 *   <li><b>live</b>: 200 while the processing thread is alive and no stage has held the batch in flight
 *   longer than the stall limit; 503 once the pipeline failed or closed, its thread ended, or a stage
 *   stalls beyond the limit. Kubernetes restarts a container whose liveness probe fails, so the limit should
 *   be well above any batch's normal time (the health report already calls a batch held 2 s {@code STALLED}
 *   and takes the pod out of service through readiness).</li>
 *   <li><b>ready</b>: 503 before the first health report, while the last one is UNHEALTHY, and once the
 *   pipeline failed or closed; 200 when HEALTHY or DEGRADED (a degraded pipeline still does its job, with
 *   fallbacks). The body carries the status and the reasons.</li>
 *   <li><b>health</b>: the whole last report (status, reasons, bottleneck, stages, circuits, dependencies,
 *   caches, totals, memory), with the codes of {@code ready}.</li>
 * </ul>
 */
final class HealthEndpoints {
    static final int OK = 200;
    static final int UNAVAILABLE = 503;

    /** A status code and its JSON body. */
    record Response(int code, String body) {
    }

    private final Pipeline pipeline;
    private final HealthDashboard dashboard;
    private final long stallLimitNanos;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    /**
     * @param dashboard       the pipeline's dashboard.
     * @param stallLimitNanos how long a stage may hold the batch before liveness fails.
     */
    HealthEndpoints(final HealthDashboard dashboard, final long stallLimitNanos) {
        this.dashboard = dashboard;
        this.pipeline = dashboard.pipeline();
        this.stallLimitNanos = stallLimitNanos;
    }

    /** @return the liveness answer. */
    Response live() {
        final Pipeline.State state = pipeline.state();
        final long threadId = pipeline.processingThreadId();
        final Pipeline.InFlight inFlight = pipeline.inFlight();
        String problem = null;
        if (state == Pipeline.State.FAILED) {
            problem = "FAILED: " + (pipeline.failure() == null ? "a stage threw" : pipeline.failure().getMessage());
        } else if (state == Pipeline.State.CLOSED) {
            problem = "CLOSED: the pipeline takes no more batches";
        } else if (threadId >= 0 && threadInfo(threadId) == null) {
            problem = "THREAD_ENDED: the processing thread (id " + threadId + ") has ended";
        } else if (inFlight != null && inFlight.stageNanos() > stallLimitNanos) {
            problem = String.format("STALLED: stage %s has held the batch for %.1f s (limit %.1f s)", inFlight.stage(),
                inFlight.stageNanos() / 1e9, stallLimitNanos / 1e9);
        }
        final Json json = new Json().beginObject()
            .field("status", problem == null ? "UP" : "DOWN")
            .field("pipeline", pipeline.name())
            .field("state", state.name());
        if (inFlight != null) {
            json.field("inFlightStage", inFlight.stage()).field("inFlightSeconds", round3(inFlight.stageNanos() / 1e9));
        }
        if (problem != null) {
            json.field("reason", problem);
        }
        return new Response(problem == null ? OK : UNAVAILABLE, json.endObject().toString());
    }

    private ThreadInfo threadInfo(final long id) {
        try {
            return threads.getThreadInfo(id);
        } catch (final SecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    /** @return the readiness answer. */
    Response ready() {
        final HealthReport report = dashboard.latest();
        final Pipeline.State state = pipeline.state();
        final boolean ready = isReady(report, state);
        final Json json = new Json().beginObject()
            .field("status", ready ? "UP" : "DOWN")
            .field("pipeline", pipeline.name())
            .field("health", report == null ? "UNKNOWN" : report.status().name());
        if (report == null) {
            json.field("reason", "no health report yet");
        } else if (state == Pipeline.State.FAILED || state == Pipeline.State.CLOSED) {
            json.field("reason", "pipeline " + state.name());
        }
        reasons(json, report == null ? List.of() : report.reasons());
        return new Response(ready ? OK : UNAVAILABLE, json.endObject().toString());
    }

    private static boolean isReady(final HealthReport report, final Pipeline.State state) {
        return report != null && report.status() != HealthStatus.UNHEALTHY
            && state != Pipeline.State.FAILED && state != Pipeline.State.CLOSED;
    }

    /** @return the whole last report. */
    Response health() {
        final HealthReport r = dashboard.latest();
        final Pipeline.State state = pipeline.state();
        final Json json = new Json().beginObject();
        if (r == null) {
            json.field("status", "UNKNOWN").field("pipeline", pipeline.name()).field("state", state.name())
                .field("reason", "no health report yet");
            reasons(json, List.of());
            return new Response(UNAVAILABLE, json.endObject().toString());
        }
        json.field("status", r.status().name())
            .field("pipeline", pipeline.name())
            .field("state", state.name())
            .field("sequence", r.sequence())
            .field("timestamp", Instant.ofEpochMilli(r.epochMillis()).toString())
            .field("batchCount", r.totals().batches());
        reasons(json, r.reasons());
        if (r.bottleneck() == null) {
            json.nullField("bottleneck");
        } else {
            final StageHealth b = r.bottleneck();
            json.beginObject("bottleneck").field("stage", b.name()).field("capacityRps", round3(b.capacityRps()))
                .field("busyShare", round3(b.busyShare())).field("p99Micros", round3(b.p99Micros())).endObject();
        }
        final HealthReport.Throughput t = r.throughput();
        json.beginObject("throughput").field("intervalMillis", t.intervalMillis())
            .field("intervalBatches", t.intervalBatches()).field("pipelineRps", round3(t.pipelineRps()))
            .field("busyShare", round3(t.busyShare())).field("sourceBound", t.sourceBound())
            .field("hostSpeedRatio", round3(t.hostSpeedRatio()))
            .field("meanRecentBottleneckRps", round3(t.meanRecentBottleneckRps())).endObject();
        stages(json, r);
        json.beginArray("openCircuits");
        for (final String open : r.openCircuits()) {
            json.item(open);
        }
        json.endArray();
        json.beginArray("circuits");
        for (final CircuitHealth c : r.resilience().circuits()) {
            json.beginObject().field("name", c.name()).field("dependency", c.dependency()).field("state", c.state())
                .field("inStateMillis", c.inStateMillis()).field("outageMillis", c.outageMillis())
                .field("openedCount", c.openedCount()).endObject();
        }
        json.endArray();
        json.beginArray("dependencies");
        for (final DependencyHealth d : r.resilience().dependencies()) {
            json.beginObject().field("name", d.name()).field("breakers", d.breakers())
                .field("openBreakers", d.openBreakers().size()).field("outageMillis", d.outageMillis())
                .field("retriesLast1m", d.retriesLast1m()).field("failuresLast1m", d.failuresLast1m())
                .field("shortCircuitedLast1m", d.shortCircuitedLast1m()).endObject();
        }
        json.endArray();
        json.beginObject("caches");
        for (final Map.Entry<String, HealthReport.CacheHealth> c : r.caches().entrySet()) {
            json.beginObject(c.getKey()).field("hitRate", round3(c.getValue().hitRate()))
                .field("intervalHitRate", round3(c.getValue().intervalHitRate())).endObject();
        }
        json.endObject();
        final PipelineCounters totals = r.totals();
        json.beginObject("totals").field("batches", totals.batches()).field("recordsIn", totals.recordsIn())
            .field("recordsOut", totals.recordsOut()).field("alerts", totals.alerts())
            .field("degraded", totals.degraded()).field("invalid", totals.invalid())
            .field("rejected", totals.rejected()).endObject();
        final MemoryHealth m = r.memory();
        json.beginObject("memory").field("heapUsedBytes", m.heapUsedBytes())
            .field("heapCommittedBytes", m.heapCommittedBytes()).field("liveSetLimitBytes", m.liveSetLimitBytes())
            .field("liveSetBytes", m.liveSetBytes()).field("liveSetShare", round3(m.liveSetShare()))
            .field("gcCount", m.gcCount()).field("gcTimeMillis", m.gcTimeMillis()).field("gcShare", round3(m.gcShare()))
            .field("allocationRateBytesPerSec", round3(m.allocationRateBytesPerSec()))
            .field("heapGrowing", m.heapGrowing()).field("heapSlopeBytesPerSec", round3(m.heapSlopeBytesPerSec()))
            .field("secondsToExhaustion", round3(m.secondsToExhaustion())).endObject();
        return new Response(isReady(r, state) ? OK : UNAVAILABLE, json.endObject().toString());
    }

    private static void stages(final Json json, final HealthReport r) {
        json.beginArray("stages");
        final List<StageMetricsSnapshot> snapshots = r.stageMetrics();
        for (int i = 0; i < r.stages().size(); i++) {
            final StageHealth s = r.stages().get(i);
            json.beginObject().field("name", s.name()).field("batches", s.batches()).field("recordsIn", s.recordsIn())
                .field("recordsOut", s.recordsOut()).field("busyShare", round3(s.busyShare()))
                .field("capacityRps", round3(s.capacityRps())).field("baselineRps", round3(s.baselineRps()))
                .field("allocatedBytesPerBatch", round3(s.allocatedBytesPerBatch()));
            json.beginObject("latencyMicros").field("p50", round3(s.p50Micros())).field("p90", round3(s.p90Micros()))
                .field("p99", round3(s.p99Micros())).field("p999", round3(s.p999Micros()))
                .field("max", round3(s.maxMicros())).endObject();
            if (i < snapshots.size()) {
                final LatencySummary total = snapshots.get(i).batchLatencyTotal();
                json.beginObject("totalLatencyMicros").field("count", total.count())
                    .field("p50", round3(total.p50Nanos() / 1000)).field("p90", round3(total.p90Nanos() / 1000))
                    .field("p99", round3(total.p99Nanos() / 1000)).field("p999", round3(total.p999Nanos() / 1000))
                    .field("max", round3(total.maxNanos() / 1000)).endObject();
            }
            json.endObject();
        }
        json.endArray();
    }

    private static void reasons(final Json json, final List<HealthReason> reasons) {
        json.beginArray("reasons");
        for (final HealthReason reason : reasons) {
            json.beginObject().field("code", reason.code()).field("subject", reason.subject())
                .field("status", reason.status().name()).field("message", reason.message()).endObject();
        }
        json.endArray();
    }

    private static double round3(final double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : v;
    }
}
