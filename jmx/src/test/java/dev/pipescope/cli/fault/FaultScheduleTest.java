package dev.pipescope.cli.fault;

import dev.pipescope.Pipescope;
import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.calibration.Calibration;
import dev.pipescope.calibration.CalibrationService;
import dev.pipescope.calibration.SimulatedCalibrationService;
import dev.pipescope.health.HealthReport;
import dev.pipescope.health.StageHealth;
import dev.pipescope.pipeline.BatchObserver;
import dev.pipescope.pipeline.PipelineDefinition;
import dev.pipescope.resilience.CircuitBreaker;
import dev.pipescope.source.SimulatedSensorSource;
import dev.pipescope.stage.ConfiguredStage;
import dev.pipescope.stage.Stage;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultScheduleTest {
    private static final PipelineDefinition STAGES = PipelineDefinition.defaults();
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void parsesBothKindsAndWritesThemBackAsTheOptionTakesThem() {
        assertEquals(new Fault(Fault.Kind.CALIBRATION, "S3", 0, 200, 600), Fault.parse("calibration:S3@200-600"));
        assertEquals(new Fault(Fault.Kind.SLOW, "anomaly", MS, 400, 800), Fault.parse("slow:anomaly@400-800"));
        assertEquals(new Fault(Fault.Kind.SLOW, "anomaly", 5 * MS, 1, 1), Fault.parse(" slow:anomaly=5ms@1-1 "));
        assertEquals(250_000, Fault.parse("slow:x=250us@1-2").delayNanos());
        assertEquals("slow:anomaly=1000us@400-800", Fault.parse("slow:anomaly@400-800").toString());
        assertEquals("calibration:S3@200-600", Fault.parse("calibration:S3@200-600").toString());
        assertEquals(Fault.parse("slow:anomaly=1000us@400-800"), Fault.parse(Fault.parse("slow:anomaly@400-800").toString()));
        assertTrue(Fault.parse("calibration:S3@2-3").activeIn(2));
        assertTrue(Fault.parse("calibration:S3@2-3").activeIn(3));
        assertFalse(Fault.parse("calibration:S3@2-3").activeIn(1));
        assertFalse(Fault.parse("calibration:S3@2-3").activeIn(4));
    }

    @Test
    void malformedFaultsSayWhatIsExpected() {
        for (final String bad : List.of("nonsense", "slow:anomaly", "slow:anomaly@5", "slow:anomaly=5s@1-2",
            "outage:S3@1-2", "calibration:@1-2", "slow:anomaly@99999999999999999999-1")) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fault.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("fault '" + bad + "' must be calibration:SENSOR@FIRST-LAST"
                + " or slow:STAGE[=DELAYms]@FIRST-LAST"), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Fault.parse("calibration:S3=5ms@1-2"))
            .getMessage().contains("a calibration fault takes no delay"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Fault.parse("slow:anomaly@5-4"))
            .getMessage().contains("1 <= FIRST <= LAST"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Fault.parse("slow:anomaly@0-4"))
            .getMessage().contains("1 <= FIRST <= LAST"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Fault.parse("slow:anomaly=20000ms@1-4"))
            .getMessage().contains("between 0 and 10 s"));
    }

    @Test
    void aSlowFaultOnAStageThePipelineLacksIsRefusedNamingTheStages() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FaultSchedule(
            Fault.parseAll(List.of("slow:smooth@1-2")), STAGES, new SensorRegistry(16), new SystemNanoClock()));
        assertEquals("fault slow:smooth=1000us@1-2: the pipeline has no stage 'smooth'; stages: threshold, calibrate,"
            + " normalize, feature, adaptive", e.getMessage());
    }

    @Test
    void aCalibrationFaultFailsOnlyItsSensorOnlyWhileItLasts() {
        final SensorRegistry registry = new SensorRegistry(16);
        final SimulatedSensorSource source = new SimulatedSensorSource(registry, 5, 1, 0, new SystemEpochClock());
        final int s3 = registry.find("S3");
        final FaultSchedule schedule = new FaultSchedule(Fault.parseAll(List.of("calibration:S3@2-3",
            "calibration:S7@3-3")), STAGES, registry, new SystemNanoClock());
        final CalibrationService service = schedule.calibration(new SimulatedCalibrationService(16));
        final Calibration c = new Calibration();
        assertEquals("calibration", service.dependencyName());

        schedule.beforeBatch(1);
        assertEquals(s3, registry.find("S3"), "the source's sensor keeps its id");
        final int s7 = registry.find("S7");
        assertEquals(5, s7, "a sensor only a fault names is registered after the source's own");
        assertTrue(service.fetch(s3, c));
        assertEquals(SimulatedCalibrationService.gainOf(s3), c.gain());
        schedule.beforeBatch(2);
        assertFalse(service.fetch(s3, c));
        assertTrue(service.fetch(registry.find("S2"), c));
        assertTrue(service.fetch(s7, c));
        schedule.beforeBatch(3);
        assertFalse(service.fetch(s3, c));
        assertFalse(service.fetch(s7, c));
        schedule.beforeBatch(4);
        assertTrue(service.fetch(s3, c));
        assertTrue(service.fetch(s7, c));
        assertTrue(source.rejected() == 0);
    }

    @Test
    void stagesWithoutASlowFaultRunUnwrapped() {
        final FaultSchedule schedule = new FaultSchedule(Fault.parseAll(List.of("slow:adaptive@1-2")), STAGES,
            new SensorRegistry(16), new SystemNanoClock());
        try (Pipescope scope = Pipescope.builder("wrapping").stages(STAGES)
            .service(CalibrationService.class, new SimulatedCalibrationService(4096))
            .decorateStages(schedule.stageDecorator()).flightRecorder(false).build()) {
            for (final ConfiguredStage s : scope.pipeline().stages()) {
                final Stage processor = schedule.stageDecorator().decorate(s);
                if ("adaptive".equals(s.name())) {
                    assertTrue(processor instanceof SlowStage, s.name());
                } else {
                    assertSame(s.stage(), processor, s.name() + " runs as it is");
                }
            }
        }
    }

    /**
     * The delay is spent inside the slow stage's own timing: the pipeline times it as that stage's batch,
     * only in the fault's batches, overlapping faults add up, and the dashboard's report names the stage.
     * Every faulted batch is at least as slow as its delay (the wait is a busy wait); "no delay" is judged on
     * medians, so a preempted thread on a shared machine does not fail the test.
     */
    @Test
    void aSlowFaultShowsAsTheSlowStagesLatencyInItsBatchesOnly() {
        final SensorRegistry registry = new SensorRegistry(64);
        final SimulatedSensorSource source = new SimulatedSensorSource(registry, 10, 3, 0.005, new SystemEpochClock());
        final FaultSchedule schedule = new FaultSchedule(Fault.parseAll(List.of("slow:normalize=4ms@301-330",
            "slow:normalize=2ms@321-350")), STAGES, registry, new SystemNanoClock());
        final int warmup = 300;
        final int batches = 400;
        final long[][] nanos = new long[batches + 1][STAGES.stages().size()];
        try (Pipescope scope = Pipescope.builder("slow").registry(registry).stages(STAGES)
            .service(CalibrationService.class, schedule.calibration(new SimulatedCalibrationService(64)))
            .decorateStages(schedule.stageDecorator()).flightRecorder(false).build()) {
            scope.pipeline().addObserver(new BatchObserver() {
                @Override
                public void stageCompleted(final long batchNumber, final int stageIndex, final ConfiguredStage stage,
                    final int recordsIn, final int recordsOut, final long stageNanos) {
                    nanos[(int) batchNumber][stageIndex] = stageNanos;
                }
            });
            final RecordBatch batch = new RecordBatch(256);
            for (long b = 1; b <= batches; b++) {
                if (b == warmup + 1) {
                    scope.reportNow(); // the next report's interval holds the faults' batches and the calm after
                }
                source.fill(batch);
                schedule.beforeBatch(b);
                scope.process(batch);
            }
            final int normalize = scope.pipeline().indexOf("normalize");
            for (int b = 301; b <= 350; b++) {
                final long delay = b <= 320 ? 4 * MS : b <= 330 ? 6 * MS : 2 * MS;
                assertTrue(nanos[b][normalize] >= delay, "batch " + b + ": " + nanos[b][normalize] + " ns in normalize,"
                    + " expected at least " + delay);
            }
            assertTrue(median(nanos, normalize, 351, 400) < MS / 2, "no delay after the faults: "
                + median(nanos, normalize, 351, 400) + " ns");
            for (int s = 0; s < nanos[0].length; s++) {
                if (s != normalize) {
                    assertTrue(median(nanos, s, 301, 350) < MS / 2, "stage " + s + " is not slowed: "
                        + median(nanos, s, 301, 350) + " ns");
                }
            }
            assertTrue(scope.stageTotals("normalize").busyNanos() >= (20 * 4 + 10 * 6 + 20 * 2) * MS,
                "the stage's busy time holds the delays");

            final HealthReport report = scope.reportNow();
            final StageHealth slow = report.stage("normalize");
            assertEquals(100, slow.batches());
            assertTrue(slow.maxMicros() >= 6000, "the stage's latency holds the longest delay: " + slow);
            assertTrue(slow.p90Micros() >= 2000, "more than a tenth of its batches were slowed: " + slow);
            assertEquals("normalize", report.bottleneckStage(), report.summary());
        }
    }

    private static long median(final long[][] nanos, final int stage, final int from, final int to) {
        final long[] values = new long[to - from + 1];
        for (int b = from; b <= to; b++) {
            values[b - from] = nanos[b][stage];
        }
        java.util.Arrays.sort(values);
        return values[values.length / 2];
    }

    /** End to end through the calibrate stage: the faulted sensor's breaker opens, its records pass degraded. */
    @Test
    void aCalibrationFaultOpensThatSensorsCircuitAndDegradesItsRecords() {
        final SensorRegistry registry = new SensorRegistry(64);
        final SimulatedSensorSource source = new SimulatedSensorSource(registry, 10, 3, 0, new SystemEpochClock());
        final FaultSchedule schedule = new FaultSchedule(Fault.parseAll(List.of("calibration:S3@5-30")),
            PipelineDefinition.parse("calibrate cacheTtlMs=0\n", "test"), registry, new SystemNanoClock());
        try (Pipescope scope = Pipescope.builder("outage").registry(registry)
            .stages(PipelineDefinition.parse("calibrate cacheTtlMs=0\n", "test"))
            .service(CalibrationService.class, schedule.calibration(new SimulatedCalibrationService(64)))
            .decorateStages(schedule.stageDecorator()).flightRecorder(false).build()) {
            final RecordBatch batch = new RecordBatch(100);
            for (long b = 1; b <= 30; b++) {
                source.fill(batch);
                schedule.beforeBatch(b);
                scope.process(batch);
                if (b == 4) {
                    assertEquals(0, scope.pipeline().counters().degraded(), "no fault yet");
                }
            }
            final CircuitBreaker s3 = scope.pipeline().context().circuitBreakers().find("calibration:S3");
            assertTrue(s3.transitionCount(CircuitBreaker.State.OPEN) > 0, "the S3 breaker opened");
            assertEquals(CircuitBreaker.State.CLOSED,
                scope.pipeline().context().circuitBreakers().find("calibration:S2").state());
            assertTrue(scope.pipeline().counters().degraded() > 0);
            assertTrue(scope.pipeline().counters().degraded() < 0.25 * scope.pipeline().counters().recordsIn(),
                "S3's records only: " + scope.pipeline().counters());
        }
    }
}
