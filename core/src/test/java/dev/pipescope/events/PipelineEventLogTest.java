package dev.pipescope.events;

import dev.pipescope.calibration.CalibrationService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.calibration.SimulatedCalibrationService;
import dev.pipescope.log.CapturingLogSink;
import dev.pipescope.log.LogContext;
import dev.pipescope.log.LogFormat;
import dev.pipescope.log.LogLevel;
import dev.pipescope.source.SimulatedSensorSource;
import dev.pipescope.stage.StageCatalog;
import dev.pipescope.stage.StageContext;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.PipelineDefinition;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * anomaly_detected is limited per sensor in reading time and its counts are exact: for every sensor, the
 * events plus every {@code suppressed} (in the events and in the closing {@code anomalies_suppressed}) equal
 * the readings flagged; with interval 0 every flagged reading is an event. Checked with one detector and
 * with two, so the log cannot depend on which stage flagged.
 */
class PipelineEventLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @CsvSource({"1000,threshold|calibrate|normalize|feature|anomaly", "1000,anomaly as first|anomaly as second zThreshold=1000",
        "0,threshold|calibrate|normalize|feature|anomaly"})
    void everyFlaggedReadingIsLoggedOrCountedAsSuppressed(final long intervalMs, final String stages) throws Exception {
        final String config = stages.replace('|', '\n');
        final CachedNanoClock nanoClock = new CachedNanoClock();
        final CachedEpochClock epochClock = new CachedEpochClock();
        epochClock.update(1_795_000_000_000L);
        final SensorRegistry registry = new SensorRegistry(16);
        final StageContext context = StageContext.builder("events", registry).clocks(nanoClock, epochClock)
            .service(CalibrationService.class, new SimulatedCalibrationService(16)).build();
        final SimulatedSensorSource source = new SimulatedSensorSource(registry, 5, 9, 0.02, epochClock);
        final CapturingLogSink sink = new CapturingLogSink();
        try (Pipeline pipeline = Pipeline.assemble("events", PipelineDefinition.parse(config, "<test>"),
            StageCatalog.discover(), context)) {
            final PipelineEventLog log = new PipelineEventLog(pipeline,
                new LogContext(sink, LogFormat.defaults(), epochClock), LogLevel.INFO, 1_000_000, intervalMs)
                .attach(pipeline, null);
            final RecordBatch batch = new RecordBatch(200);
            final long[] flagged = new long[5];
            for (int b = 1; b <= 300; b++) {
                epochClock.advance(100);
                source.fill(batch);
                pipeline.process(batch);
                for (int i = 0; i < batch.size(); i++) {
                    if ((batch.flags[i] & RecordBatch.FLAG_ANOMALY) != 0) {
                        flagged[batch.sensor[i]]++;
                    }
                }
            }
            log.finish();
            final long[] accounted = new long[5];
            final long[] lastReadingMs = new long[5];
            int events = 0;
            for (final String line : sink.lines()) {
                final JsonNode n = JSON.readTree(line);
                final String event = n.get("event").asText();
                if ("anomalies_suppressed".equals(event)) {
                    accounted[registry.find(n.get("sensor").asText())] += n.get("suppressed").asLong();
                    continue;
                }
                if (!"anomaly_detected".equals(event)) {
                    continue;
                }
                events++;
                final int s = registry.find(n.get("sensor").asText());
                final long at = n.get("readingTimestampMs").asLong();
                if (lastReadingMs[s] != 0 && intervalMs > 0) {
                    assertTrue(at - lastReadingMs[s] >= intervalMs, "at most one event per sensor per interval of reading time");
                }
                lastReadingMs[s] = at;
                accounted[s] += n.get("suppressed").asLong() + 1;
            }
            assertArrayEquals(flagged, accounted, "events + suppressed = flagged, per sensor");
            final long total = java.util.Arrays.stream(flagged).sum();
            assertEquals(total, pipeline.alerts(), "the pipeline counted the same flags");
            if (intervalMs == 0) {
                assertEquals(total, events, "interval 0: one event per flagged reading");
            } else {
                assertTrue(events >= 5 * 25 && events < total, "30 s of readings, 5 sensors: about one event per sensor"
                    + " per second of reading time: " + events + " of " + total);
            }
        }
    }
}
