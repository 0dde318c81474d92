package dev.pipescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, as a user with real data meets the packaged program: a {@code timestamp,value} export far from
 * the simulator's 20..80 goes through the {@code --input} default untouched, every record comes out with
 * {@code --output}, anomaly events account for every flag, timestamps are read in the unit they are in,
 * unreadable and empty input say so, and calibrations come from a file that may change.
 */
class RealDataIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    private static final LocalDateTime START = LocalDateTime.of(2013, 12, 2, 21, 15);

    @TempDir
    Path dir;

    /** One input line's reading, by line number. */
    private record Reading(long line, String sensor, long epochMs, double value) {
    }

    /** An input file and what it holds. */
    private record Input(Path file, Map<Long, Reading> readings, int blankLines) {
    }

    /** A record line of the CSV output, by column name. */
    private record OutputRecord(Map<String, String> columns) {
        String get(final String column) {
            return columns.get(column);
        }

        double number(final String column) {
            return Double.parseDouble(columns.get(column));
        }

        boolean anomaly() {
            return Boolean.parseBoolean(columns.get("anomaly"));
        }
    }

    /**
     * Readings around 700 (noise 60) every 5 minutes, a level shift of +600 at two thirds, spikes to about
     * 1990 and down to about 5, a few blank lines: real-looking data, nearly all of it outside 20..80.
     */
    private Input realLooking(final String name, final List<String> sensors, final int linesPerSensor) throws Exception {
        final Random random = new Random(2013);
        final StringBuilder csv = new StringBuilder(sensors.size() > 1 ? "sensor,timestamp,value\n" : "timestamp,value\n");
        final Map<Long, Reading> readings = new LinkedHashMap<>();
        long line = 1;
        int blank = 0;
        for (int i = 0; i < linesPerSensor; i++) {
            final LocalDateTime t = START.plusMinutes(5L * i);
            for (final String sensor : sensors) {
                double v = 700 + 60 * random.nextGaussian() + (i > linesPerSensor * 2 / 3 ? 600 : 0);
                if (random.nextInt(300) == 0) {
                    v = 1990 - random.nextInt(10);
                } else if (random.nextInt(300) == 0) {
                    v = 5 + random.nextInt(10);
                }
                v = Math.round(Math.max(0, Math.min(2000, v)) * 1000) / 1000.0;
                if (sensors.size() > 1) {
                    csv.append(sensor).append(',');
                }
                csv.append(LOCAL.format(t)).append(',').append(v).append('\n');
                line++;
                readings.put(line, new Reading(line, sensor, t.toInstant(ZoneOffset.UTC).toEpochMilli(), v));
            }
            if (i % 613 == 100) {
                csv.append(i % 2 == 0 ? "\n" : " \t \n");
                line++;
                blank++;
            }
        }
        final Path file = Files.writeString(dir.resolve(name), csv, StandardCharsets.UTF_8);
        return new Input(file, readings, blank);
    }

    private static List<OutputRecord> readCsvOutput(final Path file) throws Exception {
        final byte[] bytes = Files.readAllBytes(file);
        assertTrue(bytes.length > 0 && bytes[bytes.length - 1] == '\n', "the output ends with a whole line");
        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals("sensor,timestamp,epochMs,sequence,raw,value,normalized,ewma,delta,zScore,score,flags,anomaly",
            lines.get(0), "the CSV header");
        final String[] header = lines.get(0).split(",");
        final List<OutputRecord> records = new ArrayList<>();
        for (final String l : lines.subList(1, lines.size())) {
            final String[] fields = l.split(",", -1);
            assertEquals(header.length, fields.length, "one field per column: " + l);
            final Map<String, String> columns = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                columns.put(header[i], fields[i]);
            }
            records.add(new OutputRecord(columns));
        }
        return records;
    }

    private static JsonNode last(final List<JsonNode> lines) {
        return lines.get(lines.size() - 1);
    }

    @Test
    void realLookingDataGoesThroughTheInputDefaultWithEveryReadingAndValueIntact() throws Exception {
        final Input in = realLooking("meter.csv", List.of("meter"), 4000);
        final Path out = dir.resolve("records.csv");
        final Path log = dir.resolve("events.log");
        final ProgramRunner.Result r = ProgramRunner.run("run", "--input", in.file().toString(), "--output",
            out.toString(), "--log-file", log.toString(), "--no-jmx");
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("", r.stderr(), "nothing dropped, nothing to warn about");
        assertEquals(0, r.stdoutBytes().length, "events to the log file, records to the output file");
        final List<JsonNode> events = JsonLog.parseDefault(Files.readAllBytes(log));

        final JsonNode started = events.get(0);
        assertEquals("run_started", started.get("event").asText());
        assertEquals(List.of("feature", "adaptive"), JSON.convertValue(started.get("stages"), List.class));
        assertTrue(started.get("calibration").isNull(), "no simulated calibration of real data: " + started);
        assertEquals("auto", started.get("timestampUnit").asText());
        assertTrue(started.get("timestampUnitDecided").isNull(), "ISO timestamps need no unit: " + started);
        assertEquals(out.toString(), started.get("output").asText());
        assertEquals("csv", started.get("outputFormat").asText());

        final JsonNode done = last(events);
        assertEquals("run_completed", done.get("event").asText(), JsonLog.names(events));
        final long n = in.readings().size();
        assertEquals(n, done.get("recordsIn").asLong());
        assertEquals(n, done.get("recordsOut").asLong(), "no reading lost");
        assertEquals(0, done.get("rejected").asLong());
        assertEquals(in.blankLines(), done.get("blankLines").asLong(), "blank lines are counted");
        assertTrue(in.blankLines() >= 5, "the data has blank lines: " + in.blankLines());
        assertEquals(Map.of("feature", 0, "adaptive", 0), JSON.convertValue(done.get("dropped"), Map.class));
        assertEquals(n, done.get("recordsOutput").asLong());
        assertEquals(0, done.get("outputLinesFailed").asLong());
        assertTrue(JsonLog.events(events, "records_dropped").isEmpty(), JsonLog.names(events));

        final List<OutputRecord> records = readCsvOutput(out);
        assertEquals(n, records.size(), "exactly one output line per valid input line");
        long flagged = 0;
        final Map<Long, OutputRecord> bySequence = new HashMap<>();
        for (final OutputRecord rec : records) {
            final long line = Long.parseLong(rec.get("sequence"));
            final Reading reading = in.readings().get(line);
            assertTrue(reading != null, "the sequence is the input line: " + rec.columns());
            assertEquals("meter", rec.get("sensor"), "named after the file");
            assertEquals(reading.value(), rec.number("raw"), "raw is the reading: " + rec.columns());
            assertEquals(reading.value(), rec.number("value"), "and no stage changed it: " + rec.columns());
            assertEquals(reading.epochMs(), Long.parseLong(rec.get("epochMs")));
            assertEquals(Instant.ofEpochMilli(reading.epochMs()).toString().replace("Z", ".000Z"), rec.get("timestamp"));
            assertEquals("", rec.get("normalized"), "no normalize stage: " + rec.columns());
            final double score = rec.number("score");
            assertTrue(score >= 0 && score <= 1, "the detector's score is in [0, 1]: " + rec.columns());
            assertEquals(rec.anomaly(), score >= 0.5, "adaptive flags exactly at its threshold 0.5: " + rec.columns());
            flagged += rec.anomaly() ? 1 : 0;
            bySequence.put(line, rec);
        }
        assertTrue(records.stream().mapToDouble(rec -> rec.number("value")).max().orElse(0) > 1900, "spikes kept");
        assertTrue(records.stream().mapToDouble(rec -> rec.number("value")).min().orElse(0) < 20, "and dips");
        assertEquals(done.get("alerts").asLong(), flagged, "the output's flags are the run's alerts");
        assertTrue(flagged > 0, "the spikes are flagged");

        // each anomaly event is a flagged output record, with its raw value and reading time
        final List<JsonNode> anomalies = JsonLog.events(events, "anomaly_detected");
        assertFalse(anomalies.isEmpty(), JsonLog.names(events));
        long accounted = 0;
        for (final JsonNode a : anomalies) {
            final OutputRecord rec = bySequence.get(a.get("sequence").asLong());
            assertTrue(rec.anomaly(), a.toString());
            assertEquals("adaptive", a.get("component").asText());
            assertEquals(rec.number("raw"), a.get("rawValue").asDouble(), a.toString());
            assertEquals(rec.number("score"), a.get("score").asDouble(), "the event's score is the record's: " + a);
            assertEquals(rec.number("value"), a.get("value").asDouble(), a.toString());
            assertEquals(rec.get("timestamp"), a.get("readingTime").asText(), a.toString());
            assertEquals(Long.parseLong(rec.get("epochMs")), a.get("readingTimestampMs").asLong(), a.toString());
            assertNull(a.get("mean"), "the adaptive detector has no mean and stdev behind its score: " + a);
            accounted += 1 + a.get("suppressed").asLong();
        }
        for (final JsonNode s : JsonLog.events(events, "anomalies_suppressed")) {
            accounted += s.get("suppressed").asLong();
        }
        assertEquals(flagged, accounted, "events + suppressed = flagged");
    }

    /** The same records in JSON lines, anomalies only: one line per flagged record. */
    @Test
    void jsonLinesOfAnomaliesOnlyAreTheFlaggedRecords() throws Exception {
        final Input in = realLooking("meter.csv", List.of("meter"), 3000);
        final Path log = dir.resolve("events.log");
        final ProgramRunner.Result r = ProgramRunner.run("run", "--input", in.file().toString(), "--output", "-",
            "--output-format", "jsonl", "--output-anomalies-only", "--log-file", log.toString(), "--no-jmx");
        assertEquals(0, r.exitCode(), r.stderr());
        final List<JsonNode> records = JsonLog.parse(r.stdoutBytes());
        final JsonNode done = last(JsonLog.parseDefault(Files.readAllBytes(log)));
        assertEquals(done.get("alerts").asLong(), records.size(), "one line per flagged record");
        assertEquals(done.get("recordsOutput").asLong(), records.size());
        assertFalse(records.isEmpty());
        for (final JsonNode rec : records) {
            assertTrue(rec.get("anomaly").asBoolean(), rec.toString());
            assertTrue(rec.get("flags").asText().contains("ANOMALY"), rec.toString());
            final Reading reading = in.readings().get(rec.get("sequence").asLong());
            assertEquals(reading.value(), rec.get("raw").asDouble(), rec.toString());
            assertEquals(reading.value(), rec.get("value").asDouble(), rec.toString());
        }
    }

    /**
     * Three sensors; for every sensor the events plus their suppressed counts plus the final
     * anomalies_suppressed equal the records flagged in the output, with the limit and without.
     */
    @Test
    void anomalyEventsAccountForEveryFlagOfEverySensor() throws Exception {
        final Input in = realLooking("plant.csv", List.of("P1", "P2", "P3"), 3000);
        final Path config = Files.writeString(dir.resolve("zscore.conf"), "feature\nanomaly zThreshold=2\n");
        boolean someSuppressed = false;
        for (final List<String> options : List.of(List.<String>of(), List.of("--config", config.toString()))) {
            for (final String interval : List.of("0", "6h")) {
                final Path out = dir.resolve("records.csv");
                final Path log = dir.resolve("events-" + interval + options.size() + ".log");
                final List<String> args = new ArrayList<>(List.of("run", "--input", in.file().toString(), "--output",
                    out.toString(), "--log-file", log.toString(), "--anomaly-log-interval", interval, "--no-jmx"));
                args.addAll(options);
                final ProgramRunner.Result r = ProgramRunner.run(args.toArray(new String[0]));
                assertEquals(0, r.exitCode(), r.stderr());
                final List<JsonNode> events = JsonLog.parseDefault(Files.readAllBytes(log));
                final Map<String, Long> flagged = new TreeMap<>();
                for (final OutputRecord rec : readCsvOutput(out)) {
                    if (rec.anomaly()) {
                        flagged.merge(rec.get("sensor"), 1L, Long::sum);
                    }
                }
                assertEquals(3, flagged.size(), "every sensor has flags: " + flagged + " " + options);
                assertEquals(last(events).get("alerts").asLong(), flagged.values().stream().mapToLong(Long::longValue).sum());
                final Map<String, Long> accounted = new TreeMap<>();
                final Map<String, Long> logged = new TreeMap<>();
                for (final JsonNode a : JsonLog.events(events, "anomaly_detected")) {
                    accounted.merge(a.get("sensor").asText(), 1 + a.get("suppressed").asLong(), Long::sum);
                    logged.merge(a.get("sensor").asText(), 1L, Long::sum);
                    if ("0".equals(interval)) {
                        assertEquals(0, a.get("suppressed").asLong(), a.toString());
                    }
                    if (!options.isEmpty()) {
                        // the z-score detector is the last stage: the statistics behind the score are given
                        final double mean = a.get("mean").asDouble();
                        final double stdev = a.get("stdev").asDouble();
                        assertEquals((a.get("value").asDouble() - mean) / stdev, a.get("zScore").asDouble(), 1e-3,
                            a.toString());
                    }
                }
                for (final JsonNode s : JsonLog.events(events, "anomalies_suppressed")) {
                    accounted.merge(s.get("sensor").asText(), s.get("suppressed").asLong(), Long::sum);
                    assertEquals(flagged.get(s.get("sensor").asText()), s.get("flagged").asLong(), s.toString());
                    assertEquals(logged.get(s.get("sensor").asText()), s.get("logged").asLong(), s.toString());
                    someSuppressed = true;
                }
                assertEquals(flagged, accounted, "per sensor, events + suppressed = flagged (" + interval + ", "
                    + options + ")");
                if ("0".equals(interval)) {
                    assertEquals(flagged, logged, "--anomaly-log-interval 0: one event per flag");
                    assertTrue(JsonLog.events(events, "anomalies_suppressed").isEmpty(), JsonLog.names(events));
                }
            }
        }
        assertTrue(someSuppressed, "a 6 h limit suppressed some events");
    }

    @Test
    void epochSecondsAreReadAsSecondsAndRunStartedSaysSo() throws Exception {
        final StringBuilder csv = new StringBuilder("timestamp,value\n");
        final long first = 1_386_018_900L; // 2013-12-02T21:15:00Z in seconds
        for (int i = 0; i < 100; i++) {
            csv.append(first + 300L * i).append(',').append(500 + i).append('\n');
        }
        final Path input = Files.writeString(dir.resolve("seconds.csv"), csv);
        final Path out = dir.resolve("records.csv");
        ProgramRunner.Result r = ProgramRunner.run("run", "--input", input.toString(), "--output", out.toString(),
            "--log-file", dir.resolve("auto.log").toString(), "--no-jmx");
        assertEquals(0, r.exitCode(), r.stderr());
        List<JsonNode> events = JsonLog.parseDefault(Files.readAllBytes(dir.resolve("auto.log")));
        assertEquals("auto", events.get(0).get("timestampUnit").asText());
        assertEquals("seconds", events.get(0).get("timestampUnitDecided").asText(), events.get(0).toString());
        assertEquals(2, events.get(0).get("timestampUnitDecidedAtLine").asLong());
        assertEquals("csv(" + input + ", timestampUnit=auto:seconds)", events.get(0).get("source").asText());
        List<OutputRecord> records = readCsvOutput(out);
        assertEquals("2013-12-02T21:15:00.000Z", records.get(0).get("timestamp"), "seconds, not milliseconds");
        assertEquals(first * 1000, Long.parseLong(records.get(0).get("epochMs")));

        // the unit given wins: the same numbers as milliseconds are early 1970
        r = ProgramRunner.run("run", "--input", input.toString(), "--output", out.toString(), "--timestamp-unit", "ms",
            "--log-file", dir.resolve("ms.log").toString(), "--no-jmx");
        assertEquals(0, r.exitCode(), r.stderr());
        events = JsonLog.parseDefault(Files.readAllBytes(dir.resolve("ms.log")));
        assertEquals("milliseconds", events.get(0).get("timestampUnit").asText(), events.get(0).toString());
        records = readCsvOutput(out);
        assertEquals(first, Long.parseLong(records.get(0).get("epochMs")));

        r = ProgramRunner.run("run", "--input", input.toString(), "--timestamp-unit", "minutes");
        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("seconds (s), milliseconds (ms) or microseconds (us)"), r.stderr());
        r = ProgramRunner.run("run", "--batches", "1", "--timestamp-unit", "s");
        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("--timestamp-unit applies to --input"), r.stderr());
    }

    @Test
    void binaryInputAndABadHeaderExitTwoWithOneLineAndAClosingEvent() throws Exception {
        final byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R', 0, 0,
            1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0, 0x5C, 0x72, (byte) 0xA8, 0x66};
        final Path binary = Files.write(dir.resolve("picture.csv"), png);
        final Path badHeader = Files.writeString(dir.resolve("header.csv"), "time,reading\n2013-12-02 21:15:00,5\n");
        for (final Path input : List.of(binary, badHeader)) {
            final Path out = dir.resolve("records-" + input.getFileName());
            final ProgramRunner.Result r = ProgramRunner.run("run", "--input", input.toString(), "--output",
                out.toString(), "--no-jmx");
            assertEquals(2, r.exitCode(), r.stderr());
            final String[] err = r.stderr().split("\n");
            assertEquals(1, err.length, "one line: " + r.stderr());
            assertTrue(err[0].startsWith("pipescope: " + input), r.stderr());
            assertTrue(err[0].contains(input == binary ? "not a CSV text file" : "the header must name the columns"),
                r.stderr());
            assertTrue(err[0].chars().noneMatch(c -> c < 0x20 || c == 0x7F), "no raw control byte on the terminal");
            final List<JsonNode> events = JsonLog.parseDefault(r.stdoutBytes());
            assertEquals("run_started", events.get(0).get("event").asText(), JsonLog.names(events));
            final JsonNode closing = last(events);
            assertEquals("run_failed", closing.get("event").asText(), "the log ends with a closing event");
            assertEquals(input == binary ? "dev.pipescope.source.NotCsvTextException"
                : "dev.pipescope.source.CsvFormatException", closing.get("errorType").asText(), closing.toString());
            assertTrue(closing.get("stage").isNull(), closing.toString());
            assertFalse(Files.exists(out), "no output file for an input that was refused");
        }
    }

    @Test
    void anInputWithoutADataLineSaysSoAndCompletes() throws Exception {
        for (final String text : List.of("timestamp,value\n", "timestamp,value\n\n  \n", "")) {
            final Path input = Files.writeString(dir.resolve("empty.csv"), text);
            final Path out = dir.resolve("records.csv");
            final ProgramRunner.Result r = ProgramRunner.run("run", "--input", input.toString(), "--output",
                out.toString(), "--no-jmx");
            assertEquals(0, r.exitCode(), "an empty export is not an error: " + r.stderr());
            final boolean header = !text.isEmpty();
            assertEquals("pipescope: warning: input " + input + (header ? " has a header but no data line"
                : " is empty (no header, no data line)") + ": nothing to process\n", r.stderr());
            final List<JsonNode> events = JsonLog.parseDefault(r.stdoutBytes());
            final List<JsonNode> empty = JsonLog.events(events, "input_empty");
            assertEquals(1, empty.size(), JsonLog.names(events));
            assertEquals("WARNING", empty.get(0).get("level").asText());
            assertEquals(header, empty.get(0).get("hasHeader").asBoolean());
            final JsonNode done = last(events);
            assertEquals("run_completed", done.get("event").asText());
            assertEquals(0, done.get("recordsIn").asLong());
            assertEquals(text.chars().filter(c -> c == '\n').count() - (header ? 1 : 0), done.get("blankLines").asLong(),
                done.toString());
            assertEquals(List.of("sensor,timestamp,epochMs,sequence,raw,value,normalized,ewma,delta,zScore,score,flags,anomaly"),
                Files.readAllLines(out), "the output is a well-formed CSV with no record");
        }
    }

    @Test
    void aThresholdThatDropsMostReadingsWarnsOnceNamingItsBounds() throws Exception {
        final Input in = realLooking("meter.csv", List.of("meter"), 2000);
        final Path config = Files.writeString(dir.resolve("lecture.conf"), "threshold\nfeature\nanomaly\n");
        final ProgramRunner.Result r = ProgramRunner.run("run", "--input", in.file().toString(), "--config",
            config.toString(), "--no-jmx");
        assertEquals(0, r.exitCode(), r.stderr());
        final List<JsonNode> events = JsonLog.parseDefault(r.stdoutBytes());
        final List<JsonNode> warnings = JsonLog.events(events, "records_dropped");
        assertEquals(1, warnings.size(), JsonLog.names(events));
        final JsonNode w = warnings.get(0);
        assertEquals("WARNING", w.get("level").asText());
        assertEquals("threshold", w.get("stage").asText());
        assertEquals(20.0, w.get("parameters").get("minVal").asDouble());
        assertEquals(80.0, w.get("parameters").get("maxVal").asDouble());
        final JsonNode done = last(events);
        assertEquals(done.get("dropped").get("threshold").asLong(), w.get("dropped").asLong());
        assertEquals(done.get("recordsIn").asLong() - done.get("recordsOut").asLong(), w.get("dropped").asLong());
        assertTrue(w.get("share").asDouble() > 0.9, w.toString());
        assertTrue(w.get("message").asText().contains("readings outside [20.0, 80.0] are dropped"), w.toString());
        assertTrue(events.indexOf(w) < events.size() - 1, "before run_completed");
        assertEquals("pipescope: warning: " + w.get("message").asText() + "\n", r.stderr());
    }

    @Test
    void calibrateWithInputNeedsACalibrationAndSaysHowToGiveOne() throws Exception {
        final Input in = realLooking("meter.csv", List.of("meter"), 10);
        final Path config = Files.writeString(dir.resolve("cal.conf"), "calibrate\nanomaly\n");
        ProgramRunner.Result r = ProgramRunner.run("run", "--input", in.file().toString(), "--config", config.toString());
        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("stage 'calibrate' (calibrate) needs a CalibrationService"), r.stderr());
        assertTrue(r.stderr().contains("--calibration FILE"), r.stderr());
        assertEquals(0, r.stdoutBytes().length, "nothing logged for a pipeline that cannot be assembled");

        r = ProgramRunner.run("run", "--input", in.file().toString(), "--config", config.toString(), "--calibration",
            "simulated", "--no-jmx");
        assertEquals(0, r.exitCode(), "the simulated calibration when named: " + r.stderr());
        assertEquals("simulated", JsonLog.parseDefault(r.stdoutBytes()).get(0).get("calibration").asText());

        r = ProgramRunner.run("run", "--input", in.file().toString(), "--calibration", dir.resolve("none.csv").toString());
        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("calibration file not found"), r.stderr());
    }

    @Test
    void outputToStandardOutputNeedsTheEventLogElsewhere() throws Exception {
        final Input in = realLooking("meter.csv", List.of("meter"), 10);
        ProgramRunner.Result r = ProgramRunner.run("run", "--input", in.file().toString(), "--output", "-");
        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("--log-file"), r.stderr());
        assertEquals(0, r.stdoutBytes().length);

        r = ProgramRunner.run("run", "--input", in.file().toString(), "--output", in.file().toString());
        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("names the input file"), r.stderr());
        assertEquals(10, Files.readAllLines(in.file()).size() - 1, "the input is untouched");

        r = ProgramRunner.run("run", "--batches", "1", "--output-format", "jsonl");
        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("--output-format applies to --output"), r.stderr());
    }

    /**
     * Values are calibrated with the file's gain and offset, and a change of the file reaches the records
     * within the check interval and the cache's time to live (about 2 s); a sensor the file lacks passes
     * uncalibrated, flagged degraded, and is named once.
     */
    @Test
    void aCalibrationFileCalibratesAndItsChangeIsPickedUp() throws Exception {
        final Input in = realLooking("plant.csv", List.of("P1", "P2", "P3"), 500);
        final Path calibration = dir.resolve("calibration.csv");
        Files.writeString(calibration, "sensor,gain,offset\nP1,2.0,1.0\nP2,0.5,-3.0\n");
        final Path out = dir.resolve("records.csv");
        final Path log = dir.resolve("events.log");
        final Path err = dir.resolve("stderr.txt");
        // 1500 records, one per batch, 200 batches a second: some 7.5 s of run, the file changed after about 1.5 s
        final Process process = ProgramRunner.command("run", "--input", in.file().toString(), "--calibration",
                calibration.toString(), "--output", out.toString(), "--log-file", log.toString(), "--batch-size", "1",
                "--rate", "200", "--no-jmx")
            .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(out) || Files.readAllLines(out).size() < 300) {
                assertTrue(process.isAlive() && System.nanoTime() < deadline, "300 records within 60 s");
                Thread.sleep(20);
            }
            final Path tmp = dir.resolve("calibration.tmp");
            Files.writeString(tmp, "sensor,gain,offset\nP1,3.0,0.0\nP2,0.5,-3.0\n");
            Files.move(tmp, calibration, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the run ends");
        } finally {
            process.destroyForcibly();
        }
        assertEquals(0, process.exitValue(), Files.readString(err));
        final List<JsonNode> events = JsonLog.parseDefault(Files.readAllBytes(log));
        assertEquals(List.of("calibrate", "feature", "adaptive"), JSON.convertValue(events.get(0).get("stages"), List.class));
        assertEquals("file(" + calibration + ")", events.get(0).get("calibration").asText());
        final List<JsonNode> reloaded = JsonLog.events(events, "calibration_reloaded");
        assertEquals(1, reloaded.size(), JsonLog.names(events));
        assertEquals(2, reloaded.get(0).get("version").asLong());
        // P3 is named once per version of the file it is asked for in (its open circuit may not ask the second)
        final List<String> missing = JsonLog.events(events, "calibration_missing").stream()
            .map(m -> m.get("sensor").asText()).toList();
        assertTrue(missing.equals(List.of("P3")) || missing.equals(List.of("P3", "P3")), missing.toString());

        final List<OutputRecord> records = readCsvOutput(out);
        assertEquals(in.readings().size(), records.size());
        boolean changed = false;
        long before = 0;
        long after = 0;
        for (final OutputRecord rec : records) {
            final double raw = rec.number("raw");
            final double value = rec.number("value");
            assertEquals(in.readings().get(Long.parseLong(rec.get("sequence"))).value(), raw);
            switch (rec.get("sensor")) {
                case "P1":
                    if (value == raw * 3.0 + 0.0) {
                        changed = true;
                        after++;
                    } else {
                        assertFalse(changed, "once the new calibration is in use, it stays: " + rec.columns());
                        assertEquals(raw * 2.0 + 1.0, value, rec.columns().toString());
                        before++;
                    }
                    assertTrue(rec.get("flags").contains("CALIBRATED"), rec.columns().toString());
                    break;
                case "P2":
                    assertEquals(raw * 0.5 + -3.0, value, rec.columns().toString());
                    break;
                default:
                    assertEquals(raw, value, "no calibration for P3: passed as it is");
                    assertTrue(rec.get("flags").contains("DEGRADED"), rec.columns().toString());
            }
        }
        assertTrue(before >= 100 && after >= 100, "both calibrations were used: " + before + " then " + after);
    }

    /** SIGTERM: the records of every batch the run counted are in the output, whole, and counted. */
    @Test
    void sigtermLeavesEveryRecordOfTheRunInTheOutput() throws Exception {
        final Path out = dir.resolve("records.csv");
        final Path log = dir.resolve("events.log");
        final Process process = ProgramRunner.command("run", "--rate", "200", "--batch-size", "100", "--output",
                out.toString(), "--log-file", log.toString(), "--no-jmx")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(out) || Files.size(out) < 100_000) {
                assertTrue(process.isAlive() && System.nanoTime() < deadline, "records within 60 s");
                Thread.sleep(20);
            }
            process.destroy(); // SIGTERM
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "stops within 30 s of SIGTERM");
        } finally {
            process.destroyForcibly();
        }
        assertEquals(143, process.exitValue());
        final List<JsonNode> events = JsonLog.parseDefault(Files.readAllBytes(log));
        final JsonNode done = last(events);
        assertEquals("run_completed", done.get("event").asText(), JsonLog.names(events));
        assertEquals("stopped", done.get("stopReason").asText());
        final List<OutputRecord> records = readCsvOutput(out);
        assertEquals(done.get("recordsOut").asLong(), records.size(), "every record that left the pipeline");
        assertEquals(done.get("recordsOutput").asLong(), records.size());
        assertEquals(done.get("alerts").asLong(), records.stream().filter(OutputRecord::anomaly).count());
    }
}
