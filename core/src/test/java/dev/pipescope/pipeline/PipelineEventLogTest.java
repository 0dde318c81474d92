package dev.pipescope.pipeline;

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
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * anomaly_detected is rate-limited per sensor and its {@code suppressed} counts add up: for every event,
 * the sum of (suppressed + 1) over the sensor's events so far equals the anomalies of that sensor flagged
 * up to the end of the event's batch. Checked with the built-in detector (which lets most batches skip the
 * scan) and with a pipeline whose flags the log must find by scanning.
 */
class PipelineEventLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"threshold\ncalibrate\nnormalize\nfeature\nanomaly\n",
        "anomaly as first\nanomaly as second zThreshold=1000\n"})
    void anomalyEventsAreRateLimitedPerSensorAndSuppressedCountsAddUp(final String config) throws Exception {
        final CachedNanoClock nanoClock = new CachedNanoClock();
        final CachedEpochClock epochClock = new CachedEpochClock();
        epochClock.update(1_795_000_000_000L);
        final SensorRegistry registry = new SensorRegistry(16);
        final StageContext context = new StageContext("events", registry, nanoClock, epochClock,
            new SimulatedCalibrationService(16));
        final SimulatedSensorSource source = new SimulatedSensorSource(registry, 5, 9, 0.02, epochClock);
        final CapturingLogSink sink = new CapturingLogSink();
        try (Pipeline pipeline = Pipeline.assemble("events", PipelineDefinition.parse(config, "<test>"),
            StageCatalog.discover(), context)) {
            new PipelineEventLog(pipeline, new LogContext(sink, LogFormat.defaults(), epochClock), LogLevel.INFO,
                1_000_000, 1000).attach(pipeline, null);
            final RecordBatch batch = new RecordBatch(200);
            final long[][] flaggedThrough = new long[301][5];
            final long[] running = new long[5];
            for (int b = 1; b <= 300; b++) {
                epochClock.advance(100);
                source.fill(batch);
                pipeline.process(batch);
                for (int i = 0; i < batch.size(); i++) {
                    if ((batch.flags[i] & RecordBatch.FLAG_ANOMALY) != 0) {
                        running[batch.sensor[i]]++;
                    }
                }
                flaggedThrough[b] = running.clone();
            }
            final long[] accounted = new long[5];
            final long[] lastEventMs = new long[5];
            int events = 0;
            for (final String line : sink.lines()) {
                final JsonNode n = JSON.readTree(line);
                if (!"anomaly_detected".equals(n.get("event").asText())) {
                    continue;
                }
                events++;
                final int s = registry.find(n.get("sensor").asText());
                final long at = java.time.Instant.parse(n.get("timestamp").asText()).toEpochMilli();
                if (lastEventMs[s] != 0) {
                    assertTrue(at - lastEventMs[s] >= 1000, "at most one event per sensor per second");
                }
                lastEventMs[s] = at;
                accounted[s] += n.get("suppressed").asLong() + 1;
                assertEquals(flaggedThrough[n.get("batch").asInt()][s], accounted[s],
                    "sensor " + s + " at batch " + n.get("batch").asInt());
            }
            assertTrue(events >= 5 * 25, "30 s of readings, 5 sensors: about one event per sensor per second: " + events);
        }
    }
}
