package dev.pipescope.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.log.LogContext;
import dev.pipescope.log.LogFormat;
import dev.pipescope.log.LogLevel;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.PipelineDefinition;
import dev.pipescope.stage.StageCatalog;
import dev.pipescope.stage.StageContext;
import dev.pipescope.log.CapturingLogSink;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * anomaly_detected says what was flagged and against what: the raw reading, its time in ISO-8601, and (for
 * the z-score detector as the last stage) the mean and standard deviation of the sensor's earlier readings,
 * which the event log rolls back from the detector's end-of-batch statistics. Checked against a brute-force
 * recomputation over the readings themselves.
 */
class AnomalyEventFieldsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
        .withZone(ZoneOffset.UTC);

    /** What one run logged, and every reading given to it, by sensor name, in order. */
    private record Run(List<JsonNode> anomalies, Map<String, List<double[]>> readings) {
    }

    private static Run run(final String config, final int batchSize, final int batches) throws Exception {
        final CachedEpochClock epochClock = new CachedEpochClock();
        epochClock.update(1_795_000_000_000L);
        final SensorRegistry registry = new SensorRegistry(16);
        final StageContext context = StageContext.builder("fields", registry)
            .clocks(new CachedNanoClock(), epochClock).build();
        final CapturingLogSink sink = new CapturingLogSink();
        final Map<String, List<double[]>> readings = new HashMap<>();
        try (Pipeline pipeline = Pipeline.assemble("fields", PipelineDefinition.parse(config, "<test>"),
            StageCatalog.discover(), context)) {
            final PipelineEventLog log = new PipelineEventLog(pipeline,
                new LogContext(sink, LogFormat.defaults(), epochClock), LogLevel.INFO, 1_000_000, 0)
                .attach(pipeline, null);
            final int[] ids = {registry.register("A"), registry.register("B"), registry.register("C")};
            final Random random = new Random(11);
            final RecordBatch batch = new RecordBatch(batchSize);
            long t = 1_386_018_900_000L; // 2013-12-02T21:15:00Z
            long seq = 0;
            for (int b = 0; b < batches; b++) {
                batch.clear();
                while (!batch.isFull()) {
                    final int s = ids[random.nextInt(ids.length)];
                    final double level = 1000 * (s + 1) + (seq > 3000 ? 500 : 0); // a level shift
                    double v = level + 40 * random.nextGaussian();
                    if (random.nextInt(150) == 0) {
                        v += (random.nextBoolean() ? 1 : -1) * 400; // spikes
                    }
                    if (random.nextInt(500) == 0) {
                        v = Double.NaN; // skipped by the detector, and so by the roll-back
                    }
                    batch.add(s, t, seq++, v);
                    readings.computeIfAbsent(registry.name(s), k -> new ArrayList<>()).add(new double[] {seq - 1, v});
                    t += 300_000;
                }
                pipeline.process(batch);
            }
            log.finish();
        }
        final List<JsonNode> anomalies = new ArrayList<>();
        for (final String line : sink.lines()) {
            final JsonNode n = JSON.readTree(line);
            if ("anomaly_detected".equals(n.get("event").asText())) {
                anomalies.add(n);
            }
        }
        return new Run(anomalies, readings);
    }

    @ParameterizedTest(name = "batch size {0}")
    @ValueSource(ints = {1, 7, 1024})
    void meanAndStdevAreThoseOfTheSensorsEarlierReadings(final int batchSize) throws Exception {
        final Run r = run("feature\nanomaly zThreshold=3", batchSize, 6000 / batchSize + 1);
        assertTrue(r.anomalies().size() > 10, "spikes are flagged: " + r.anomalies().size());
        for (final JsonNode a : r.anomalies()) {
            final long sequence = a.get("sequence").asLong();
            double n = 0;
            double sum = 0;
            final List<Double> before = new ArrayList<>();
            for (final double[] reading : r.readings().get(a.get("sensor").asText())) {
                if (reading[0] >= sequence) {
                    break;
                }
                if (Double.isFinite(reading[1])) {
                    before.add(reading[1]);
                    sum += reading[1];
                    n++;
                }
            }
            final double mean = sum / n;
            double squares = 0;
            for (final double v : before) {
                squares += (v - mean) * (v - mean);
            }
            final double stdev = Math.sqrt(squares / (n - 1));
            assertEquals(mean, a.get("mean").asDouble(), 1e-9 * Math.abs(mean), a.toString());
            assertEquals(stdev, a.get("stdev").asDouble(), 1e-7 * stdev, a.toString());
            final double value = a.get("value").asDouble();
            assertEquals((value - mean) / stdev, a.get("zScore").asDouble(), 1e-3, "zScore = (value - mean) / stdev: " + a);
            assertEquals(value, a.get("rawValue").asDouble(), "no stage changed the value: " + a);
            // the z-score detector's score: |z| / (|z| + zThreshold), above 0.5 for a flagged reading
            final double z = a.get("zScore").asDouble();
            assertEquals(Math.abs(z) / (Math.abs(z) + 3), a.get("score").asDouble(), 1e-3, a.toString());
            assertTrue(a.get("score").asDouble() >= 0.5 && a.get("score").asDouble() < 1, a.toString());
            assertEquals(ISO.format(Instant.ofEpochMilli(a.get("readingTimestampMs").asLong())),
                a.get("readingTime").asText(), a.toString());
        }
    }

    @Test
    void withoutAnExactBaselineTheFieldsAreLeftOut() throws Exception {
        for (final String config : List.of("anomaly zThreshold=3\nfeature", "adaptive")) {
            final Run r = run(config, 256, 30);
            assertFalse(r.anomalies().isEmpty(), config);
            for (final JsonNode a : r.anomalies()) {
                assertNull(a.get("mean"), config + ": " + a);
                assertNull(a.get("stdev"), config + ": " + a);
                assertTrue(a.get("rawValue").isNumber() && a.get("readingTime").isTextual(), a.toString());
                assertTrue(a.get("score").asDouble() >= 0.5 && a.get("score").asDouble() <= 1, "flagged: " + a);
            }
        }
    }

    /** The log's timestamp writer, as text. */
    private static final class IsoText {
        private final dev.pipescope.log.UtcTimestampWriter writer = new dev.pipescope.log.UtcTimestampWriter();
        private final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(new byte[32]);

        String of(final long epochMillis) {
            final int end = writer.put(buffer, 0, epochMillis);
            return buffer.getStringWithoutLengthAscii(0, end);
        }
    }

    @Test
    void readingTimesAreIsoUtcWithMillisecondsAndClampedToFourDigitYears() {
        final IsoText t = new IsoText(); // the writer anomaly_detected's readingTime uses
        assertEquals("2013-12-02T21:15:00.000Z", t.of(1_386_018_900_000L));
        assertEquals("1970-01-01T00:00:00.001Z", t.of(1));
        assertEquals("1969-12-31T23:59:59.999Z", t.of(-1));
        assertEquals("2024-02-29T12:34:56.789Z", t.of(Instant.parse("2024-02-29T12:34:56.789Z").toEpochMilli()));
        assertEquals("0000-01-01T00:00:00.000Z", t.of(Long.MIN_VALUE));
        assertEquals("9999-12-31T23:59:59.999Z", t.of(Long.MAX_VALUE));
        final Random random = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            final long ms = random.nextLong() % 253_402_300_799_999L;
            final long clamped = Math.max(-62_167_219_200_000L, ms);
            final String expected = ISO.format(Instant.ofEpochMilli(clamped));
            assertEquals(expected, t.of(ms), "at " + ms);
        }
    }
}
