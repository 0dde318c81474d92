package dev.pipescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The program as a user runs it: {@code java -jar jmx/target/pipescope.jar}. */
class ProgramIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void runsThousandBatchesOfTheDefaultPipelineAsJsonEvents() throws Exception {
        final ProgramRunner.Result r = ProgramRunner.run("run", "--batches", "1000");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stderr().isEmpty(), "no warning on stderr (Agrona export comes from the manifest): " + r.stderr());
        final List<JsonNode> lines = JsonLog.parseDefault(r.stdoutBytes());
        assertTrue(lines.size() >= 4, r.stdout());

        final JsonNode first = lines.get(0);
        assertEquals("run_started", first.get("event").asText(), r.stdout());
        assertEquals("INFO", first.get("level").asText());
        assertEquals(1000, first.get("maxBatches").asLong());
        assertEquals(1024, first.get("batchSize").asInt());
        assertEquals(JsonLog.STAGES, JSON.convertValue(first.get("stages"), List.class));

        final JsonNode last = lines.get(lines.size() - 1);
        assertEquals("run_completed", last.get("event").asText(), r.stdout());
        assertEquals("batches", last.get("stopReason").asText());
        assertEquals(1000, last.get("batches").asLong());
        assertEquals(1_024_000, last.get("recordsIn").asLong());
        final long out = last.get("recordsOut").asLong();
        assertTrue(out > 0 && out <= 1_024_000, last.toString());
        assertEquals(0, last.get("rejected").asLong());
        assertTrue(last.get("alerts").asLong() > 0, last.toString());
        assertEquals(0, last.get("degradedRecords").asLong());
        assertTrue(last.get("elapsedMs").isNumber() && last.get("elapsedMs").asDouble() > 0, last.toString());
        assertTrue(last.get("throughputRps").isNumber() && last.get("throughputRps").asDouble() > 0, last.toString());
        assertEquals(0, last.get("logEventsDropped").asLong());

        assertEquals(1, JsonLog.events(lines, "run_started").size(), JsonLog.names(lines));
        assertEquals(1, JsonLog.events(lines, "run_completed").size(), JsonLog.names(lines));
        assertFalse(JsonLog.events(lines, "pipeline_health").isEmpty(), JsonLog.names(lines));
        final List<JsonNode> anomalies = JsonLog.events(lines, "anomaly_detected");
        assertFalse(anomalies.isEmpty(), JsonLog.names(lines));
        for (final JsonNode a : anomalies) {
            assertEquals("WARNING", a.get("level").asText(), a.toString());
            assertTrue(a.get("sensor").asText().matches("S\\d"), a.toString());
            assertTrue(a.get("zScore").isNumber() && a.get("value").isNumber(), a.toString());
            assertEquals("adaptive", a.get("component").asText(), "the default detector: " + a);
            assertTrue(a.get("score").asDouble() >= 0.5 && a.get("score").asDouble() <= 1, "at its threshold: " + a);
        }
        // the default --stage-log-every 1000 logs batch 1000 of each stage, once
        final List<JsonNode> stages = JsonLog.events(lines, "stage_completed");
        assertEquals(JsonLog.STAGES, stages.stream().map(l -> l.get("component").asText()).collect(Collectors.toList()));
        stages.forEach(l -> assertEquals(1000, l.get("batch").asLong(), l.toString()));
    }

    @Test
    void anomalyLogIntervalZeroLogsEveryAnomaly() throws Exception {
        final ProgramRunner.Result r = ProgramRunner.run("run", "--batches", "300", "--anomaly-log-interval", "0",
            "--no-jmx");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stderr().isEmpty(), r.stderr());
        final List<JsonNode> lines = JsonLog.parseDefault(r.stdoutBytes());
        final JsonNode last = lines.get(lines.size() - 1);
        assertEquals("run_completed", last.get("event").asText());
        final List<JsonNode> anomalies = JsonLog.events(lines, "anomaly_detected");
        assertTrue(last.get("alerts").asLong() > 0, last.toString());
        assertEquals(last.get("alerts").asLong(), anomalies.size(), "one event per flagged record");
        anomalies.forEach(a -> assertEquals(0, a.get("suppressed").asLong(), a.toString()));
        assertTrue(JsonLog.events(lines, "anomalies_suppressed").isEmpty(), JsonLog.names(lines));
    }

    /**
     * 200 minutes of one sensor's readings, a spike every 200 s of reading time, replayed in about a
     * second: limited to one event per 10 minutes of <em>reading</em> time, about 20 events are logged (a
     * wall-clock limit would log one), and every flagged reading is either an event or counted as
     * suppressed, in the next event or in the final anomalies_suppressed.
     */
    @Test
    void anomalyEventsAreLimitedInReadingTimeAndEveryFlaggedReadingIsAccountedFor() throws Exception {
        final StringBuilder csv = new StringBuilder("sensor,timestamp,value\n");
        final long t0 = 1_796_000_000_000L;
        for (int i = 0; i <= 1200; i++) { // the last spike, at 12 000 s, comes 200 s after a logged one
            final double value = i >= 40 && i % 20 == 0 ? 75.0 : 50.0 + (i % 5) * 0.2;
            csv.append("P1,").append(t0 + i * 10_000L).append(',').append(value).append('\n');
        }
        final Path input = Files.writeString(dir.resolve("plant.csv"), csv, StandardCharsets.UTF_8);
        // the z-score detector flags every spike (the --input default, adaptive, takes a repeated spike as the
        // sensor's range after the first): the subject here is the accounting, not the detector
        final Path config = Files.writeString(dir.resolve("zscore.conf"), "anomaly\n");
        final ProgramRunner.Result r = ProgramRunner.run("run", "--input", input.toString(), "--batch-size", "100",
            "--config", config.toString(), "--anomaly-log-interval", "10m", "--no-jmx");
        assertEquals(0, r.exitCode(), r.stderr());
        final List<JsonNode> lines = JsonLog.parseDefault(r.stdoutBytes());
        final JsonNode last = lines.get(lines.size() - 1);
        assertEquals("run_completed", last.get("event").asText());
        final long flagged = last.get("alerts").asLong();
        assertTrue(flagged >= 50, "the spikes are flagged: " + last);

        final List<JsonNode> events = JsonLog.events(lines, "anomaly_detected");
        assertTrue(events.size() >= 15 && events.size() <= 21, events.size() + " events for 200 minutes: "
            + JsonLog.names(lines));
        for (int i = 1; i < events.size(); i++) {
            final long gap = events.get(i).get("readingTimestampMs").asLong()
                - events.get(i - 1).get("readingTimestampMs").asLong();
            assertTrue(gap >= 600_000, "at least 10 minutes of reading time apart: " + gap + " ms");
        }
        long accounted = 0;
        for (final JsonNode e : events) {
            accounted += 1 + e.get("suppressed").asLong();
        }
        final List<JsonNode> rest = JsonLog.events(lines, "anomalies_suppressed");
        assertEquals(1, rest.size(), JsonLog.names(lines));
        assertEquals("P1", rest.get(0).get("sensor").asText());
        assertEquals(flagged, rest.get(0).get("flagged").asLong());
        assertEquals(events.size(), rest.get(0).get("logged").asLong());
        accounted += rest.get(0).get("suppressed").asLong();
        assertEquals(flagged, accounted, "events + suppressed = flagged");
        assertTrue(lines.indexOf(rest.get(0)) < lines.size() - 1, "accounted for before run_completed");
    }

    @Test
    void inspectPrintsEachStageAndTheAvailableTypes() throws Exception {
        final ProgramRunner.Result r = ProgramRunner.run("inspect");
        assertEquals(0, r.exitCode(), r.stderr());
        for (final String type : JsonLog.STAGES) {
            assertTrue(r.stdout().contains("Stage: " + type), r.stdout());
        }
        assertTrue(r.stdout().contains("Process signature: process(RecordBatch batch, double minVal=20.0, double maxVal=80.0)"));
        assertTrue(r.stdout().contains("Process signature: process(RecordBatch batch, double threshold=0.5, int halfLife=10000"),
            r.stdout());
        assertTrue(r.stdout().contains("Class: dev.pipescope.stage.builtin.AdaptiveAnomalyDetector"), r.stdout());
        assertFalse(r.stdout().contains("Stage: anomaly"), "the z-score stage is not in the default: " + r.stdout());
        assertTrue(r.stdout().contains("  anomaly    process(RecordBatch batch, double zThreshold=2.5"),
            "but it is an available type: " + r.stdout());
        assertTrue(r.stdout().contains("AVAILABLE STAGE TYPES"));
    }

    @Test
    void inspectJsonIsOneDocumentDescribingEveryStage() throws Exception {
        final ProgramRunner.Result r = ProgramRunner.run("inspect", "--json");
        assertEquals(0, r.exitCode(), r.stderr());
        final JsonNode doc = JSON.readTree(r.stdout());
        assertEquals(5, doc.get("stages").size());
        final JsonNode threshold = doc.get("stages").get(0);
        assertEquals("threshold", threshold.get("type").asText());
        assertEquals(2, threshold.get("parameterCount").asInt());
        assertEquals("minVal", threshold.get("parameters").get(0).get("name").asText());
        assertEquals(20.0, threshold.get("parameters").get(0).get("default").asDouble());
        final JsonNode detector = doc.get("stages").get(4);
        assertEquals("adaptive", detector.get("type").asText());
        assertEquals("threshold", detector.get("parameters").get(0).get("name").asText());
        assertEquals(0.5, detector.get("parameters").get(0).get("current").asDouble());
        assertTrue(doc.get("availableTypes").size() >= 5);
    }

    @Test
    void invalidConfigExitsWithTwoAndSaysWhatIsAllowed() throws Exception {
        final Path config = Files.writeString(dir.resolve("bad.conf"), "threshold\n# a comment\nsmooth window=3\n");
        ProgramRunner.Result r = ProgramRunner.run("run", "--batches", "1", "--config", config.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().contains("bad.conf:3: unknown stage type 'smooth'"), r.stderr());
        assertTrue(r.stderr().contains("available types: threshold, calibrate, normalize, feature, anomaly"), r.stderr());

        Files.writeString(config, "anomaly zThreshold=-1\n");
        r = ProgramRunner.run("inspect", "--config", config.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().contains("bad.conf:1: stage 'anomaly' (anomaly): zThreshold = -1.0 is out of bounds: allowed [1.0, 1000.0]"),
            r.stderr());

        Files.writeString(config, "normalize max=3\n");
        r = ProgramRunner.run("inspect", "--config", config.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().contains("has no parameter 'max'; valid parameters: minVal, maxVal, clamp"), r.stderr());
    }

    @Test
    void badUsageExitsWithTwo() throws Exception {
        assertEquals(2, ProgramRunner.run("run", "--batches", "many").exitCode());
        assertEquals(2, ProgramRunner.run("run", "--no-such-option").exitCode());
        assertEquals(2, ProgramRunner.run("run", "--batches", "0").exitCode());
        assertEquals(2, ProgramRunner.run("frobnicate").exitCode());
        assertEquals(0, ProgramRunner.run("run", "--help").exitCode());
    }

    @Test
    void csvWithThreeMalformedLinesReportsExactlyThoseAndProcessesTheRest() throws Exception {
        final StringBuilder csv = new StringBuilder("sensor,timestamp,value\n");
        final List<Integer> badLines = List.of(101, 502, 903);
        int line = 1;
        int good = 0;
        while (good < 1000) {
            line++;
            if (badLines.contains(line)) {
                csv.append(line == 101 ? "S1,not-a-time,50.0\n" : line == 502 ? "S2,2026-11-27T10:00:00Z\n" : "S3,2026-11-27T10:00:00Z,abc\n");
            } else {
                csv.append("S").append(good % 7).append(",2026-11-27T10:").append(String.format("%02d", good % 60))
                    .append(":00Z,").append(40 + good % 20).append(".5\n");
                good++;
            }
        }
        final Path input = Files.writeString(dir.resolve("readings.csv"), csv, StandardCharsets.UTF_8);
        final ProgramRunner.Result r = ProgramRunner.run("run", "--input", input.toString(), "--batch-size", "128");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stderr().isEmpty(), "rejected lines go to the log, not stderr: " + r.stderr());
        final List<JsonNode> lines = JsonLog.parseDefault(r.stdoutBytes());
        final List<JsonNode> rejected = JsonLog.events(lines, "record_rejected");
        assertEquals(badLines, rejected.stream().map(l -> l.get("line").asInt()).collect(Collectors.toList()), r.stdout());
        final String[] csvLines = csv.toString().split("\n");
        for (final JsonNode l : rejected) {
            assertEquals("WARNING", l.get("level").asText(), l.toString());
            assertEquals(input.toString(), l.get("input").asText(), l.toString());
            assertFalse(l.get("reason").asText().isBlank(), l.toString());
            assertEquals(csvLines[l.get("line").asInt() - 1], l.get("text").asText(), l.toString());
            assertFalse(l.get("textTruncated").asBoolean(), l.toString());
        }
        final JsonNode last = lines.get(lines.size() - 1);
        assertEquals("run_completed", last.get("event").asText(), r.stdout());
        assertEquals("input", last.get("stopReason").asText());
        assertEquals(1000, last.get("recordsIn").asLong());
        assertEquals(3, last.get("rejected").asLong());
        assertEquals(8, last.get("batches").asLong()); // ceil(1000 / 128)
    }

    @Test
    void aFaultThatIsNotOfTheExpectedFormIsBadUsage() throws Exception {
        final ProgramRunner.Result r = ProgramRunner.run("run", "--batches", "5", "--fault", "nonsense");
        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("calibration:SENSOR@FIRST-LAST"), r.stderr());
        assertTrue(r.stderr().contains("slow:STAGE[=DELAYms]@FIRST-LAST"), r.stderr());
        assertEquals(0, r.stdoutBytes().length, "nothing is logged for a command line that cannot run: " + r.stdout());
    }

    @Test
    void aSlowFaultOnAStageThePipelineLacksIsBadUsageNamingTheStages() throws Exception {
        final ProgramRunner.Result r = ProgramRunner.run("run", "--batches", "5", "--fault", "slow:nosuchstage@1-2");
        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("nosuchstage"), r.stderr());
        for (final String stage : JsonLog.STAGES) {
            assertTrue(r.stderr().contains(stage), r.stderr());
        }
        assertEquals(0, r.stdoutBytes().length, r.stdout());
    }

    @Test
    void badLogOptionsAreBadUsage() throws Exception {
        ProgramRunner.Result r = ProgramRunner.run("run", "--batches", "5", "--stage-log-every", "0");
        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("--stage-log-every"), r.stderr());

        r = ProgramRunner.run("run", "--batches", "5", "--log-profile", "xml");
        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("'xml' is not a log profile; use default or ecs"), r.stderr());

        r = ProgramRunner.run("run", "--batches", "5", "--log-level", "LOUD");
        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("--log-level"), r.stderr());
        assertEquals(0, r.stdoutBytes().length, r.stdout());
    }

    @Test
    void refusesToExposeJmxOnANonLoopbackAddressWithoutAuthentication() throws Exception {
        final ProgramRunner.Result r = ProgramRunner.run("run", "--batches", "5", "--jmx-port", "0", "--jmx-host", "0.0.0.0");
        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("refusing to expose JMX on 0.0.0.0 without authentication"), r.stderr());
        assertTrue(r.stderr().contains("--jmx-password-file"), r.stderr());
        assertEquals(0, r.stdoutBytes().length, r.stdout());
    }
}
