package dev.pipescope.http;

import dev.pipescope.health.HealthReport;
import dev.pipescope.health.HealthStatus;
import dev.pipescope.health.MemoryHealth;
import dev.pipescope.metrics.StageMetricsSnapshot;
import dev.pipescope.pipeline.PipelineCounters;

import java.util.List;
import java.util.Map;

/** Health reports made by hand around one stage's metrics snapshot. */
final class HistogramReports {
    private static long sequence;

    private HistogramReports() {
    }

    static HealthReport report(final StageMetricsSnapshot stage) {
        return new HealthReport(0, ++sequence, HealthStatus.HEALTHY, List.of(),
            new HealthReport.Throughput(1, 1, 0, 0, false, Double.NaN, 0), null, List.of(), List.of(stage),
            PipelineCounters.ZERO, new HealthReport.Resilience(List.of(), List.of()), Map.of(), MemoryHealth.UNKNOWN);
    }
}
