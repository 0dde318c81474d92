package dev.pipescope.health;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HealthEvaluatorTest {
    private static final HealthThresholds T = HealthThresholds.DEFAULTS;

    private static StageHealth stage(final String name, final double busy, final double rps, final double recent) {
        return new StageHealth(name, 50, 51_200, 51_000, busy, rps, recent, 100, 150, 300, 500, 800);
    }

    private static HealthEvaluator.Inputs inputs(final List<StageHealth> stages, final List<CircuitHealth> circuits,
        final long retries, final long in, final long degraded, final long failing, final long inFlight,
        final MemoryHealth memory) {
        return new HealthEvaluator.Inputs(stages, circuits, retries, in, degraded, failing, inFlight, memory);
    }

    private static final List<StageHealth> NORMAL = List.of(stage("threshold", 0.10, 9e6, 9e6),
        stage("anomaly", 0.30, 3e6, 3.1e6));

    @Test
    void healthyWhenNothingIsWrongAndThenNoReasonIsGiven() {
        final HealthEvaluator.Verdict v = HealthEvaluator.evaluate(
            inputs(NORMAL, List.of(new CircuitHealth("calibration:S3", "CLOSED", 10_000, 0)), 10, 51_200, 0, 0, 0,
                MemoryHealth.UNKNOWN), T);
        assertEquals(HealthStatus.HEALTHY, v.status());
        assertTrue(v.reasons().isEmpty(), v.reasons().toString());
        assertEquals("anomaly", v.bottleneck().name(), "bottleneck is judged by busy share");
    }

    @Test
    void openCircuitDegradesAndNamesTheCircuitWithItsOpenTime() {
        final HealthEvaluator.Verdict v = HealthEvaluator.evaluate(
            inputs(NORMAL, List.of(new CircuitHealth("calibration:S3", "OPEN", 4_200, 1),
                new CircuitHealth("calibration:S4", "CLOSED", 1, 0)), 0, 51_200, 0, 0, 0, MemoryHealth.UNKNOWN), T);
        assertEquals(HealthStatus.DEGRADED, v.status());
        assertEquals("CIRCUIT_OPEN calibration:S3 open for 4.2 s", v.reasons().get(0).message());
        assertEquals(HealthReason.BOTTLENECK, v.reasons().get(1).code());
        assertEquals("BOTTLENECK anomaly p99 300 us, 30% busy", v.reasons().get(1).message());
        assertEquals(2, v.reasons().size());
    }

    @Test
    void halfOpenCircuitIsStillReported() {
        final HealthEvaluator.Verdict v = HealthEvaluator.evaluate(inputs(NORMAL,
            List.of(new CircuitHealth("calibration:S3", "HALF_OPEN", 10, 1)), 0, 0, 0, 0, 0, MemoryHealth.UNKNOWN), T);
        assertEquals(HealthStatus.DEGRADED, v.status());
        assertTrue(v.reasons().get(0).message().contains("half-open"));
    }

    @Test
    void retryStormOnlyAboveTheThreshold() {
        assertEquals(HealthStatus.HEALTHY, HealthEvaluator.evaluate(
            inputs(NORMAL, List.of(), 50, 0, 0, 0, 0, MemoryHealth.UNKNOWN), T).status());
        final HealthEvaluator.Verdict v = HealthEvaluator.evaluate(
            inputs(NORMAL, List.of(), 51, 0, 0, 0, 0, MemoryHealth.UNKNOWN), T);
        assertEquals(HealthStatus.DEGRADED, v.status());
        assertEquals("RETRY_STORM 51 retries in the last minute (limit 50)", v.reasons().get(0).message());
    }

    @Test
    void gcPressureAndGrowingHeapDegrade() {
        final MemoryHealth gc = new MemoryHealth(100, 200, 50, 12, 300, 0.30, 1e6, false, 0);
        HealthEvaluator.Verdict v = HealthEvaluator.evaluate(inputs(NORMAL, List.of(), 0, 0, 0, 0, 0, gc), T);
        assertEquals(HealthStatus.DEGRADED, v.status());
        assertEquals(HealthReason.GC_PRESSURE, v.reasons().get(0).code());
        assertTrue(v.reasons().get(0).message().contains("30%"));

        final MemoryHealth leak = new MemoryHealth(100, 200, 80_000_000, 1, 5, 0.01, 1e6, true, 200_000);
        v = HealthEvaluator.evaluate(inputs(NORMAL, List.of(), 0, 0, 0, 0, 0, leak), T);
        assertEquals(HealthStatus.DEGRADED, v.status());
        assertEquals("HEAP_GROWING heap after GC growing by 12.0 MB/min (now 80.0 MB)", v.reasons().get(0).message());
    }

    @Test
    void stageFarBelowItsRecentThroughputDegradesAndIsTheBottleneck() {
        final List<StageHealth> slow = List.of(stage("threshold", 0.05, 9e6, 9e6), stage("anomaly", 0.70, 1e6, 3e6));
        final HealthEvaluator.Verdict v = HealthEvaluator.evaluate(
            inputs(slow, List.of(), 0, 0, 0, 0, 0, MemoryHealth.UNKNOWN), T);
        assertEquals(HealthStatus.DEGRADED, v.status());
        assertEquals(HealthReason.THROUGHPUT_DROP, v.reasons().get(0).code());
        assertEquals("anomaly", v.reasons().get(0).subject());
        assertEquals("anomaly", v.bottleneck().name());
    }

    @Test
    void aDropNeedsEnoughBatchesToBeJudged() {
        final StageHealth fewBatches = new StageHealth("anomaly", 2, 2048, 2048, 0.7, 1e6, 3e6, 1, 1, 1, 1, 1);
        assertEquals(HealthStatus.HEALTHY, HealthEvaluator.evaluate(
            inputs(List.of(fewBatches), List.of(), 0, 0, 0, 0, 0, MemoryHealth.UNKNOWN), T).status());
    }

    @Test
    void stalledPipelineIsUnhealthy() {
        final HealthEvaluator.Verdict v = HealthEvaluator.evaluate(
            inputs(NORMAL, List.of(), 0, 0, 0, 0, 6_000, MemoryHealth.UNKNOWN), T);
        assertEquals(HealthStatus.UNHEALTHY, v.status());
        assertEquals(HealthReason.STALLED, v.reasons().get(0).code());
        assertEquals(HealthStatus.HEALTHY, HealthEvaluator.evaluate(
            inputs(NORMAL, List.of(), 0, 0, 0, 0, 5_000, MemoryHealth.UNKNOWN), T).status(), "at the timeout, not past it");
    }

    @Test
    void mostRecordsFailingIsUnhealthyAndSomeDegradedIsDegraded() {
        HealthEvaluator.Verdict v = HealthEvaluator.evaluate(
            inputs(NORMAL, List.of(), 0, 1000, 600, 600, 0, MemoryHealth.UNKNOWN), T);
        assertEquals(HealthStatus.UNHEALTHY, v.status());
        assertEquals(HealthReason.RECORDS_FAILING, v.reasons().get(0).code());

        v = HealthEvaluator.evaluate(inputs(NORMAL, List.of(), 0, 1000, 100, 0, 0, MemoryHealth.UNKNOWN), T);
        assertEquals(HealthStatus.DEGRADED, v.status());
        assertEquals(HealthReason.DEGRADED_RECORDS, v.reasons().get(0).code());

        v = HealthEvaluator.evaluate(inputs(NORMAL, List.of(), 0, 1000, 10, 0, 0, MemoryHealth.UNKNOWN), T);
        assertEquals(HealthStatus.HEALTHY, v.status(), "1% is the limit, not past it");
    }

    @Test
    void noStageDataMeansNoBottleneck() {
        final StageHealth idle = new StageHealth("anomaly", 0, 0, 0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN);
        final HealthEvaluator.Verdict v = HealthEvaluator.evaluate(
            inputs(List.of(idle), List.of(), 0, 0, 0, 0, 0, MemoryHealth.UNKNOWN), T);
        assertNull(v.bottleneck());
        assertEquals(HealthStatus.HEALTHY, v.status());
    }

    @Test
    void statusOrderingPicksTheWorst() {
        assertEquals(HealthStatus.UNHEALTHY, HealthStatus.DEGRADED.worst(HealthStatus.UNHEALTHY));
        assertEquals(HealthStatus.DEGRADED, HealthStatus.DEGRADED.worst(HealthStatus.HEALTHY));
    }
}
