package dev.pipescope.pipeline;

import dev.pipescope.calibration.CalibrationService;
import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.calibration.SimulatedCalibrationService;
import dev.pipescope.events.PipelineEventLog;
import dev.pipescope.health.HealthDashboard;
import dev.pipescope.jfr.FlightRecorderEvents;
import dev.pipescope.log.LogContext;
import dev.pipescope.log.LogLevel;
import dev.pipescope.log.NullLogSink;
import dev.pipescope.metrics.AllocationMeter;
import dev.pipescope.source.SimulatedSensorSource;
import dev.pipescope.stage.StageCatalog;
import dev.pipescope.stage.StageContext;
import dev.pipescope.testing.AllocationProbe;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The hot-path promise: once warm, the default pipeline fed by the simulator, with per-stage metrics,
 * JSON event logging, the resilient calibrate stage and a health reporter sampling it all from another
 * thread, allocates
 * nothing per batch on the processing thread. Measured with the thread's allocated-bytes counter, see
 * {@link AllocationProbe} for the rule with and without C2.
 */
@Tag(AllocationProbe.TAG)
class SteadyStateAllocationTest {
    private static final int BATCHES_PER_ROUND = 5_000;
    private static final int WARM_UP_ROUNDS = 4;
    private static final int WINDOWS = 3;

    @Test
    void defaultPipelineAllocatesNothingPerBatchInSteadyState() {
        assumeTrue(AllocationMeter.isAvailable(), "JVM cannot measure thread allocation");

        final SensorRegistry registry = new SensorRegistry(64);
        final StageContext context = StageContext.builder("alloc-test", registry).service(CalibrationService.class, new SimulatedCalibrationService(registry.capacity())).build();
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
            new FlightRecorderEvents(pipeline).attach(pipeline, dashboard);
            dashboard.start();

            final AllocationProbe.Measurement allocated;
            try {
                allocated = AllocationProbe.measure(WARM_UP_ROUNDS, WINDOWS,
                    () -> runBatches(pipeline, source, batch, BATCHES_PER_ROUND, dashboard));
            } finally {
                dashboard.close();
            }
            assertTrue(dashboard.latest() != null && dashboard.latest().sequence() > 1, "the reporter ran");
            assertTrue(sink.counters().eventsWritten() > 5L * (WARM_UP_ROUNDS + 1) * BATCHES_PER_ROUND,
                "events were really encoded: " + sink.counters().eventsWritten());

            allocated.assertAllocationFree(BATCHES_PER_ROUND + " batches");
            assertTrue(pipeline.alerts() > 0, "the measured pipeline must do real work: anomalies flagged");
            assertTrue(pipeline.recordsOut() < pipeline.recordsIn(), "and readings filtered");
        }
    }

    private static long runBatches(final Pipeline pipeline, final SimulatedSensorSource source,
        final RecordBatch batch, final int count, final HealthDashboard dashboard) {
        for (int i = 0; i < count; i++) {
            source.fill(batch);
            pipeline.process(batch);
            if (i % 100 == 0) {
                dashboard.requestReport(); // as --health-every does, from the processing thread
            }
        }
        return pipeline.recordsOut();
    }
}
