package dev.pipescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipescope.source.CsvRecordSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON event log of the packaged program (issue 3's "done when"): files, sinks, profiles, levels, SIGTERM, nasty input. */
class LogOutputIT {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--sync-log", "--async-log"})
    void everyStageOfEveryBatchIsLoggedToTheFileExactlyOnce(final String mode) throws Exception {
        final Path log = dir.resolve("events.log");
        final ProgramRunner.Result r = ProgramRunner.run("run", "--batches", "2000", "--stage-log-every", "1",
            "--log-file", log.toString(), mode);
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stderr().isEmpty(), r.stderr());
        assertEquals(0, r.stdoutBytes().length, "everything goes to the log file: " + r.stdout());

        final List<JsonNode> lines = JsonLog.parseDefault(Files.readAllBytes(log));
        final List<JsonNode> stages = JsonLog.events(lines, "stage_completed");
        assertEquals(2000 * 5, stages.size(), JsonLog.names(lines));
        assertBatchesOfEveryStage(stages, 2000);
        assertEquals(1, JsonLog.events(lines, "run_started").size(), JsonLog.names(lines));
        assertEquals(1, JsonLog.events(lines, "run_completed").size(), JsonLog.names(lines));
        assertEquals("run_started", lines.get(0).get("event").asText());
        final JsonNode last = lines.get(lines.size() - 1);
        assertEquals("run_completed", last.get("event").asText());
        assertEquals(2000, last.get("batches").asLong());
        assertEquals(0, last.get("logEventsDropped").asLong());
    }

    /** Each stage logged batches 1..n, each once, with recordsOut <= recordsIn. */
    private static void assertBatchesOfEveryStage(final List<JsonNode> stageLines, final long n) {
        for (final String stage : JsonLog.STAGES) {
            final List<Long> batches = stageLines.stream().filter(l -> stage.equals(l.get("component").asText()))
                .map(l -> l.get("batch").asLong()).collect(Collectors.toList());
            assertEquals(n, batches.size(), stage + " logged " + batches.size() + " batches, expected " + n);
            assertEquals(LongStream.rangeClosed(1, n).boxed().collect(Collectors.toSet()), new TreeSet<>(batches),
                stage + ": every batch 1.." + n + " once");
        }
        for (final JsonNode l : stageLines) {
            assertTrue(l.get("recordsOut").asLong() <= l.get("recordsIn").asLong(), l.toString());
            assertTrue(l.get("elapsedMs").isNumber() && l.get("throughputRps").isNumber(), l.toString());
        }
    }

    @ParameterizedTest(name = "options [{0}]")
    @ValueSource(strings = {"", "--sync-log --stage-log-every 1", "--async-log --stage-log-every 1"})
    void sigtermLeavesOnlyCompleteLinesAndAFinalRunCompleted(final String options) throws Exception {
        final Path log = dir.resolve("events.log");
        final Path out = dir.resolve("stdout.txt");
        final Path err = dir.resolve("stderr.txt");
        final List<String> args = new ArrayList<>(List.of("run", "--log-file", log.toString(), "--rate", "500"));
        if (!options.isEmpty()) {
            args.addAll(List.of(options.split(" ")));
        }
        final Process process = ProgramRunner.command(args.toArray(new String[0]))
            .redirectOutput(out.toFile()).redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            // running for real: the health reporter has spoken (about 1 s) and stages have been logged
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(contains(log, "\"event\":\"pipeline_health\"") && (options.isEmpty() || contains(log, "\"event\":\"stage_completed\"")))) {
                assertTrue(process.isAlive(), () -> "the program ended early: " + read(err));
                assertTrue(System.nanoTime() < deadline, "no pipeline_health within 30 s");
                Thread.sleep(50);
            }
            process.destroy(); // SIGTERM
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the program stops within 30 s of SIGTERM");
        } finally {
            process.destroyForcibly();
        }
        assertEquals(143, process.exitValue(), "the JVM's status for SIGTERM (128 + 15); stderr: " + read(err));
        assertEquals("", read(err));
        assertEquals("", read(out));

        final List<JsonNode> lines = JsonLog.parseDefault(Files.readAllBytes(log));
        assertEquals("run_started", lines.get(0).get("event").asText());
        final JsonNode last = lines.get(lines.size() - 1);
        assertEquals("run_completed", last.get("event").asText(), "the last line is run_completed: " + last);
        assertEquals(1, JsonLog.events(lines, "run_completed").size(), JsonLog.names(lines));
        assertEquals("stopped", last.get("stopReason").asText(), last.toString());
        final long batches = last.get("batches").asLong();
        assertTrue(batches > 0, last.toString());
        assertEquals(0, last.get("logEventsDropped").asLong(), last.toString());
        // the final health report is taken after the last batch
        final List<JsonNode> health = JsonLog.events(lines, "pipeline_health");
        assertEquals(batches, health.get(health.size() - 1).get("batchCount").asLong(), last.toString());
        final List<JsonNode> stages = JsonLog.events(lines, "stage_completed");
        if (!options.isEmpty()) {
            // every batch the run counted was logged by every stage, and nothing more
            assertBatchesOfEveryStage(stages, batches);
        } else {
            stages.forEach(l -> assertTrue(l.get("batch").asLong() <= batches, l.toString()));
        }
    }

    private static boolean contains(final Path file, final String text) throws java.io.IOException {
        return Files.exists(file) && Files.readString(file, StandardCharsets.ISO_8859_1).contains(text);
    }

    private static String read(final Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void ecsProfileUsesElasticFieldNames() throws Exception {
        final ProgramRunner.Result r = ProgramRunner.run("run", "--batches", "20", "--stage-log-every", "10",
            "--log-profile", "ecs");
        assertEquals(0, r.exitCode(), r.stderr());
        final List<JsonNode> lines = JsonLog.parse(r.stdoutBytes());
        assertFalse(lines.isEmpty());
        final Set<String> messages = new TreeSet<>();
        final Set<String> loggers = new TreeSet<>();
        for (final JsonNode l : lines) {
            assertEquals(List.of("@timestamp", "log.level", "log.logger", "message", "ecs.version"), JsonLog.firstKeys(l, 5),
                l.toString());
            assertTrue(JsonLog.TIMESTAMP.matcher(l.get("@timestamp").asText()).matches(), l.toString());
            assertTrue(JsonLog.LEVELS.contains(l.get("log.level").asText()), l.toString());
            assertTrue(l.get("ecs.version").asText().matches("\\d+\\.\\d+(\\.\\d+)?"), l.toString());
            for (final String key : JsonLog.DEFAULT_KEYS) {
                assertNull(l.get(key), () -> "no default key '" + key + "' in the ECS profile: " + l);
            }
            messages.add(l.get("message").asText());
            loggers.add(l.get("log.logger").asText());
        }
        assertEquals("run_started", lines.get(0).get("message").asText());
        final JsonNode last = lines.get(lines.size() - 1);
        assertEquals("run_completed", last.get("message").asText());
        assertEquals(20, last.get("batches").asLong());
        assertTrue(messages.contains("stage_completed"), messages.toString());
        assertTrue(loggers.containsAll(JsonLog.STAGES), loggers.toString());
        assertTrue(loggers.contains("pipescope"), loggers.toString());
    }

    @Test
    void logLevelWarningKeepsOnlyWarningsAndErrors() throws Exception {
        final ProgramRunner.Result r = ProgramRunner.run("run", "--batches", "1000", "--log-level", "WARNING",
            "--stage-log-every", "1");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stderr().isEmpty(), r.stderr());
        final List<JsonNode> lines = JsonLog.parseDefault(r.stdoutBytes());
        for (final JsonNode l : lines) {
            assertTrue(Set.of("WARNING", "ERROR").contains(l.get("level").asText()), l.toString());
        }
        for (final String info : List.of("run_started", "run_completed", "stage_completed")) {
            assertTrue(JsonLog.events(lines, info).isEmpty(), info + " is INFO: " + JsonLog.names(lines));
        }
        assertFalse(JsonLog.events(lines, "anomaly_detected").isEmpty(), JsonLog.names(lines));
    }

    /**
     * CSV lines whose text is as hostile to a JSON encoder as text gets, all malformed so that each becomes a
     * {@code record_rejected} event whose {@code text} must come back exactly as the program shows it: escaped,
     * never a raw control character ({@code \xNN} for a byte that is not UTF-8, {@code \}{@code uXXXX} for
     * control, format and separator characters). The hostile lines come after a kilobyte of good ones: a NUL
     * (or many control characters) in the first kilobyte makes the whole file binary, refused before any line.
     */
    @Test
    void rejectedLinesWithHostileTextRoundTripThroughAStrictParser() throws Exception {
        final List<byte[]> bad = new ArrayList<>();
        bad.add(utf8("S1,\"quoted \"\"twice\"\" \\ back\\\\slash \\u0041 \\n\",1.0,extra"));
        bad.add(utf8("S2,ctl\u0001 tab\t us\u001f nul\u0000 del\u007f bs\b ff\f cr\rmid,1.0,x"));
        bad.add(utf8("S3,emoji \ud83d\ude00\ud83c\udf89 \ud83d\udc4d\ud83c\udffd family \ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67 \u00e9\u4e2d,1.0,x"));
        bad.add(utf8("S4,sep\u2028line\u2029para\u0085nel </script> \ufeffbom,1.0,x"));
        bad.add(concat(utf8("S5,bad "), bytes(0xED, 0xA0, 0x80), utf8(" low "), bytes(0xED, 0xBF, 0xBF),
            utf8(" ff "), bytes(0xFF), utf8(" cut "), bytes(0xC3), utf8(" overlong "), bytes(0xC0, 0xAF),
            utf8(" big "), bytes(0xF4, 0x90, 0x80, 0x80), utf8(" cesu-pair "), bytes(0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80),
            utf8(",1.0,x")));
        bad.add(utf8("S6,\"never closed \\ ,1.0"));
        bad.add(utf8("S7," + "x".repeat(252) + "\ud83d\ude00" + "y".repeat(40) + ",1.0,x")); // a pair at chars 255-256
        bad.add(utf8("S8," + "x".repeat(251) + "\ud83d\ude00" + "y".repeat(40) + ",1.0,x")); // a pair at chars 254-255
        bad.add(utf8("S9,not a time " + "z\\\"".repeat(150) + ",1.0"));
        bad.add(utf8("S10," + "\u0001".repeat(400) + ",1.0,x"));
        bad.add(utf8("S11,\ud83d\ude00".repeat(100) + ",1.0,x"));

        final ByteArrayOutputStream csv = new ByteArrayOutputStream();
        csv.writeBytes(utf8("sensor,timestamp,value\n"));
        final List<Integer> badLineNumbers = new ArrayList<>();
        int line = 1;
        int good = 0;
        while (csv.size() <= CsvRecordSource.SNIFF_LENGTH) {
            csv.writeBytes(utf8("P" + good % 3 + ",2026-11-27T09:00:00Z,4" + good++ % 10 + ".5\n"));
            line++;
        }
        for (int i = 0; i < bad.size(); i++) {
            csv.writeBytes(utf8("S" + i + ",2026-11-27T10:00:0" + i % 10 + "Z,5" + i + ".25\n"));
            line++;
            csv.writeBytes(bad.get(i));
            csv.write('\n');
            badLineNumbers.add(++line);
        }
        final Path input = dir.resolve("hostile.csv");
        Files.write(input, csv.toByteArray());

        final ProgramRunner.Result r = ProgramRunner.run("run", "--input", input.toString());
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stderr().isEmpty(), r.stderr());
        final List<JsonNode> lines = JsonLog.parseDefault(r.stdoutBytes());
        final List<JsonNode> rejected = JsonLog.events(lines, "record_rejected");
        assertEquals(badLineNumbers, rejected.stream().map(l -> l.get("line").asInt()).collect(Collectors.toList()),
            JsonLog.names(lines));
        for (int i = 0; i < bad.size(); i++) {
            final JsonNode event = rejected.get(i);
            final String decoded = showAsTheProgramDoes(bad.get(i));
            final boolean truncated = decoded.length() > 256;
            int keep = Math.min(decoded.length(), 256);
            if (truncated && Character.isHighSurrogate(decoded.charAt(keep - 1))) {
                keep--; // never split a surrogate pair
            }
            final String expected = decoded.substring(0, keep);
            assertEquals(expected, event.get("text").asText(), "line " + badLineNumbers.get(i) + ": " + event);
            assertEquals(truncated, event.get("textTruncated").asBoolean(), event.toString());
            assertEquals(input.toString(), event.get("input").asText());
            assertFalse(event.get("reason").asText().isBlank(), event.toString());
            assertNull(event.get("truncated"), "the line itself fits: " + event);
        }
        // the cases the test means to exercise really are in the data
        final String shownBytes = rejected.get(4).get("text").asText();
        assertTrue(Pattern.compile("\\\\x[89A-F][0-9A-F]").matcher(shownBytes).results().count() >= 10,
            "every byte that is not UTF-8 is shown as \\xNN: " + shownBytes);
        assertTrue(shownBytes.contains("bad \\xED\\xA0\\x80 low"), shownBytes);
        assertTrue(rejected.get(1).get("text").asText().contains("ctl\\u0001 tab\\u0009 us\\u001F nul\\u0000 del\\u007F"),
            rejected.get(1).toString());
        assertEquals(255, rejected.get(6).get("text").asText().length());
        assertEquals(256, rejected.get(7).get("text").asText().length());
        // U+2028/U+2029 are shown escaped, so they are never raw on the wire (JsonLog also checks that)
        assertTrue(rejected.get(3).get("text").asText().contains("sep\\u2028line\\u2029para\\u0085nel"),
            rejected.get(3).toString());
        for (final JsonNode event : rejected) {
            assertTrue(event.get("text").asText().chars().noneMatch(c -> c < 0x20 || c >= 0x7F && c <= 0x9F),
                "no raw control character: " + event);
        }

        final JsonNode last = lines.get(lines.size() - 1);
        assertEquals("run_completed", last.get("event").asText());
        assertEquals(bad.size(), last.get("rejected").asLong());
        assertEquals(bad.size() + good, last.get("recordsIn").asLong());
    }

    /**
     * What the program shows of a line (CsvRecordSource's rules): decoded as strict UTF-8 (RFC 3629: no
     * overlong forms, no encoded surrogates, nothing above U+10FFFF), each byte that does not start a
     * well-formed sequence shown as {@code \xNN} and decoding resumed at the next byte; printable ASCII and
     * other characters as they are, except C0/DEL/C1 controls and format, line and paragraph separator
     * characters, shown as {@code \}{@code uXXXX}. Hex digits upper case.
     */
    private static String showAsTheProgramDoes(final byte[] line) {
        final StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < line.length) {
            final int length = wellFormedLength(line, i);
            if (length == 0) {
                out.append(String.format("\\x%02X", line[i] & 0xFF));
                i++;
                continue;
            }
            final int cp = new String(line, i, length, StandardCharsets.UTF_8).codePointAt(0);
            i += length;
            if (Character.isSupplementaryCodePoint(cp)) {
                out.appendCodePoint(cp); // a surrogate pair is shown as it is
                continue;
            }
            final int type = Character.getType(cp);
            final boolean control = cp < 0x20 || cp >= 0x7F && cp <= 0x9F;
            if (control || cp >= 0xA0 && (type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR)) {
                out.append(String.format("\\u%04X", cp));
            } else {
                out.append((char) cp);
            }
        }
        return out.toString();
    }

    /** @return the length of the well-formed UTF-8 sequence at {@code i} (Unicode Table 3-7), or 0. */
    private static int wellFormedLength(final byte[] b, final int i) {
        final int b0 = b[i] & 0xFF;
        if (b0 < 0x80) {
            return 1;
        }
        final int n;
        int lo = 0x80;
        int hi = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            n = 2;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            n = 3;
            lo = b0 == 0xE0 ? 0xA0 : 0x80;
            hi = b0 == 0xED ? 0x9F : 0xBF;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            n = 4;
            lo = b0 == 0xF0 ? 0x90 : 0x80;
            hi = b0 == 0xF4 ? 0x8F : 0xBF;
        } else {
            return 0;
        }
        if (i + n > b.length) {
            return 0;
        }
        for (int k = 1; k < n; k++) {
            final int c = b[i + k] & 0xFF;
            if (k == 1 ? c < lo || c > hi : c < 0x80 || c > 0xBF) {
                return 0;
            }
        }
        return n;
    }

    private static byte[] utf8(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(final int... values) {
        final byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] concat(final byte[]... parts) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
