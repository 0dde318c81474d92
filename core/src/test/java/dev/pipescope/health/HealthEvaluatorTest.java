package dev.pipescope.health;

import dev.pipescope.pipeline.PipelineCounters;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules as a pure function: each test feeds figures report by report and reads the verdicts. */
class HealthEvaluatorTest {
    private static final HealthThresholds T = HealthThresholds.DEFAULTS;
    private static final PipelineCounters INTERVAL = new PipelineCounters(50, 51_200, 51_000, 3, 0, 0, 0);
    private static final MemoryHealth QUIET_MEMORY = new MemoryHealth(100_000_000, 200_000_000, 512_000_000,
        50_000_000, 50.0 / 512, 1, 2, 0.002, 1000, false, 0, Double.NaN);

    private static StageHealth stage(final String name, final double busy, final double capacity, final double baseline) {
        return stage(name, busy, capacity, baseline, 0);
    }

    private static StageHealth stage(final String name, final double busy, final double capacity, final double baseline,
        final double allocatedPerBatch) {
        return new StageHealth(name, 50, 51_200, 51_000, busy, capacity, baseline, allocatedPerBatch, 100, 150, 300,
            500, 800);
    }

    private static List<StageHealth> normal() {
        return List.of(stage("threshold", 0.15, 9e6, 9e6), stage("calibrate", 0.2, 5e6, 5e6),
            stage("normalize", 0.1, 2e7, 2e7), stage("feature", 0.15, 1e7, 1e7), stage("anomaly", 0.3, 3e6, 3.1e6));
    }

    private static DependencyHealth calibration(final List<String> open, final long outageMs, final long retries1m,
        final long retriesRecent) {
        return new DependencyHealth("calibration", 10, open, outageMs, retries1m, retriesRecent, retries1m, 0);
    }

    /** Feeds the same figures for several reports and returns the verdicts. */
    private static List<HealthEvaluator.Verdict> run(final int reports, final HealthEvaluator.Inputs in) {
        final List<HealthEvaluator.Verdict> verdicts = new ArrayList<>();
        HealthEvaluator.State state = HealthEvaluator.State.INITIAL;
        for (int i = 0; i < reports; i++) {
            final HealthEvaluator.Verdict v = HealthEvaluator.evaluate(in, state, T);
            verdicts.add(v);
            state = v.state();
        }
        return verdicts;
    }

    private static HealthEvaluator.Inputs inputs(final List<StageHealth> stages, final List<DependencyHealth> deps,
        final MemoryHealth memory) {
        return new HealthEvaluator.Inputs(stages, deps, INTERVAL, null, memory);
    }

    @Test
    void healthyWhenNothingIsWrongAndThenNoReasonIsGiven() {
        final HealthEvaluator.Verdict v = run(5, inputs(normal(), List.of(calibration(List.of(), 0, 3, 0)), QUIET_MEMORY)).get(4);
        assertEquals(HealthStatus.HEALTHY, v.status());
        assertTrue(v.reasons().isEmpty(), v.reasons().toString());
        assertEquals("anomaly", v.bottleneck().name(), "the bottleneck is the busiest stage");
    }

    @Test
    void anOpenCircuitIsTheFirstReasonBeforeTheDegradedRecordsItCauses() {
        final PipelineCounters degraded = new PipelineCounters(50, 51_200, 51_200, 0, 5_000, 0, 0);
        final HealthEvaluator.Verdict v = HealthEvaluator.evaluate(new HealthEvaluator.Inputs(normal(),
            List.of(calibration(List.of("calibration:S3"), 2_300, 20, 5)), degraded, null, QUIET_MEMORY),
            HealthEvaluator.State.INITIAL, T);
        assertEquals(HealthStatus.DEGRADED, v.status());
        assertEquals(HealthReason.CIRCUIT_OPEN, v.reasons().get(0).code());
        assertEquals("calibration:S3", v.reasons().get(0).subject());
        assertEquals("CIRCUIT_OPEN calibration:S3 open for 2.3 s", v.reasons().get(0).message());
        assertEquals(HealthReason.DEGRADED_RECORDS, v.reasons().get(1).code());
        assertEquals("calibration", v.reasons().get(1).subject(), "the effect names the failing dependency");
        assertEquals(HealthReason.BOTTLENECK, v.reasons().get(v.reasons().size() - 1).code(), "context comes last");
    }

