package dev.pipescope.output;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.log.AsyncLogSink;
import dev.pipescope.log.CapturingLogSink;
import dev.pipescope.log.OverflowPolicy;
import dev.pipescope.log.StreamLogSink;
import dev.pipescope.source.CsvRecordSource;
import dev.pipescope.source.TimestampUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class RecordLineSinkTest {
    private static final ObjectMapper STRICT_JSON = new ObjectMapper()
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final DateTimeFormatter ISO_MILLIS =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final List<String> COLUMNS = List.of("sensor", "timestamp", "epochMs", "sequence", "raw", "value",
        "normalized", "ewma", "delta", "zScore", "score", "flags", "anomaly");

    /** Names that need quoting, escaping or multi-byte UTF-8, and the plain kind. */
    private static final String[] NAMES = {
        "boiler", "hall, north", "he said \"hi\"", "\"", "T\u00b0C \u6e29\u5ea6", "\ud83c\udf21\ufe0f sensor",
        " padded ", "tab\tand\nnewline\r", "lone \ud800 surrogate", "line\u2028separator", "back\\slash", "",
    };

    /** One record's expected columns, from the batch. */
    record Expected(String sensor, long epochMs, long sequence, double[] doubles, int flags) {
    }

    private static Expected expected(final SensorRegistry registry, final RecordBatch b, final int i) {
        return new Expected(registry.name(b.sensor[i]), b.timestamp[i], b.sequence[i],
            new double[] {b.raw[i], b.value[i], b.normalized[i], b.ewma[i], b.delta[i], b.zScore[i], b.score[i]},
            b.flags[i]);
    }

    /** A batch exercising every column: special doubles, every flag combination, far instants. */
    private static RecordBatch varied(final SensorRegistry registry, final int size, final long seed) {
        final int[] ids = new int[NAMES.length];
        for (int n = 0; n < NAMES.length; n++) {
            ids[n] = registry.register(NAMES[n]);
        }
        final double[] special = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
            Double.MIN_VALUE, Double.MAX_VALUE, 0.1 + 0.2, 1e-7, 1e7, 21.5, -3.25, 123456789.123};
        final long[] instants = {0L, -1L, 1_386_018_900_000L, 1_386_018_900_123L, -62_135_596_800_000L,
            253_402_300_799_999L, 1_795_773_600_500L};
        final SplittableRandom r = new SplittableRandom(seed);
        final RecordBatch b = new RecordBatch(size);
        for (int i = 0; i < size; i++) {
            final double raw = r.nextInt(4) == 0 ? special[r.nextInt(special.length)] : randomDouble(r);
            b.add(ids[r.nextInt(ids.length)], r.nextInt(3) == 0 ? instants[r.nextInt(instants.length)]
                : r.nextLong(-62_135_596_800_000L, 253_402_300_799_999L), r.nextLong(0, Long.MAX_VALUE), raw);
            b.value[i] = r.nextInt(4) == 0 ? special[r.nextInt(special.length)] : raw * 1.1 + 0.5;
            b.normalized[i] = r.nextInt(3) == 0 ? Double.NaN : r.nextDouble();
            b.ewma[i] = r.nextInt(3) == 0 ? Double.NaN : randomDouble(r);
            b.delta[i] = r.nextInt(3) == 0 ? Double.NaN : randomDouble(r);
            b.zScore[i] = r.nextInt(3) == 0 ? Double.NaN : (r.nextDouble() - 0.5) * 8;
            b.score[i] = r.nextInt(3) == 0 ? Double.NaN : r.nextInt(5) == 0 ? special[r.nextInt(special.length)]
                : r.nextDouble();
            b.flags[i] = r.nextInt(3) == 0 ? 0 : r.nextInt(32) | (r.nextInt(20) == 0 ? 1 << 9 | 1 << 31 : 0);
        }
        return b;
    }

    private static double randomDouble(final SplittableRandom r) {
        if (r.nextBoolean()) {
            final double v = Double.longBitsToDouble(r.nextLong());
            return Double.isFinite(v) ? v : 1.5;
        }
        return (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-10, 10));
    }

    // ---- parsing the output, as documented in RecordFormat -------------------------------------------

    /**
     * Splits one CSV record (its newline removed) by RFC 4180: fields are separated by commas; a field that
     * starts with a quote runs to the next quote not doubled, {@code ""} inside standing for one quote, and
     * must be followed by a comma or the end; any other field runs to the next comma. Fails on anything else.
     */
    static List<String> splitCsv(final String line) {
        final List<String> fields = new ArrayList<>();
        int i = 0;
        while (true) {
            final StringBuilder f = new StringBuilder();
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= line.length()) {
                        fail("unclosed quote: " + line);
                    }
                    final char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < line.length() && line.charAt(i) == '"') {
                            f.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        f.append(c);
                    }
                }
                if (i < line.length() && line.charAt(i) != ',') {
                    fail("text after a closing quote: " + line);
                }
            } else {
                while (i < line.length() && line.charAt(i) != ',') {
                    final char c = line.charAt(i++);
                    assertFalse(c == '"', () -> "a quote inside an unquoted field: " + line);
                    f.append(c);
                }
            }
            fields.add(f.toString());
            if (i == line.length()) {
                return fields;
            }
            i++; // the comma
        }
    }

    /** A whole line: strict UTF-8, one newline at the end and none inside. */
    static String lineText(final String captured) {
        assertTrue(captured.endsWith("\n"), () -> "a line ends with a newline: " + captured);
        final String body = captured.substring(0, captured.length() - 1);
        assertFalse(body.contains("\n") || body.contains("\r"), () -> "a line break inside a line: " + captured);
        return body;
    }

    static String strictUtf8(final byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (final CharacterCodingException e) {
            throw new AssertionError("invalid UTF-8", e);
        }
    }

    /** What CSV makes of a name: control characters and line separators spelled out, lone surrogates lost. */
    static String csvName(final String name) {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            if (c < 0x20 || c >= 0x7F && c <= 0x9F || c == '\u2028' || c == '\u2029') {
                sb.append(String.format("\\u%04X", (int) c));
            } else if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                sb.append(c).append(name.charAt(++i));
            } else {
                sb.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return sb.toString();
    }

    /** What JSON makes of a name: everything kept but lone surrogates. */
    static String jsonName(final String name) {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                sb.append(c).append(name.charAt(++i));
            } else {
                sb.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return sb.toString();
    }

    private static void assertSameDouble(final double expected, final double actual, final String what) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
            () -> what + ": expected " + expected + " but read back " + actual);
    }

    static void assertCsvRecord(final Expected e, final String line) {
        final List<String> f = splitCsv(lineText(line));
        assertEquals(COLUMNS.size(), f.size(), () -> "fields of " + line);
        assertEquals(csvName(e.sensor()), f.get(0), "sensor");
        assertEquals(ISO_MILLIS.format(Instant.ofEpochMilli(e.epochMs())), f.get(1), "timestamp");
        assertEquals(e.epochMs(), Long.parseLong(f.get(2)));
        assertEquals(e.sequence(), Long.parseLong(f.get(3)));
        for (int d = 0; d < 7; d++) {
            final String field = f.get(4 + d);
            final double v = e.doubles()[d];
            if (Double.isFinite(v)) {
                assertSameDouble(v, Double.parseDouble(field), COLUMNS.get(4 + d) + " in " + line);
            } else {
                assertEquals("", field, COLUMNS.get(4 + d) + ": non-finite is an empty field");
            }
        }
        assertEquals(RecordFlagNames.names(e.flags()), f.get(11));
        assertEquals(String.valueOf((e.flags() & RecordBatch.FLAG_ANOMALY) != 0), f.get(12));
    }

    static void assertJsonRecord(final Expected e, final String line) throws IOException {
        final JsonNode node = STRICT_JSON.readTree(lineText(line));
        final List<String> keys = new ArrayList<>();
        for (final Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        assertEquals(COLUMNS, keys, "keys in column order");
        assertEquals(jsonName(e.sensor()), node.get("sensor").textValue());
        assertEquals(ISO_MILLIS.format(Instant.ofEpochMilli(e.epochMs())), node.get("timestamp").textValue());
        assertTrue(node.get("epochMs").isIntegralNumber());
        assertEquals(e.epochMs(), node.get("epochMs").longValue());
        assertEquals(e.sequence(), node.get("sequence").longValue());
        for (int d = 0; d < 7; d++) {
            final JsonNode n = node.get(COLUMNS.get(4 + d));
            final double v = e.doubles()[d];
            if (Double.isFinite(v)) {
                // Jackson reads doubles with Double.parseDouble (exact, and -0.0 keeps its sign)
                assertTrue(n.isDouble(), line);
                assertSameDouble(v, n.doubleValue(), COLUMNS.get(4 + d) + " in " + line);
            } else {
                assertTrue(n.isNull(), COLUMNS.get(4 + d) + ": non-finite is null in " + line);
            }
        }
        assertEquals(RecordFlagNames.names(e.flags()), node.get("flags").textValue());
        assertEquals((e.flags() & RecordBatch.FLAG_ANOMALY) != 0, node.get("anomaly").booleanValue());
    }

    private static RecordLineSink sink(final SensorRegistry registry, final CapturingLogSink lines,
        final RecordFormat format, final boolean anomaliesOnly) {
        return RecordLineSink.builder(registry, lines).format(format).anomaliesOnly(anomaliesOnly).build();
    }

    // ---- the tests -----------------------------------------------------------------------------------

    @Test
    void csvHasAHeaderAndEveryRecordRoundTrips() {
        final SensorRegistry registry = new SensorRegistry(32);
        final RecordBatch batch = varied(registry, 3000, 1);
        final CapturingLogSink lines = new CapturingLogSink();
        final RecordLineSink out = sink(registry, lines, RecordFormat.CSV, false);
        assertTrue(out.headerWritten());
        out.accept(1, batch);
        out.close();

        assertEquals(String.join(",", COLUMNS) + "\n", lines.lines().get(0));
        assertEquals(batch.size() + 1, lines.lines().size());
        for (int i = 0; i < batch.size(); i++) {
            assertCsvRecord(expected(registry, batch, i), lines.lines().get(i + 1));
        }
        assertEquals(batch.size(), out.recordsWritten());
        assertEquals(0, out.recordsDropped());
        assertEquals(0, out.recordsSkipped());
    }

    @Test
    void jsonLinesHaveNoHeaderAndEveryRecordRoundTrips() throws IOException {
        final SensorRegistry registry = new SensorRegistry(32);
        final RecordBatch batch = varied(registry, 3000, 2);
        final CapturingLogSink lines = new CapturingLogSink();
        final RecordLineSink out = sink(registry, lines, RecordFormat.JSONL, false);
        assertFalse(out.headerWritten());
        out.accept(1, batch);
        assertEquals(batch.size(), lines.lines().size());
        for (int i = 0; i < batch.size(); i++) {
            assertJsonRecord(expected(registry, batch, i), lines.lines().get(i));
        }
    }

    @Test
    void trickyNamesAreQuotedAndEscapedRight() throws IOException {
        final SensorRegistry registry = new SensorRegistry(32);
        final RecordBatch batch = new RecordBatch(NAMES.length);
        for (final String name : NAMES) {
            batch.add(registry.register(name), 1_386_018_900_000L, 2, 21.5);
        }
        final CapturingLogSink csv = new CapturingLogSink();
        sink(registry, csv, RecordFormat.CSV, false).accept(1, batch);
        final CapturingLogSink json = new CapturingLogSink();
        sink(registry, json, RecordFormat.JSONL, false).accept(1, batch);

        final String[] expectedCsvPrefix = {
            "boiler,", "\"hall, north\",", "\"he said \"\"hi\"\"\",", "\"\"\"\",", "T\u00b0C \u6e29\u5ea6,",
            "\ud83c\udf21\ufe0f sensor,", "\" padded \",", "tab\\u0009and\\u000Anewline\\u000D,",
            "lone \ufffd surrogate,", "line\\u2028separator,", "back\\slash,", ",",
        };
        final String[] expectedJsonSensor = {
            "{\"sensor\":\"boiler\",", "{\"sensor\":\"hall, north\",", "{\"sensor\":\"he said \\\"hi\\\"\",",
            "{\"sensor\":\"\\\"\",", "{\"sensor\":\"T\u00b0C \u6e29\u5ea6\",", "{\"sensor\":\"\ud83c\udf21\ufe0f sensor\",",
            "{\"sensor\":\" padded \",", "{\"sensor\":\"tab\\tand\\nnewline\\r\",", "{\"sensor\":\"lone \ufffd surrogate\",",
            "{\"sensor\":\"line\\u2028separator\",", "{\"sensor\":\"back\\\\slash\",", "{\"sensor\":\"\",",
        };
        for (int i = 0; i < NAMES.length; i++) {
            final String csvLine = csv.lines().get(i + 1);
            assertTrue(csvLine.startsWith(expectedCsvPrefix[i]), csvLine);
            assertCsvRecord(expected(registry, batch, i), csvLine);
            final String jsonLine = json.lines().get(i);
            assertTrue(jsonLine.startsWith(expectedJsonSensor[i]), jsonLine);
            assertJsonRecord(expected(registry, batch, i), jsonLine);
        }
        assertEquals("boiler,2013-12-02T21:15:00.000Z,1386018900000,2,21.5,21.5,,,,,,,false\n", csv.lines().get(1));
        assertEquals("{\"sensor\":\"boiler\",\"timestamp\":\"2013-12-02T21:15:00.000Z\",\"epochMs\":1386018900000,"
            + "\"sequence\":2,\"raw\":21.5,\"value\":21.5,\"normalized\":null,\"ewma\":null,\"delta\":null,"
            + "\"zScore\":null,\"score\":null,\"flags\":\"\",\"anomaly\":false}\n", json.lines().get(0));
    }

    @ParameterizedTest
    @EnumSource(RecordFormat.class)
    void anomaliesOnlyWritesExactlyTheFlaggedRecords(final RecordFormat format) throws IOException {
        final SensorRegistry registry = new SensorRegistry(32);
        final RecordBatch batch = varied(registry, 2000, 3);
        final int flagged = batch.countFlagged(RecordBatch.FLAG_ANOMALY);
        assertTrue(flagged > 100 && flagged < batch.size() - 100, "a mix: " + flagged);
        final CapturingLogSink lines = new CapturingLogSink();
        final RecordLineSink out = sink(registry, lines, format, true);
        out.accept(1, batch);
        out.accept(2, batch);

        final List<String> records = format == RecordFormat.CSV ? lines.lines().subList(1, lines.lines().size())
            : lines.lines();
        assertEquals(2 * flagged, records.size());
        int k = 0;
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < batch.size(); i++) {
                if ((batch.flags[i] & RecordBatch.FLAG_ANOMALY) != 0) {
                    final String line = records.get(k++);
                    if (format == RecordFormat.CSV) {
                        assertCsvRecord(expected(registry, batch, i), line);
                    } else {
                        assertJsonRecord(expected(registry, batch, i), line);
                    }
                }
            }
        }
        assertEquals(2L * flagged, out.recordsWritten());
        assertEquals(2L * (batch.size() - flagged), out.recordsSkipped());
        assertTrue(out.anomaliesOnly());
        assertEquals(format, out.format());
    }

    @Test
    void flagNamesComeMostTellingFirst() {
        assertEquals("", RecordFlagNames.names(0));
        assertEquals("ANOMALY|DEGRADED", RecordFlagNames.names(RecordBatch.FLAG_DEGRADED | RecordBatch.FLAG_ANOMALY));
        assertEquals("ANOMALY|INVALID|DEGRADED|STALE_CALIBRATION|CALIBRATED", RecordFlagNames.names(31));
        assertEquals("CALIBRATED|BIT9|BIT31", RecordFlagNames.names(RecordBatch.FLAG_CALIBRATED | 1 << 9 | 1 << 31));
        assertEquals(RecordFlagNames.MAX_LENGTH, RecordFlagNames.names(-1).length());
    }

    @Test
    void aVeryLongNameGrowsTheLineOnceAndTheLineStaysWhole() {
        final SensorRegistry registry = new SensorRegistry(4);
        final String longName = "\u6e29,".repeat(20_000);
        final RecordBatch batch = new RecordBatch(3);
        batch.add(registry.register("short"), 0, 1, 1);
        batch.add(registry.register(longName), 0, 2, 2);
        batch.add(0, 0, 3, 3);
        final CapturingLogSink lines = new CapturingLogSink();
        sink(registry, lines, RecordFormat.CSV, false).accept(1, batch);
        assertEquals(4, lines.lines().size());
        for (int i = 0; i < 3; i++) {
            assertCsvRecord(expected(registry, batch, i), lines.lines().get(i + 1));
        }
    }

    @Test
    void throughAnAsyncRingToAStreamNoLineIsTornOrLost() throws IOException {
        final SensorRegistry registry = new SensorRegistry(32);
        final RecordBatch batch = varied(registry, 1000, 4);
        for (final RecordFormat format : RecordFormat.values()) {
            final ByteArrayOutputStream file = new ByteArrayOutputStream();
            // a small ring with WAIT: the producer outruns the writer thread, and still nothing may be lost
            final AsyncLogSink ring = AsyncLogSink.start(StreamLogSink.forStream(file, false, true), 1 << 14,
                OverflowPolicy.WAIT, true);
            final RecordLineSink out = RecordLineSink.builder(registry, ring).format(format).build();
            for (int b = 1; b <= 20; b++) {
                out.accept(b, batch);
            }
            out.close();
            assertEquals(20L * batch.size(), out.recordsWritten());
            assertEquals(0, out.recordsDropped());

            final String text = strictUtf8(file.toByteArray());
            assertTrue(text.endsWith("\n"), "the last line is whole");
            final String[] lines = text.split("\n", -1);
            final int first = format == RecordFormat.CSV ? 1 : 0;
            assertEquals(first + 20 * batch.size() + 1, lines.length, format.label());
            for (int k = first; k < lines.length - 1; k++) {
                final int i = (k - first) % batch.size();
                if (format == RecordFormat.CSV) {
                    assertCsvRecord(expected(registry, batch, i), lines[k] + "\n");
                } else {
                    assertJsonRecord(expected(registry, batch, i), lines[k] + "\n");
                }
            }
        }
    }

    @Test
    void theCsvOutputCanBeReadBackAsInput() {
        final SensorRegistry registry = new SensorRegistry(8);
        final RecordBatch batch = new RecordBatch(4);
        batch.add(registry.register("hall, north"), 1_386_018_900_123L, 2, 20.0);
        batch.value[0] = 22.5;
        batch.add(registry.register("T\u00b0C \u6e29\u5ea6"), -5, 3, 0.1 + 0.2);
        batch.add(registry.register("he said \"hi\""), 1_795_773_600_000L, 4, -0.0);
        final ByteArrayOutputStream file = new ByteArrayOutputStream();
        final RecordLineSink out = RecordLineSink.builder(registry, StreamLogSink.forStream(file, false, true)).build();
        out.accept(1, batch);
        out.close();

        final SensorRegistry again = new SensorRegistry(8);
        final CsvRecordSource in = CsvRecordSource.builder("out.csv", again).timestampUnit(TimestampUnit.AUTO)
            .rejectListener((line, reason, input) -> fail(line + ": " + reason + ": " + input))
            .build(new ByteArrayInputStream(file.toByteArray()));
        final RecordBatch read = new RecordBatch(4);
        assertEquals(3, in.fill(read));
        for (int i = 0; i < 3; i++) {
            assertEquals(registry.name(batch.sensor[i]), again.name(read.sensor[i]));
            assertEquals(batch.timestamp[i], read.timestamp[i]);
            assertSameDouble(batch.value[i], read.raw[i], "the written value is read as the reading");
        }
    }

    @Test
    void afterCloseBatchesAreDroppedAndCountedAndTheLineSinkIsClosedOnlyIfOwned() {
        final SensorRegistry registry = new SensorRegistry(4);
        final RecordBatch batch = new RecordBatch(2);
        batch.add(registry.register("a"), 0, 1, 1);
        batch.add(0, 0, 2, 2);
        final ByteArrayOutputStream file = new ByteArrayOutputStream();
        final StreamLogSink stream = StreamLogSink.forStream(file, false, true);
        final RecordLineSink out = RecordLineSink.builder(registry, stream).format(RecordFormat.JSONL)
            .closeLines(false).build();
        out.accept(1, batch);
        out.close();
        out.close(); // idempotent
        out.accept(2, batch);
        assertEquals(2, out.recordsWritten());
        assertEquals(2, out.recordsDropped());
        assertEquals(2, new String(file.toByteArray(), StandardCharsets.UTF_8).split("\n").length, "flushed on close");
        assertTrue(stream.write(new org.agrona.concurrent.UnsafeBuffer(new byte[] {'x', '\n'}), 0, 2),
            "a line sink not owned stays open");
        assertEquals(stream, out.lines());
    }

    @Test
    void aRefusingLineSinkCountsDroppedRecords() {
        final SensorRegistry registry = new SensorRegistry(4);
        final RecordBatch batch = new RecordBatch(3);
        batch.add(registry.register("a"), 0, 1, 1);
        batch.add(0, 0, 2, 2);
        batch.add(0, 0, 3, 3);
        final StreamLogSink closedStream = StreamLogSink.forStream(new ByteArrayOutputStream(), false, true);
        closedStream.close();
        final RecordLineSink out = RecordLineSink.builder(registry, closedStream).build();
        assertFalse(out.headerWritten());
        out.accept(1, batch);
        assertEquals(0, out.recordsWritten());
        assertEquals(3, out.recordsDropped());
    }

    @Test
    void formatsReadFromTheCommandLine() {
        assertEquals(RecordFormat.CSV, RecordFormat.parse("CSV"));
        assertEquals(RecordFormat.JSONL, RecordFormat.parse(" jsonl"));
        assertEquals(RecordFormat.JSONL, RecordFormat.parse("ndjson"));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecordFormat.parse("xml"));
        assertEquals("output format must be csv or jsonl, was 'xml'", e.getMessage());
        for (final RecordFormat f : RecordFormat.values()) {
            assertEquals(f, RecordFormat.parse(f.label()));
        }
        assertNull(RecordEncoder.of(RecordFormat.JSONL).header());
    }
}
