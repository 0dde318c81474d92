package dev.pipescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stage that throws ends the run the way the failure policy says, seen from the program: run in-process
 * (the packaged jar has no throwing stage type, and a plugin jar would be a build of its own) with a config
 * naming the test type {@code explode} (see {@link ExplodingStage}).
 */
class RunFailureTest {
    @TempDir
    Path dir;

    /** What one in-process run left behind. */
    private record Run(int exitCode, String stdout, String stderr, List<JsonNode> events) {
    }

    private Run run(final String config, final String... options) throws Exception {
        final Path conf = Files.writeString(dir.resolve("pipeline.conf"), config);
        final Path log = dir.resolve("events.log");
        final List<String> args = new ArrayList<>(List.of("run", "--config", conf.toString(), "--log-file",
            log.toString(), "--no-jmx", "--name", "failing"));
        args.addAll(List.of(options));
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = Main.newCommandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
            .execute(args.toArray(new String[0]));
        return new Run(code, out.toString(), err.toString(),
            Files.exists(log) ? JsonLog.parseDefault(Files.readAllBytes(log)) : List.of());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--sync-log", "--async-log"})
    void aThrowingStageEndsTheRunWithRunFailedAndExitCodeOne(final String mode) throws Exception {
        final Run r = run("threshold\nexplode as boom failOnBatch=7\nanomaly\n", "--batches", "100", "--batch-size", "64",
            mode);

        assertEquals(Main.EXIT_FAILURE, r.exitCode(), r.stderr());
        assertEquals("", r.stdout());
        final String[] errLines = r.stderr().split("\n");
        assertEquals(1, errLines.length, "one line, no stack trace: " + r.stderr());
        assertTrue(errLines[0].startsWith("pipescope: error: stage 'boom' failed on batch 7: "), r.stderr());
        assertTrue(errLines[0].contains(ExplodingStage.MESSAGE), r.stderr());
        assertFalse(r.stderr().contains("\tat "), r.stderr());

        final List<JsonNode> lines = r.events();
        assertEquals("run_started", lines.get(0).get("event").asText());
        assertTrue(JsonLog.events(lines, "run_completed").isEmpty(), "no run_completed claims success: "
            + JsonLog.names(lines));
        final List<JsonNode> failed = JsonLog.events(lines, "run_failed");
        assertEquals(1, failed.size(), JsonLog.names(lines));
        final JsonNode f = failed.get(0);
        assertEquals(lines.get(lines.size() - 1), f, "run_failed is the last line, written and flushed");
        assertEquals("ERROR", f.get("level").asText());
        assertEquals("failing", f.get("component").asText());
        assertEquals("boom", f.get("stage").asText(), f.toString());
        assertEquals(7, f.get("batch").asLong(), f.toString());
        assertEquals(6, f.get("batchesCompleted").asLong(), f.toString());
        assertEquals(IllegalStateException.class.getName(), f.get("errorType").asText(), f.toString());
        assertTrue(f.get("error").asText().contains(ExplodingStage.MESSAGE), f.toString());

        // the final health report is taken before, and counts the batches that completed
        final List<JsonNode> health = JsonLog.events(lines, "pipeline_health");
        assertFalse(health.isEmpty(), JsonLog.names(lines));
        assertEquals(6, health.get(health.size() - 1).get("batchCount").asLong());
    }

    @Test
    void aStageThatThrowsOnTheFirstBatchFailsTooAndNothingClaimsSuccess() throws Exception {
        final Run r = run("explode failOnBatch=1\n", "--batches", "5", "--sync-log");
        assertEquals(Main.EXIT_FAILURE, r.exitCode(), r.stderr());
        assertTrue(r.stderr().startsWith("pipescope: error: stage 'explode' failed on batch 1: "), r.stderr());
        final JsonNode f = JsonLog.events(r.events(), "run_failed").get(0);
        assertEquals("explode", f.get("stage").asText());
        assertEquals(0, f.get("batchesCompleted").asLong());
        assertTrue(JsonLog.events(r.events(), "run_completed").isEmpty(), JsonLog.names(r.events()));
    }

    /** The output holds the records of every batch that completed, whole, before run_failed is written. */
    @Test
    void aFailedRunsOutputHoldsTheCompletedBatchesWhole() throws Exception {
        final Path out = dir.resolve("records.jsonl");
        final Run r = run("explode as boom failOnBatch=7\n", "--batches", "100", "--batch-size", "64", "--output",
            out.toString(), "--output-format", "jsonl");
        assertEquals(Main.EXIT_FAILURE, r.exitCode(), r.stderr());
        final List<JsonNode> records = JsonLog.parse(Files.readAllBytes(out)); // whole lines, ending in '\n'
        assertEquals(6 * 64, records.size(), "the six batches before the failing one");
        for (int i = 0; i < records.size(); i++) {
            assertEquals(i + 1, records.get(i).get("sequence").asLong(), "in order, none lost or doubled");
        }
        assertEquals("run_failed", r.events().get(r.events().size() - 1).get("event").asText());
    }

    @Test
    void aRunThatDoesNotFailStillCompletes() throws Exception {
        final Run r = run("threshold\nexplode failOnBatch=1000\n", "--batches", "20", "--sync-log");
        assertEquals(Main.EXIT_OK, r.exitCode(), r.stderr());
        assertEquals("", r.stderr());
        assertTrue(JsonLog.events(r.events(), "run_failed").isEmpty());
        assertEquals("run_completed", r.events().get(r.events().size() - 1).get("event").asText());
    }
}
