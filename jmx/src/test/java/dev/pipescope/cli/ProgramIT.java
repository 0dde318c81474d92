package dev.pipescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The program as a user runs it: {@code java -jar jmx/target/pipescope.jar}. */
class ProgramIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void runsThousandBatchesOfTheDefaultPipeline() throws Exception {
        final ProgramRunner.Result r = ProgramRunner.run("run", "--batches", "1000");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("batches:    1000"), r.stdout());
        assertTrue(r.stdout().contains("records in: 1024000"), r.stdout());
        assertTrue(r.stderr().isEmpty(), "no warning on stderr (Agrona export comes from the manifest): " + r.stderr());
    }

    @Test
    void inspectPrintsEachStageAndTheAvailableTypes() throws Exception {
        final ProgramRunner.Result r = ProgramRunner.run("inspect");
        assertEquals(0, r.exitCode(), r.stderr());
        for (final String type : List.of("threshold", "calibrate", "normalize", "feature", "anomaly")) {
            assertTrue(r.stdout().contains("Stage: " + type), r.stdout());
        }
        assertTrue(r.stdout().contains("Process signature: process(RecordBatch batch, double minVal=20.0, double maxVal=80.0)"));
        assertTrue(r.stdout().contains("Process signature: process(RecordBatch batch, double zThreshold=2.5"));
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
        final JsonNode anomaly = doc.get("stages").get(4);
        assertEquals(2.5, anomaly.get("parameters").get(0).get("current").asDouble());
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
        assertTrue(r.stderr().contains("bad.conf:1: stage 'anomaly' (anomaly): zThreshold = -1.0 is out of bounds: allowed [0.0, +inf]"),
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
        final Matcher m = Pattern.compile("readings.csv:(\\d+): rejected").matcher(r.stderr());
        final List<Integer> reported = new ArrayList<>();
        while (m.find()) {
            reported.add(Integer.parseInt(m.group(1)));
        }
        assertEquals(badLines, reported, r.stderr());
        assertTrue(r.stdout().contains("records in: 1000"), r.stdout());
        assertTrue(r.stdout().contains("rejected:   3"), r.stdout());
    }
}
