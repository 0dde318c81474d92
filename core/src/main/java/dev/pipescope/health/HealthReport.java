package dev.pipescope.health;

import dev.pipescope.metrics.StageMetricsSnapshot;
import dev.pipescope.pipeline.PipelineCounters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's answer to "is the pipeline healthy, and if not, why?": an immutable snapshot taken by
 * the reporter thread, never on the hot path. Its parts are small records: the verdict (status and
 * reasons, root cause first), {@link Throughput}, the stages, the pipeline's {@link PipelineCounters},
 * {@link Resilience} (dependencies and breakers), caches and {@link MemoryHealth}.
 *
 * @param epochMillis  when it was taken.
 * @param sequence     1 for the first report, then 2, 3, ...
 * @param status       the worst status any finding implies.
 * @param reasons      the findings, root causes first (see {@link HealthReason}); empty when healthy.
 * @param throughput   the pipeline's pace over the interval.
 * @param bottleneck   the busiest stage, or null when no stage ran or the pipeline is source-bound.
 * @param stages       every stage's figures, in pipeline order.
 * @param stageMetrics every stage's raw metrics snapshot (interval and since-start latency, smoothed
 *                     throughput, allocation), in pipeline order.
 * @param totals       the pipeline's totals since start (or the last reset).
 * @param resilience   dependencies, breakers, retries.
 * @param caches       hit rates per cache name.
 * @param memory       memory and GC figures.
 */
public record HealthReport(long epochMillis, long sequence, HealthStatus status, List<HealthReason> reasons,
                           Throughput throughput, StageHealth bottleneck, List<StageHealth> stages,
                           List<StageMetricsSnapshot> stageMetrics, PipelineCounters totals, Resilience resilience,
                           Map<String, CacheHealth> caches, MemoryHealth memory) {

    /**
     * The pipeline's pace over the report's interval.
     *
     * @param intervalMillis          the interval's length.
     * @param intervalBatches         batches in it.
     * @param pipelineRps             records in per second of wall time.
     * @param busyShare               share of wall time the processing thread spent in stages (0..1).
     * @param sourceBound             true when the pipeline mostly waited for its source.
     * @param hostSpeedRatio          the stages' median capacity against their baselines (about 1 normally;
     *                                well below 1 when the whole machine slowed), NaN when unknown.
     * @param meanRecentBottleneckRps mean of the bottleneck's capacity over the last 10 intervals.
     */
    public record Throughput(long intervalMillis, long intervalBatches, double pipelineRps, double busyShare,
                             boolean sourceBound, double hostSpeedRatio, double meanRecentBottleneckRps) {
    }

    /**
     * Dependencies and their breakers.
     *
     * @param dependencies one entry per dependency (breakers grouped by the name before the colon).
     * @param circuits     every breaker.
     */
    public record Resilience(List<DependencyHealth> dependencies, List<CircuitHealth> circuits) {
        /** Compact constructor: keeps the lists immutable. */
        public Resilience {
            dependencies = List.copyOf(dependencies);
            circuits = List.copyOf(circuits);
        }

        /** @return names of the breakers not closed. */
        public List<String> openCircuits() {
            final List<String> open = new ArrayList<>();
            for (final CircuitHealth c : circuits) {
                if (c.isOpen()) {
                    open.add(c.name());
                }
            }
            return open;
        }

        /** @return real re-attempts in the last minute, all dependencies. */
        public long retriesLast1m() {
            long n = 0;
            for (final DependencyHealth d : dependencies) {
                n += d.retriesLast1m();
            }
            return n;
        }

        /** @return failed attempts in the last minute, all dependencies. */
        public long failuresLast1m() {
            long n = 0;
            for (final DependencyHealth d : dependencies) {
                n += d.failuresLast1m();
            }
            return n;
        }

        /** @return calls refused by open breakers in the last minute, all dependencies. */
        public long shortCircuitedLast1m() {
            long n = 0;
            for (final DependencyHealth d : dependencies) {
                n += d.shortCircuitedLast1m();
            }
            return n;
        }
    }

    /**
     * A cache's hit rates.
     *
     * @param hitRate         since start (NaN without lookups).
     * @param intervalHitRate over the interval (NaN without lookups).
     */
    public record CacheHealth(double hitRate, double intervalHitRate) {
    }

    /** Compact constructor: keeps collections immutable. */
    public HealthReport {
        reasons = List.copyOf(reasons);
        stages = List.copyOf(stages);
        stageMetrics = List.copyOf(stageMetrics);
        caches = Map.copyOf(caches);
    }

    /** @return the first reason (the root cause), or null when healthy. */
    public HealthReason firstReason() {
        return reasons.isEmpty() ? null : reasons.get(0);
    }

    /** @return the bottleneck stage's name, or null. */
    public String bottleneckStage() {
        return bottleneck == null ? null : bottleneck.name();
    }

    /** @return the bottleneck stage's capacity (records per second of its own time), 0 without one. */
    public double bottleneckRps() {
        return bottleneck == null ? 0 : bottleneck.capacityRps();
    }

    /** @return names of the breakers not closed. */
    public List<String> openCircuits() {
        return resilience.openCircuits();
    }

    /**
     * @param stageName a stage's name.
     * @return its figures, or null.
     */
    public StageHealth stage(final String stageName) {
        for (final StageHealth s : stages) {
            if (s.name().equals(stageName)) {
                return s;
            }
        }
        return null;
    }

    /** @return one line for people: status, bottleneck, open circuits and reasons. */
    public String summary() {
        final StringBuilder s = new StringBuilder().append(status);
        if (bottleneck != null) {
            s.append(" | bottleneck=").append(bottleneck.name()).append(" @ ")
                .append(Math.round(bottleneck.capacityRps())).append("rps");
        } else if (throughput.sourceBound()) {
            s.append(" | source-bound");
        }
        s.append(" | openCircuits=").append(openCircuits());
        for (final HealthReason r : reasons) {
            s.append(" | ").append(r.message());
        }
        return s.toString();
    }
}
