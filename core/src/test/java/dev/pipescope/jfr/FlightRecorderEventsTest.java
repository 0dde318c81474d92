package dev.pipescope.jfr;

import dev.pipescope.calibration.CalibrationService;
import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.calibration.SimulatedCalibrationService;
import dev.pipescope.health.HealthDashboard;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.PipelineDefinition;
import dev.pipescope.source.SimulatedSensorSource;
import dev.pipescope.stage.StageCatalog;
import dev.pipescope.stage.StageContext;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlightRecorderEventsTest {
    @Test
    void recordsStageBatchesCircuitTransitionsAndHealthChanges(@TempDir final Path dir) throws Exception {
        final CachedNanoClock nanoClock = new CachedNanoClock();
        final CachedEpochClock epochClock = new CachedEpochClock();
        nanoClock.update(TimeUnit.SECONDS.toNanos(10));
        epochClock.update(1_795_000_000_000L);
        final SensorRegistry registry = new SensorRegistry(16);
        final SimulatedCalibrationService service = new SimulatedCalibrationService(16);
        final StageContext context = StageContext.builder("jfr", registry).clocks(nanoClock, epochClock).service(CalibrationService.class, service).sleeper(nanoClock::advance).build();
        final SimulatedSensorSource source = new SimulatedSensorSource(registry, 10, 3, 0.005, epochClock);
        try (Pipeline pipeline = Pipeline.assemble("jfr", PipelineDefinition.defaults(), StageCatalog.discover(), context);
             Recording recording = new Recording()) {
            final HealthDashboard dashboard = new HealthDashboard(pipeline, TimeUnit.SECONDS.toNanos(1));
            final FlightRecorderEvents jfr = new FlightRecorderEvents(pipeline).attach(pipeline, dashboard);
            recording.enable(StageBatchEvent.class);
            recording.enable(CircuitTransitionEvent.class);
            recording.enable(HealthChangeEvent.class);
            recording.start();
            final int s3 = registry.register("S3");
            final RecordBatch batch = new RecordBatch(64);
            for (long b = 1; b <= 100; b++) {
                if (b == 20 || b == 61) {
                    service.setFailing(s3, b == 20); // the calibration service fails for S3 from batch 20 to 60
                }
                nanoClock.advance(TimeUnit.MILLISECONDS.toNanos(50));
                epochClock.advance(50);
                source.fill(batch);
                pipeline.process(batch);
                if (b % 10 == 0) {
                    dashboard.report();
                }
            }
            recording.stop();
            final Path file = dir.resolve("pipescope.jfr");
            recording.dump(file);
            final List<RecordedEvent> events = RecordingFile.readAllEvents(file);
            final List<RecordedEvent> batches = events.stream()
                .filter(e -> e.getEventType().getName().equals("dev.pipescope.StageBatch")).collect(Collectors.toList());
            assertEquals(100 * 5, batches.size(), "one event per stage per batch");
            assertTrue(batches.stream().anyMatch(e -> "adaptive".equals(e.getString("stage")) && e.getLong("batch") == 100));
            final List<String> transitions = events.stream()
                .filter(e -> e.getEventType().getName().equals("dev.pipescope.CircuitTransition"))
                .map(e -> e.getString("circuit") + " " + e.getString("from") + "->" + e.getString("to"))
                .collect(Collectors.toList());
            assertTrue(transitions.contains("calibration:S3 CLOSED->OPEN"), transitions.toString());
            final List<String> health = events.stream()
                .filter(e -> e.getEventType().getName().equals("dev.pipescope.HealthChange"))
                .map(e -> e.getString("from") + "->" + e.getString("to")).collect(Collectors.toList());
            assertTrue(health.contains("HEALTHY->DEGRADED"), health.toString());
        }
    }
}
