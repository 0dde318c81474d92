package dev.pipescope.health;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.calibration.SimulatedCalibrationService;
import dev.pipescope.pipeline.FaultSchedule;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.PipelineDefinition;
import dev.pipescope.source.SimulatedSensorSource;
import dev.pipescope.stage.StageCatalog;
import dev.pipescope.stage.StageContext;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HealthDashboardTest {
    private static final long MS = 1_000_000L;

    /** A pipeline on a controllable clock: each batch advances time by 5 ms, as --rate 200 would. */
    private static final class Fixture {
        final CachedNanoClock nanoClock = new CachedNanoClock();
        final CachedEpochClock epochClock = new CachedEpochClock();
        final SensorRegistry registry = new SensorRegistry(64);
        final SimulatedCalibrationService service = new SimulatedCalibrationService(64);
        final Pipeline pipeline;
        final SimulatedSensorSource source;
        final RecordBatch batch = new RecordBatch(256);

        Fixture() {
            nanoClock.update(TimeUnit.SECONDS.toNanos(100));
            epochClock.update(1_795_000_000_000L);
            final StageContext context = new StageContext("test", registry, nanoClock, epochClock, service, nanos -> {
                nanoClock.advance(nanos);
            });
            source = new SimulatedSensorSource(registry, 10, 1, 0.005, epochClock);
            pipeline = Pipeline.assemble("test", PipelineDefinition.defaults(), StageCatalog.discover(), context);
        }

        void batch() {
            nanoClock.advance(5 * MS);
            epochClock.advance(5);
            source.fill(batch);
            pipeline.process(batch);
        }
    }

    @Test
    void circuitFaultShowsDegradedWithTheOpenCircuitThenHealthyAgain() {
        final Fixture f = new Fixture();
        final FaultSchedule faults = new FaultSchedule(List.of(FaultSchedule.parse("calibration:S3@200-600")),
            f.pipeline, f.registry, f.service);
        final HealthDashboard dashboard = new HealthDashboard(f.pipeline, TimeUnit.SECONDS.toNanos(1));
        final List<HealthStatus[]> changes = new ArrayList<>();
        dashboard.addListener(new HealthListener() {
            @Override
            public void onStatusChange(final HealthStatus from, final HealthStatus to, final HealthReport report) {
                changes.add(new HealthStatus[] {from, to});
            }
        });
        final List<HealthReport> reports = new ArrayList<>();
        for (long b = 1; b <= 1400; b++) {
            faults.beforeBatch(b);
            f.batch();
            if (b % 50 == 0) {
                reports.add(dashboard.report());
            }
        }
        for (final HealthReport r : reports.subList(0, 3)) {
            assertEquals(HealthStatus.HEALTHY, r.status(), "before the fault (batch " + r.batchCount() + "): " + r.summary());
            assertTrue(r.openCircuits().isEmpty());
        }
        final HealthReport during = reports.get(6); // batch 350
        assertEquals(HealthStatus.DEGRADED, during.status(), during.summary());
        assertEquals(List.of("calibration:S3"), during.openCircuits());
        assertTrue(during.reasons().stream().anyMatch(r -> r.code().equals(HealthReason.CIRCUIT_OPEN)
            && r.message().startsWith("CIRCUIT_OPEN calibration:S3 open for ")), during.summary());
        assertTrue(during.retriesLast1m() > 0, "retries are counted in the window");
        assertTrue(during.retriesLast5m() >= during.retriesLast1m());
        assertTrue(during.shortCircuitedLast1m() > 0, "the open circuit refused calls");

        final HealthReport last = reports.get(reports.size() - 1);
        assertEquals(HealthStatus.HEALTHY, last.status(), last.summary());
        assertTrue(last.openCircuits().isEmpty());
        assertEquals(1400, last.batchCount());
        assertTrue(last.cacheHitRates().get("calibration") > 0.9);
        assertTrue(last.totalAlerts() > 0);

        assertEquals(HealthStatus.HEALTHY, changes.get(0)[0]);
        assertEquals(HealthStatus.DEGRADED, changes.get(0)[1]);
        assertEquals(HealthStatus.HEALTHY, changes.get(changes.size() - 1)[1]);
        final var s3 = f.pipeline.context().circuitBreakers().find("calibration:S3");
        assertTrue(s3.transitionCount(dev.pipescope.resilience.CircuitBreaker.State.OPEN) >= 1);
        assertTrue(s3.transitionCount(dev.pipescope.resilience.CircuitBreaker.State.HALF_OPEN) >= 1);
        assertTrue(s3.transitionCount(dev.pipescope.resilience.CircuitBreaker.State.CLOSED) >= 1);
    }

    @Test
    void slowStageIsTheBottleneckWhileTheFaultLasts() {
        final SensorRegistry registry = new SensorRegistry(64);
        final SimulatedCalibrationService service = new SimulatedCalibrationService(64);
        final StageContext context = StageContext.system("slow", registry, service);
        try (Pipeline pipeline = Pipeline.assemble("slow", PipelineDefinition.defaults(), StageCatalog.discover(), context)) {
            final SimulatedSensorSource source = new SimulatedSensorSource(registry, 10, 3, 0.005, new SystemEpochClock());
            final FaultSchedule faults = new FaultSchedule(List.of(FaultSchedule.parse("slow:anomaly@201-300")),
                pipeline, registry, service);
            final HealthDashboard dashboard = new HealthDashboard(pipeline, TimeUnit.SECONDS.toNanos(1));
            final RecordBatch batch = new RecordBatch(256);
            for (long b = 1; b <= 300; b++) {
                faults.beforeBatch(b);
                source.fill(batch);
                pipeline.process(batch);
                if (b == 200) {
                    dashboard.report();
                }
            }
            final HealthReport during = dashboard.report();
            assertEquals("anomaly", during.bottleneckStage(), during.summary());
            assertTrue(during.bottleneck().p50Micros() >= 1000, "the injected millisecond shows in its latency");
            assertTrue(during.bottleneck().busyShare() > 0.5, during.summary());
        }
    }

    @Test
    void intervalWithoutBatchesReportsNoStageDataAndNoBottleneck() {
        final Fixture f = new Fixture();
        final HealthDashboard dashboard = new HealthDashboard(f.pipeline, TimeUnit.SECONDS.toNanos(1));
        f.batch();
        dashboard.report();
        f.nanoClock.advance(1000 * MS);
        final HealthReport idle = dashboard.report();
        assertEquals(0, idle.intervalBatches());
        assertNull(idle.bottleneckStage());
        for (final StageHealth s : idle.stages()) {
            assertFalse(s.hasData());
            assertTrue(Double.isNaN(s.p99Micros()), "no stale percentiles");
        }
    }

    @Test
    void readersOnOtherThreadsNeverSeeImpossibleValues() throws Exception {
        final SensorRegistry registry = new SensorRegistry(64);
        final StageContext context = StageContext.system("concurrent", registry, new SimulatedCalibrationService(64));
        try (Pipeline pipeline = Pipeline.assemble("concurrent", PipelineDefinition.defaults(), StageCatalog.discover(),
            context); HealthDashboard dashboard = new HealthDashboard(pipeline, TimeUnit.MILLISECONDS.toNanos(10))) {
            final SimulatedSensorSource source = new SimulatedSensorSource(registry, 10, 5, 0.01, new SystemEpochClock());
            final RecordBatch batch = new RecordBatch(512);
            source.fill(batch);
            pipeline.process(batch);
            dashboard.start();
            final AtomicReference<String> problem = new AtomicReference<>();
            final CopyOnWriteArrayList<Long> seen = new CopyOnWriteArrayList<>();
            final Thread reader = new Thread(() -> {
                long lastBatches = -1;
                HealthReport lastReport = null;
                while (!Thread.currentThread().isInterrupted() && problem.get() == null) {
                    final long in = pipeline.recordsIn();
                    final long out = pipeline.recordsOut();
                    final long batches = pipeline.batches();
                    if (batches < lastBatches) {
                        problem.set("batches went down: " + lastBatches + " -> " + batches);
                    }
                    lastBatches = batches;
                    for (int i = 0; i < pipeline.stages().size(); i++) {
                        final var totals = pipeline.metrics(i).totals();
                        if (totals.recordsOut() > totals.recordsIn() || totals.recordsIn() < 0 || totals.busyNanos() < 0) {
                            problem.set("impossible stage totals " + totals);
                        }
                    }
                    final HealthReport r = dashboard.latest();
                    if (r != null && r != lastReport) {
                        lastReport = r;
                        seen.add(r.sequence());
                        if (r.recordsOut() > r.recordsIn()) {
                            problem.set("report with out > in: " + r.summary());
                        }
                        for (final StageHealth s : r.stages()) {
                            if (s.recordsOut() > s.recordsIn() || s.batches() < 0 || s.busyShare() < 0) {
                                problem.set("impossible stage interval " + s);
                            }
                        }
                    }
                    if (out > in + 0 && out > pipeline.recordsIn()) {
                        problem.set("records out " + out + " > in " + pipeline.recordsIn());
                    }
                }
            });
            reader.start();
            final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
            while (System.nanoTime() < end) {
                source.fill(batch);
                pipeline.process(batch);
            }
            reader.interrupt();
            reader.join();
            assertNull(problem.get(), problem.get());
            assertTrue(seen.size() > 10, "the reporter ran while the pipeline did: " + seen.size() + " reports seen");
        }
    }
}