    @Test
    void manyOpenCircuitsOfOneDependencyAreOneReason() {
        final List<String> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            all.add("calibration:S" + i);
        }
        final HealthEvaluator.Verdict v = run(1, inputs(normal(), List.of(calibration(all, 30_000, 300, 40)),
            QUIET_MEMORY)).get(0);
        final HealthReason first = v.reasons().get(0);
        assertEquals(HealthReason.CIRCUIT_OPEN, first.code());
        assertEquals("calibration", first.subject());
        assertTrue(first.message().startsWith("CIRCUIT_OPEN calibration: 10 of 10 circuits open for 30.0 s (S0, S1,"),
            first.message());
        assertEquals(1, v.reasons().stream().filter(r -> r.code().equals(HealthReason.CIRCUIT_OPEN)).count());
        assertEquals(HealthReason.RETRY_STORM, v.reasons().get(1).code(), "the storm follows the outage");
    }

    @Test
    void aRetryStormClearsAsSoonAsRetriesStop() {
        HealthEvaluator.State state = HealthEvaluator.State.INITIAL;
        HealthEvaluator.Verdict v = HealthEvaluator.evaluate(inputs(normal(),
            List.of(calibration(List.of(), 0, 120, 20)), QUIET_MEMORY), state, T);
        assertEquals(HealthReason.RETRY_STORM, v.reasons().get(0).code());
        state = v.state();
        v = HealthEvaluator.evaluate(inputs(normal(), List.of(calibration(List.of(), 0, 120, 0)), QUIET_MEMORY), state, T);
        assertEquals(HealthStatus.HEALTHY, v.status(), "120 retries in the minute but none in the quiet window: "
            + v.reasons());
    }

    @Test
    void aStalledStageIsNamedWithHowLongItHeldTheBatch() {
        final HealthEvaluator.Verdict v = HealthEvaluator.evaluate(new HealthEvaluator.Inputs(normal(), List.of(),
            PipelineCounters.ZERO, new HealthEvaluator.Stall("blocker", 8_000, 412), QUIET_MEMORY),
            HealthEvaluator.State.INITIAL, T);
        assertEquals(HealthStatus.UNHEALTHY, v.status());
        assertEquals(HealthReason.STALLED, v.reasons().get(0).code());
        assertEquals("blocker", v.reasons().get(0).subject());
        assertEquals("STALLED stage blocker has held batch 412 for 8.0 s (stall timeout 2.0 s)",
            v.reasons().get(0).message());
    }

    @Test
    void aBatchInFlightWithinTheTimeoutIsNoStall() {
        final HealthEvaluator.Verdict v = HealthEvaluator.evaluate(new HealthEvaluator.Inputs(normal(), List.of(),
            INTERVAL, new HealthEvaluator.Stall("anomaly", 3, 7), QUIET_MEMORY), HealthEvaluator.State.INITIAL, T);
        assertEquals(HealthStatus.HEALTHY, v.status());
    }

    @Test
    void aSlowStageIsNamedAfterPersistenceAndStaysNamedWhileItIsSlow() {
        final List<StageHealth> slow = new ArrayList<>(normal());
        slow.set(4, stage("anomaly", 0.9, 0.4e6, 3.1e6));
        final List<HealthEvaluator.Verdict> v = run(30, inputs(slow, List.of(), QUIET_MEMORY));
        assertEquals(HealthStatus.HEALTHY, v.get(0).status(), "one report is not yet a drop");
        for (int i = 1; i < v.size(); i++) {
            assertEquals(HealthReason.THROUGHPUT_DROP, v.get(i).reasons().get(0).code(), "report " + i);
            assertEquals("anomaly", v.get(i).reasons().get(0).subject());
        }
    }

    @Test
    void aDropLeavesOnlyAfterItsExitRatioHeldForPersistence() {
        final List<StageHealth> slow = new ArrayList<>(normal());
        slow.set(4, stage("anomaly", 0.9, 0.4e6, 3.1e6));
        final List<StageHealth> between = new ArrayList<>(normal());
        between.set(4, stage("anomaly", 0.5, 2.0e6, 3.1e6)); // 65%: above enter, below exit
        HealthEvaluator.State state = run(3, inputs(slow, List.of(), QUIET_MEMORY)).get(2).state();
        for (int i = 0; i < 5; i++) {
            final HealthEvaluator.Verdict v = HealthEvaluator.evaluate(inputs(between, List.of(), QUIET_MEMORY), state, T);
            assertEquals(HealthStatus.DEGRADED, v.status(), "hysteresis: between the lines the drop stays");
            state = v.state();
        }
        HealthEvaluator.Verdict v = HealthEvaluator.evaluate(inputs(normal(), List.of(), QUIET_MEMORY), state, T);
        assertEquals(HealthStatus.DEGRADED, v.status(), "one good report is not yet recovery");
        v = HealthEvaluator.evaluate(inputs(normal(), List.of(), QUIET_MEMORY), v.state(), T);
        assertEquals(HealthStatus.HEALTHY, v.status());
    }

    @Test
    void aDropOfAnAlmostIdleStageIsNoFinding() {
        final List<StageHealth> stages = new ArrayList<>(normal());
        stages.set(2, stage("normalize", 0.01, 0.5e7, 2e7)); // a cold cache at 1% busy
        assertEquals(HealthStatus.HEALTHY, run(10, inputs(stages, List.of(), QUIET_MEMORY)).get(9).status());
    }

    @Test
    void theWholeHostSlowingIsContextNotADegradedStage() {
        final List<StageHealth> slowHost = List.of(stage("threshold", 0.2, 4e6, 9e6), stage("calibrate", 0.25, 2.2e6, 5e6),
            stage("normalize", 0.1, 0.9e7, 2e7), stage("feature", 0.2, 0.45e7, 1e7), stage("anomaly", 0.3, 1.4e6, 3.1e6));
        final HealthEvaluator.Verdict v = run(5, inputs(slowHost, List.of(), QUIET_MEMORY)).get(4);
        assertEquals(HealthStatus.HEALTHY, v.status(), v.reasons().toString());
        assertEquals(1, v.reasons().size());
        assertEquals(HealthReason.HOST_SLOWDOWN, v.reasons().get(0).code());
        assertTrue(v.hostSpeedRatio() < 0.5);
    }

    @Test
    void oneStageSlowerThanTheSlowHostIsStillNamed() {
        final List<StageHealth> stages = List.of(stage("threshold", 0.2, 4e6, 9e6), stage("calibrate", 0.25, 2.2e6, 5e6),
            stage("normalize", 0.1, 0.9e7, 2e7), stage("feature", 0.2, 0.45e7, 1e7), stage("anomaly", 0.6, 0.3e6, 3.1e6));
        final HealthEvaluator.Verdict v = run(3, inputs(stages, List.of(), QUIET_MEMORY)).get(2);
        assertEquals(HealthReason.THROUGHPUT_DROP, v.reasons().get(0).code());
        assertEquals("anomaly", v.reasons().get(0).subject());
    }

    @Test
    void aSourceBoundPipelineNamesNoBottleneck() {
        final List<StageHealth> idle = List.of(stage("threshold", 0.01, 9e6, 9e6), stage("anomaly", 0.02, 3e6, 3e6));
        final HealthEvaluator.Verdict v = HealthEvaluator.evaluate(new HealthEvaluator.Inputs(idle,
            List.of(calibration(List.of("calibration:S1"), 500, 0, 0)), INTERVAL, null, QUIET_MEMORY),
            HealthEvaluator.State.INITIAL, T);
        assertTrue(v.sourceBound());
        assertNull(v.bottleneck());
        assertEquals(HealthReason.SOURCE_BOUND, v.reasons().get(v.reasons().size() - 1).code());
        assertFalse(v.reasons().stream().anyMatch(r -> r.code().equals(HealthReason.BOTTLENECK)));
    }

    @Test
    void aGrowingLiveSetNamesTheAllocatingStageAndNearTheLimitIsUnhealthy() {
        final List<StageHealth> stages = new ArrayList<>(normal());
        stages.add(stage("leaky", 0.05, 1e7, 1e7, 300_000));
        final MemoryHealth growing = new MemoryHealth(300_000_000, 400_000_000, 512_000_000, 250_000_000,
            250.0 / 512, 3, 20, 0.02, 3e7, true, 2e6, 131);
        HealthEvaluator.Verdict v = run(1, inputs(stages, List.of(), growing)).get(0);
        assertEquals(HealthReason.HEAP_GROWING, v.reasons().get(0).code());
        assertEquals("leaky", v.reasons().get(0).subject());
        final MemoryHealth nearFull = new MemoryHealth(500_000_000, 512_000_000, 512_000_000, 470_000_000,
            470.0 / 512, 9, 300, 0.3, 3e7, true, 2e6, 21);
        v = run(1, inputs(stages, List.of(), nearFull)).get(0);
        assertEquals(HealthStatus.UNHEALTHY, v.status());
        assertEquals(HealthReason.HEAP_EXHAUSTION, v.reasons().get(0).code());
        assertEquals("leaky", v.reasons().get(0).subject());
    }

    @Test
    void aStageAllocatingEveryBatchIsAFindingOfItsOwnAndGcPressureNamesIt() {
        final List<StageHealth> stages = new ArrayList<>(normal());
        stages.add(stage("hog", 0.3, 1e6, 1e6, 20_000_000));
        final MemoryHealth busyGc = new MemoryHealth(300_000_000, 400_000_000, 512_000_000, 40_000_000,
            40.0 / 512, 40, 300, 0.3, 2e9, false, 0, Double.NaN);
        final List<HealthEvaluator.Verdict> v = run(3, inputs(stages, List.of(), busyGc));
        assertEquals(HealthStatus.HEALTHY, v.get(0).status(), "persistence: one report is not enough");
        final List<HealthReason> r = v.get(2).reasons();
        assertEquals(HealthReason.STAGE_ALLOCATING, r.get(0).code());
        assertEquals("hog", r.get(0).subject());
        assertEquals(HealthReason.GC_PRESSURE, r.get(1).code());
        assertTrue(r.get(1).message().contains("hog allocates 20.0 MB per batch"), r.get(1).message());
    }

    @Test
    void gcShareBetweenItsExitAndEnterLinesDoesNotFlap() {
        final MemoryHealth high = new MemoryHealth(1, 1, 512_000_000, 40_000_000, 0.08, 9, 250, 0.25, 1e9, false, 0,
            Double.NaN);
        final MemoryHealth hovering = new MemoryHealth(1, 1, 512_000_000, 40_000_000, 0.08, 9, 150, 0.15, 1e9, false,
            0, Double.NaN);
        HealthEvaluator.State state = run(2, inputs(normal(), List.of(), high)).get(1).state();
        for (int i = 0; i < 10; i++) {
            final HealthEvaluator.Verdict v = HealthEvaluator.evaluate(inputs(normal(), List.of(),
                i % 2 == 0 ? hovering : high), state, T);
            assertEquals(HealthStatus.DEGRADED, v.status(), "report " + i);
            state = v.state();
        }
    }

    @Test
    void mostRecordsInvalidIsUnhealthy() {
        final PipelineCounters invalid = new PipelineCounters(50, 1000, 1000, 0, 0, 800, 0);
        final List<HealthEvaluator.Verdict> v = run(2, new HealthEvaluator.Inputs(normal(), List.of(), invalid, null,
            QUIET_MEMORY));
        assertEquals(HealthStatus.UNHEALTHY, v.get(1).status());
        assertEquals(HealthReason.RECORDS_FAILING, v.get(1).reasons().get(0).code());
    }

    @Test
    void anIntervalWithoutDataKeepsAFindingInForce() {
        final List<StageHealth> slow = new ArrayList<>(normal());
        slow.set(4, stage("anomaly", 0.9, 0.4e6, 3.1e6));
        final HealthEvaluator.State state = run(3, inputs(slow, List.of(), QUIET_MEMORY)).get(2).state();
        final List<StageHealth> none = new ArrayList<>();
        for (final StageHealth s : normal()) {
            none.add(new StageHealth(s.name(), 0, 0, 0, 0, 0, s.baselineRps(), 0, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN));
        }
        final HealthEvaluator.Verdict v = HealthEvaluator.evaluate(new HealthEvaluator.Inputs(none, List.of(),
            PipelineCounters.ZERO, null, QUIET_MEMORY), state, T);
        assertEquals(HealthStatus.DEGRADED, v.status(), "a quiet second does not clear a drop");
    }
}
