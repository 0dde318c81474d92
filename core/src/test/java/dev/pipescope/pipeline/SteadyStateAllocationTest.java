package dev.pipescope.pipeline;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.calibration.SimulatedCalibrationService;
import dev.pipescope.health.HealthDashboard;
import dev.pipescope.jfr.FlightRecorderEvents;
import dev.pipescope.log.LogContext;
import dev.pipescope.log.LogLevel;
import dev.pipescope.log.NullLogSink;
import dev.pipescope.source.SimulatedSensorSource;
import dev.pipescope.stage.StageCatalog;
import dev.pipescope.stage.StageContext;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The hot-path promise: once warm, the default pipeline fed by the simulator, with per-stage metrics,
 * JSON event logging, the resilient calibrate stage and a health reporter sampling it all from another
 * thread, allocates
 * nothing per batch on the processing thread. Measured with the thread's allocated-bytes counter.
 */
class SteadyStateAllocationTest {
    private static final int WARMUP_BATCHES = 20_000;
    private static final int MEASURED_BATCHES = 5_000;

    @Test
    void defaultPipelineAllocatesNothingPerBatchInSteadyState() {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "JVM cannot measure thread allocation");
        threads.setThreadAllocatedMemoryEnabled(true);

        final SensorRegistry registry = new SensorRegistry(64);
        final StageContext context = StageContext.system("alloc-test", registry,
            new SimulatedCalibrationService(registry.capacity()));
        try (Pipeline pipeline = Pipeline.assemble("alloc-test", PipelineDefinition.defaults(),
            StageCatalog.discover(), context)) {
            final SimulatedSensorSource source =
                new SimulatedSensorSource(registry, 10, 7, 0.005, new SystemEpochClock());
            final RecordBatch batch = new RecordBatch(256);
            // the health reporter samples every stage's metrics, memory, circuits and caches on its own
            // thread all along: readers must cost the processing thread nothing
            final HealthDashboard dashboard = new HealthDashboard(pipeline, TimeUnit.MILLISECONDS.toNanos(10));
            // every event of the catalogue is encoded: stage_completed for every batch, anomaly_detected at
            // most every millisecond per sensor, pipeline_health from the reporter; bytes go to a sink that
            // discards them
            final NullLogSink sink = new NullLogSink();
            final PipelineEventLog events = new PipelineEventLog(pipeline, new LogContext(sink), LogLevel.INFO, 1, 1);
            events.attach(pipeline, dashboard);
            // and Flight Recorder events, with no recording on: one enabled-check per stage batch
            final FlightRecorderEvents jfr = new FlightRecorderEvents(pipeline).attach(pipeline, dashboard);
            pipeline.observer(BatchObserver.both(events, jfr));
            dashboard.start();

            long allocated;
            try {
                runBatches(pipeline, source, batch, WARMUP_BATCHES, dashboard);
                final long before = threads.getCurrentThreadAllocatedBytes();
                runBatches(pipeline, source, batch, MEASURED_BATCHES, dashboard);
                allocated = threads.getCurrentThreadAllocatedBytes() - before;
            } finally {
                dashboard.close();
            }
            assertTrue(dashboard.latest() != null && dashboard.latest().sequence() > 1, "the reporter ran");
            assertTrue(sink.counters().eventsWritten() > 5L * (WARMUP_BATCHES + MEASURED_BATCHES),
                "events were really encoded: " + sink.counters().eventsWritten());

            assertEquals(0, allocated, "bytes allocated over " + MEASURED_BATCHES + " batches ("
                + (double) allocated / MEASURED_BATCHES + " B/batch)");
            assertTrue(pipeline.alerts() > 0, "the measured pipeline must do real work: anomalies flagged");
            assertTrue(pipeline.recordsOut() < pipeline.recordsIn(), "and readings filtered");
        }
    }

    private static void runBatches(final Pipeline pipeline, final SimulatedSensorSource source,
        final RecordBatch batch, final int count, final HealthDashboard dashboard) {
        for (int i = 0; i < count; i++) {
            source.fill(batch);
            pipeline.process(batch);
            if (i % 100 == 0) {
                dashboard.requestReport(); // as --health-every does, from the processing thread
            }
        }
    }
}
