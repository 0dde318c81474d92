package dev.pipescope.health;

import dev.pipescope.calibration.CalibrationService;
import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.calibration.SimulatedCalibrationService;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.PipelineDefinition;
import dev.pipescope.source.SimulatedSensorSource;
import dev.pipescope.stage.StageCatalog;
import dev.pipescope.stage.StageContext;
import dev.pipescope.stage.StageDecorator;
import dev.pipescope.testing.SlowStages;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
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
            final StageContext context = StageContext.builder("test", registry).clocks(nanoClock, epochClock).service(CalibrationService.class, service).sleeper(nanos -> {
                nanoClock.advance(nanos);
            }).build();
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
    void circuitFaultNamesTheCircuitFirstForTheWholeOutageThenHealthyAgain() {
        final Fixture f = new Fixture();
        final int s3 = f.registry.register("S3");
        final HealthDashboard dashboard = new HealthDashboard(f.pipeline, TimeUnit.SECONDS.toNanos(1));
        final List<String> changes = new ArrayList<>();
        dashboard.addStatusListener((from, to, report) -> changes.add(from + "->" + to));
        final List<HealthReport> reports = new ArrayList<>();
        for (long b = 1; b <= 1400; b++) {
            if (b == 200 || b == 601) {
                f.service.setFailing(s3, b == 200);
            }
            f.batch();
            if (b % 50 == 0) {
                reports.add(dashboard.report());
            }
        }
        for (final HealthReport r : reports.subList(0, 3)) {
            assertEquals(HealthStatus.HEALTHY, r.status(), "before the fault: " + r.summary());
        }
        double previousOutage = 0;
        for (final HealthReport r : reports.subList(5, 12)) { // batches 300..600: the outage
            assertEquals(HealthStatus.DEGRADED, r.status(), r.summary());
            final HealthReason first = r.firstReason();
            assertEquals(HealthReason.CIRCUIT_OPEN, first.code(), r.summary());
            assertEquals("calibration:S3", first.subject());
            final double outage = r.resilience().circuits().stream()
                .filter(c -> c.name().equals("calibration:S3")).findFirst().orElseThrow().outageMillis();
            assertTrue(outage > previousOutage, "the outage's age grows across half-open probes: " + r.summary());
            previousOutage = outage;
        }
        assertTrue(previousOutage >= 1_500, "at batch 600 the outage is about 2 s old: " + previousOutage);
        final HealthReport last = reports.get(reports.size() - 1);
        assertEquals(HealthStatus.HEALTHY, last.status(), last.summary());
        assertEquals(1400, last.totals().batches());
        assertTrue(last.caches().get("calibration").hitRate() > 0.9);
        assertEquals("null->HEALTHY", changes.get(0), "the first status is announced too");
        assertEquals("HEALTHY->DEGRADED", changes.get(1));
        assertEquals("DEGRADED->HEALTHY", changes.get(changes.size() - 1));
    }

    @Test
    void aSlowStageStaysNamedWhileItIsSlowAndClearsAfter() {
        final SensorRegistry registry = new SensorRegistry(64);
        final SlowStages slow = new SlowStages();
        final StageContext context = StageContext.builder("slow", registry)
            .service(CalibrationService.class, new SimulatedCalibrationService(64)).build();
        try (Pipeline pipeline = Pipeline.assemble("slow", PipelineDefinition.defaults(), StageCatalog.discover(),
            context, slow)) {
            final SimulatedSensorSource source = new SimulatedSensorSource(registry, 10, 3, 0.005, new SystemEpochClock());
            final HealthDashboard dashboard = new HealthDashboard(pipeline, TimeUnit.SECONDS.toNanos(1));
            final RecordBatch batch = new RecordBatch(256);
            final List<HealthReport> reports = new ArrayList<>();
            for (int report = 0; report < 45; report++) {
                if (report == 12 || report == 30) {
                    slow.slow("adaptive", report == 12 ? 1_000_000 : 0);
                }
                for (int b = 0; b < 100; b++) {
                    source.fill(batch);
                    pipeline.process(batch);
                }
                reports.add(dashboard.report());
            }
            for (final HealthReport r : reports.subList(14, 30)) {
                assertEquals(HealthReason.THROUGHPUT_DROP, r.firstReason() == null ? null : r.firstReason().code(),
                    r.summary());
                assertEquals("adaptive", r.firstReason().subject());
                assertEquals("adaptive", r.bottleneckStage());
                assertTrue(r.bottleneck().p50Micros() >= 1000, "the extra millisecond shows in its latency");
            }
            final HealthReport after = reports.get(reports.size() - 1);
            assertEquals(HealthStatus.HEALTHY, after.status(), after.summary());
        }
    }

    @Test
    void aThrowingListenerStopsNeitherReportsNorTheListenersAfterIt() throws Exception {
        final Fixture f = new Fixture();
        final AtomicInteger errors = new AtomicInteger();
        final AtomicInteger told = new AtomicInteger();
        try (HealthDashboard dashboard = new HealthDashboard(f.pipeline, TimeUnit.MILLISECONDS.toNanos(10))) {
            dashboard.errorHandler(e -> errors.incrementAndGet());
            dashboard.addListener(r -> {
                throw new IllegalStateException("a listener's bug");
            });
            dashboard.addListener(r -> told.incrementAndGet());
            dashboard.start();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (told.get() < 5 && System.nanoTime() < deadline) {
                f.nanoClock.advance(20 * MS); // the fixture's clock only moves when told to
                dashboard.requestReport();
                Thread.sleep(5);
            }
            assertTrue(told.get() >= 5, "reports go on: " + told.get());
            assertTrue(dashboard.latest().sequence() >= 5);
            assertTrue(errors.get() >= 5, "every error reaches the handler: " + errors.get());
        }
    }

    @Test
    void aStuckStageIsNamedWithHowLongItHeldTheBatch() throws Exception {
        final SensorRegistry registry = new SensorRegistry(16);
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final StageDecorator blocking = stage -> !stage.name().equals("feature") ? stage.stage() : batch -> {
            stage.stage().process(batch);
            entered.countDown();
            try {
                release.await();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try (Pipeline pipeline = Pipeline.assemble("stuck", PipelineDefinition.parse("normalize\nfeature\nanomaly", "t"),
            StageCatalog.discover(), StageContext.system("stuck", registry), blocking);
             HealthDashboard dashboard = new HealthDashboard(pipeline, TimeUnit.MILLISECONDS.toNanos(20))) {
            dashboard.thresholds(HealthThresholds.builder().stallTimeoutMs(200).build());
            final int s = registry.register("S1");
            final RecordBatch batch = new RecordBatch(4);
            batch.add(s, 1, 1, 5.0);
            final Thread processing = new Thread(() -> pipeline.process(batch));
            dashboard.start();
            processing.start();
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            HealthReport r = null;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                r = dashboard.latest();
                if (r != null && r.status() == HealthStatus.UNHEALTHY) {
                    break;
                }
                Thread.sleep(10);
            }
            release.countDown();
            processing.join();
            assertEquals(HealthReason.STALLED, r.firstReason().code(), r.summary());
            assertEquals("feature", r.firstReason().subject());
            assertTrue(r.firstReason().message().startsWith("STALLED stage feature has held batch 1 for "),
                r.firstReason().message());
        }
    }

    @Test
    void aSecondDashboardOnOnePipelineIsRefused() {
        final Fixture f = new Fixture();
        new HealthDashboard(f.pipeline, TimeUnit.SECONDS.toNanos(1));
        final IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
            () -> new HealthDashboard(f.pipeline, TimeUnit.SECONDS.toNanos(1)));
        assertTrue(e.getMessage().contains("already have a sampler"), e.getMessage());
    }

    @Test
    void intervalWithoutBatchesReportsNoStageDataAndNoBottleneck() {
        final Fixture f = new Fixture();
        final HealthDashboard dashboard = new HealthDashboard(f.pipeline, TimeUnit.SECONDS.toNanos(1));
        f.batch();
        dashboard.report();
        f.nanoClock.advance(1000 * MS);
        final HealthReport idle = dashboard.report();
        assertEquals(0, idle.throughput().intervalBatches());
        assertNull(idle.bottleneckStage());
        for (final StageHealth s : idle.stages()) {
            assertFalse(s.hasData());
            assertTrue(Double.isNaN(s.p99Micros()), "no stale percentiles");
        }
    }

    @Test
    void readersOnOtherThreadsNeverSeeImpossibleValues() throws Exception {
        final SensorRegistry registry = new SensorRegistry(64);
        final StageContext context = StageContext.builder("concurrent", registry).service(CalibrationService.class, new SimulatedCalibrationService(64)).build();
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
                        if (r.totals().recordsOut() > r.totals().recordsIn()) {
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
