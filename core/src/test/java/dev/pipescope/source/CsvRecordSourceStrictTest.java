package dev.pipescope.source;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Blank lines, timestamp units, escaped error texts, binary and empty inputs. */
class CsvRecordSourceStrictTest {

    /** One record as read. */
    record Row(String sensor, long timestamp, long sequence, double value) {
    }

    /** One rejected line. */
    record Rejection(long line, String reason, String input) {
    }

    /** A source over bytes plus everything it reported. */
    static final class Run {
        final SensorRegistry registry = new SensorRegistry(16);
        final List<Rejection> rejections = new ArrayList<>();
        final List<Row> rows = new ArrayList<>();
        final CsvRecordSource source;

        Run(final byte[] bytes, final TimestampUnit unit) {
            source = CsvRecordSource.builder("in.csv", registry).singleSensorName("single").timestampUnit(unit)
                .rejectListener((line, reason, input) -> rejections.add(
                    new Rejection(line, reason.toString(), input.toString())))
                .build(new ByteArrayInputStream(bytes));
        }

        Run(final String text, final TimestampUnit unit) {
            this(text.getBytes(StandardCharsets.UTF_8), unit);
        }

        Run readAll() {
            final RecordBatch batch = new RecordBatch(3);
            while (source.fill(batch) > 0) {
                for (int i = 0; i < batch.size(); i++) {
                    rows.add(new Row(registry.name(batch.sensor[i]), batch.timestamp[i], batch.sequence[i],
                        batch.value[i]));
                }
            }
            assertTrue(source.isExhausted());
            // every line is accounted for, exactly once
            assertEquals(source.lines(), source.blankLines() + (source.hasHeader() ? 1 : 0) + source.accepted()
                + source.rejected(), "lines = blank + header + accepted + rejected");
            assertEquals(rows.size(), source.accepted());
            assertEquals(rejections.size(), source.rejected());
            for (final Rejection r : rejections) {
                assertDisplaySafe(r.input());
            }
            return this;
        }
    }

    /** No raw control character, no lone surrogate: safe to print anywhere. */
    static void assertDisplaySafe(final String s) {
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            assertFalse(c < 0x20 || c >= 0x7F && c <= 0x9F, () -> "raw control character in: " + s);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else {
                assertFalse(Character.isSurrogate(c), () -> "lone surrogate in: " + s);
            }
        }
    }

    private static byte[] bytes(final Object... parts) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final Object p : parts) {
            if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else {
                out.writeBytes((byte[]) p);
            }
        }
        return out.toByteArray();
    }

    private static byte[] hex(final String hex) {
        return HexFormat.of().parseHex(hex);
    }

    // ---- blank lines -------------------------------------------------------------------------------

    @Test
    void blankLinesAreCountedWhereverTheyAre() {
        final Run run = new Run("\n  \n\t\r\nsensor,timestamp,value\n\nA,1,1\n \t \nA,2,2\n\r\n\n", TimestampUnit.MILLISECONDS)
            .readAll();
        assertEquals(List.of(new Row("A", 1, 6, 1.0), new Row("A", 2, 8, 2.0)), run.rows);
        assertEquals(7, run.source.blankLines());
        assertEquals(10, run.source.lines());
        assertEquals(0, run.source.rejected());
        assertEquals(7, ((RecordSource) run.source).blankLines(), "visible through RecordSource too");
    }

    @Test
    void aLineOfControlCharactersIsNotBlankItIsRejectedAndShownEscaped() {
        final Run run = new Run("sensor,timestamp,value\n\u0001\u0002\nA,1,1\n\u000b\f\n" + "A,2,2\n".repeat(10),
            TimestampUnit.MILLISECONDS).readAll();
        assertEquals(0, run.source.blankLines());
        assertEquals(List.of(new Rejection(2, "too few fields for the header's columns", "\\u0001\\u0002"),
            new Rejection(4, "too few fields for the header's columns", "\\u000B\\u000C")), run.rejections);
    }

    // ---- timestamp units ---------------------------------------------------------------------------

    @Test
    void epochSecondsAreReadAsSecondsWithAuto() {
        // the example: 2013-12-02 21:15:00 UTC, which milliseconds made 1970-01-17
        final String csv = "sensor,timestamp,value\nA,1386018900,1.5\nA,1386018960.5,2\n";
        final Run auto = new Run(csv, TimestampUnit.AUTO);
        assertEquals("csv(in.csv, timestampUnit=auto)", auto.source.describe(), "nothing read yet");
        auto.source.open();
        assertEquals(TimestampUnit.SECONDS, auto.source.timestampUnitDecided(), "decided by open(), before any batch");
        assertEquals(2, auto.source.timestampUnitDecidedAtLine());
        assertEquals("csv(in.csv, timestampUnit=auto:seconds)", auto.source.describe());
        auto.readAll();
        final long t = Instant.parse("2013-12-02T21:15:00Z").toEpochMilli();
        assertEquals(List.of(new Row("A", t, 2, 1.5), new Row("A", t + 60_500, 3, 2.0)), auto.rows);
        assertEquals(TimestampUnit.AUTO, auto.source.timestampUnit());

        final Run millis = new Run(csv, TimestampUnit.MILLISECONDS).readAll();
        assertEquals(1_386_018_900L, millis.rows.get(0).timestamp(), "as asked");
        assertEquals("csv(in.csv, timestampUnit=milliseconds)", millis.source.describe());
        assertEquals(0, millis.source.timestampUnitDecidedAtLine(), "nothing to decide");
    }

    @Test
    void autoWaitsForTheFirstNumericTimestampEvenPastIsoLinesAndRejections() {
        final String csv = "sensor,timestamp,value\n\n"
            + "A,2026-11-27T10:00:00Z,1\n"      // 3: ISO needs no unit
            + "A,99999999999999999999,2\n"     // 4: out of range in every unit: decides nothing
            + "A,1795773600000,3\n"            // 5: ms
            + "A,1795773600,4\n";              // 6: read as ms too, one input one unit
        final Run run = new Run(csv, TimestampUnit.AUTO);
        run.source.open();
        assertEquals(TimestampUnit.AUTO, run.source.timestampUnitDecided());
        run.readAll();
        assertEquals(TimestampUnit.MILLISECONDS, run.source.timestampUnitDecided());
        assertEquals(5, run.source.timestampUnitDecidedAtLine());
        final long t = Instant.parse("2026-11-27T10:00:00Z").toEpochMilli();
        assertEquals(List.of(new Row("A", t, 3, 1.0), new Row("A", t, 5, 3.0), new Row("A", 1_795_773_600L, 6, 4.0)),
            run.rows);
        assertEquals(1, run.rejections.size());
        assertTrue(run.rejections.get(0).reason().contains("out of range"), run.rejections.get(0).reason());
    }

    @Test
    void theBuildersDefaultUnitIsAuto() {
        final SensorRegistry registry = new SensorRegistry(2);
        final CsvRecordSource source = CsvRecordSource.builder("x.csv", registry)
            .build(new StringReader("timestamp,value\n1386018900,1\n"));
        assertEquals(TimestampUnit.AUTO, source.timestampUnit());
        final RecordBatch batch = new RecordBatch(2);
        assertEquals(1, source.fill(batch));
        assertEquals(1_386_018_900_000L, batch.timestamp[0]);
        assertEquals("x.csv", registry.name(batch.sensor[0]), "the single sensor is named like the input");
        assertEquals("x.csv", source.inputName());
    }

    // ---- escaped error texts -----------------------------------------------------------------------

    @Test
    void invalidBytesAndControlCharactersAreRejectedAndShownEscaped() {
        final byte[] csv = bytes("sensor,timestamp,value\n",
            "caf", hex("e9"), ",1,1\n",                      // 2: latin-1 in a new sensor name
            "A,1,", hex("ff"), "\n",                          // 3: a bad byte as the value
            "A\u001b[31m,1,1\n",                              // 4: a terminal escape sequence in a name
            "A,1,1\u007f\n",                                  // 5: DEL after the value
            "A,1,\u202e1\n",                                  // 6: a bidi override before the value
            "\u00e9t\u00e9 \ud83c\udf21,1,1\n");               // 7: fine: UTF-8 and a supplementary char
        final Run run = new Run(csv, TimestampUnit.MILLISECONDS).readAll();
        assertEquals(List.of(
            new Rejection(2, "sensor name holds bytes that are not UTF-8", "caf\\xE9,1,1"),
            new Rejection(3, "value is not a number", "A,1,\\xFF"),
            new Rejection(4, "sensor name holds a control character", "A\\u001B[31m,1,1"),
            new Rejection(5, "value is not a number", "A,1,1\\u007F"),
            new Rejection(6, "value is not a number", "A,1,\\u202E1")), run.rejections);
        assertEquals(List.of(new Row("\u00e9t\u00e9 \ud83c\udf21", 1, 7, 1.0)), run.rows);
        assertEquals(1, run.registry.size(), "no bad name was registered, nor a good one of a rejected line");
    }

    @Test
    void textFromAReaderShowsLoneSurrogatesAsUnicodeEscapes() {
        final List<Rejection> rejections = new ArrayList<>();
        final CsvRecordSource source = CsvRecordSource.builder("r", new SensorRegistry(4))
            .timestampUnit(TimestampUnit.MILLISECONDS)
            .rejectListener((line, reason, input) -> rejections.add(new Rejection(line, reason.toString(),
                input.toString())))
            .build(new StringReader("sensor,timestamp,value\nA\udce9,1,1\n\tB\t,1,x\t\n"));
        source.fill(new RecordBatch(4));
        assertEquals(List.of(new Rejection(2, "sensor name holds bytes that are not UTF-8", "A\\uDCE9,1,1"),
            new Rejection(3, "value is not a number", "\\u0009B\\u0009,1,x\\u0009")), rejections);
    }

    @Test
    void headerErrorsQuoteTheHeaderEscaped() {
        final CsvFormatException e = assertThrows(CsvFormatException.class,
            () -> new Run(bytes("sens", hex("f6"), "r,\u0007time,value\n", "A,1,1\n".repeat(10)), TimestampUnit.AUTO)
                .readAll());
        assertTrue(e.getMessage().startsWith("in.csv:1: the header must name the columns"), e.getMessage());
        assertTrue(e.getMessage().endsWith("found 'sens\\xF6r,\\u0007time,value'"), e.getMessage());
        assertEquals("in.csv", e.inputName());
        assertEquals(1, e.line());
        assertDisplaySafe(e.getMessage());
    }

    @Test
    void aHeaderNamingANeededColumnTwiceIsRefused() {
        final CsvFormatException e = assertThrows(CsvFormatException.class,
            () -> new Run("sensor,timestamp,value,Value\nA,1,2,3\n", TimestampUnit.AUTO).readAll());
        assertTrue(e.getMessage().contains("the header names the column 'value' twice"), e.getMessage());
    }

    @Test
    void aByteOrderMarkIsSkipped() {
        final Run run = new Run(bytes(hex("efbbbf"), "sensor,timestamp,value\nA,1,1\n"), TimestampUnit.MILLISECONDS)
            .readAll();
        assertEquals(List.of(new Row("A", 1, 2, 1.0)), run.rows);
        final CsvRecordSource fromReader = CsvRecordSource.builder("r", new SensorRegistry(2))
            .build(new StringReader("\ufefftimestamp,value\n2026-11-27,1\n"));
        assertEquals(1, fromReader.fill(new RecordBatch(2)));
    }

    // ---- binary input ------------------------------------------------------------------------------

    @Test
    void aPngIsNotACsvTextFile() {
        final byte[] png = bytes(hex("89504e470d0a1a0a0000000d49484452"), new byte[600]);
        final Run run = new Run(png, TimestampUnit.AUTO);
        final NotCsvTextException e = assertThrows(NotCsvTextException.class, run.source::open);
        assertEquals("in.csv: not a CSV text file: it holds NUL characters (the first is character 9);"
            + " it starts with \"\\x89PNG\\u000D\\u000A\\u001A\\u000A\\u0000\\u0000\\u0000\\u000DIHDR"
            + "\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000"
            + "\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000...\"", e.getMessage());
        assertTrue(e instanceof CsvFormatException, "a program handling CsvFormatException as usage covers it");
        assertEquals(0, e.line());
        assertSame(e, assertThrows(NotCsvTextException.class, run.source::open), "open() repeats its verdict");
        assertSame(e, assertThrows(NotCsvTextException.class, () -> run.source.fill(new RecordBatch(2))));
        assertTrue(run.source.isExhausted());
    }

    @Test
    void randomBytesWithoutNulAreStillNotText() {
        final SplittableRandom r = new SplittableRandom(1951);
        final byte[] noise = new byte[4096];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (byte) (1 + r.nextInt(255));
        }
        final NotCsvTextException e = assertThrows(NotCsvTextException.class,
            () -> new Run(noise, TimestampUnit.AUTO).source.open());
        assertTrue(e.getMessage().matches("in\\.csv: not a CSV text file: \\d+ of its first 1024 characters are"
            + " bytes that are not UTF-8 or control characters; it starts with \".*\""), e.getMessage());
        assertDisplaySafe(e.getMessage());
    }

    @Test
    void utf16IsRecognised() {
        final byte[] utf16 = "\ufeffsensor,timestamp,value\nA,1,1\n".getBytes(StandardCharsets.UTF_16LE);
        final NotCsvTextException e = assertThrows(NotCsvTextException.class,
            () -> new Run(utf16, TimestampUnit.AUTO).source.open());
        assertTrue(e.getMessage().contains("(it looks like UTF-16: save it as UTF-8)"), e.getMessage());
    }

    @Test
    void aFewBadBytesOrALateNulDoNotMakeTextBinary() {
        final StringBuilder lines = new StringBuilder("sensor,timestamp,value\n");
        for (int i = 0; i < 300; i++) {
            lines.append("S,").append(i).append(",1\n");
        }
        // a latin-1 name on line 2 (one byte in 1 KB), and a NUL well past the first KB
        final Run run = new Run(bytes("sensor,timestamp,value\nk", hex("f6"), "ln,1,1\n",
            lines.substring("sensor,timestamp,value\n".length()), "A,1,\u0000\n"), TimestampUnit.MILLISECONDS).readAll();
        assertEquals(300, run.rows.size());
        assertEquals(List.of(new Rejection(2, "sensor name holds bytes that are not UTF-8", "k\\xF6ln,1,1"),
            new Rejection(303, "value is not a number", "A,1,\\u0000")), run.rejections);
    }

    @Test
    void aSlowStreamIsJudgedOnItsFirstLineWithoutWaitingForAKilobyte() {
        // a pipe delivering one line at a time must not block open() until 1 KB has arrived
        final byte[] all = "sensor,timestamp,value\nA,1,1\n".getBytes(StandardCharsets.UTF_8);
        final int[] served = {0};
        final InputStream lineAtATime = new InputStream() {
            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(final byte[] b, final int off, final int len) {
                if (served[0] == all.length) {
                    return -1;
                }
                int n = 0;
                while (n < len && served[0] < all.length) {
                    b[off + n++] = all[served[0]++];
                    if (all[served[0] - 1] == '\n') {
                        break;
                    }
                }
                return n;
            }
        };
        final CsvRecordSource source = CsvRecordSource.builder("pipe", new SensorRegistry(2)).build(lineAtATime);
        source.open();
        assertTrue(served[0] <= all.length);
        assertTrue(source.hasHeader());
        assertFalse(source.isEmptyInput());
    }

    // ---- empty input -------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "  \n\t\n", "\r\n"})
    void anEmptyOrBlankInputIsEmptyAndHasNoHeader(final String text) {
        final Run run = new Run(text, TimestampUnit.AUTO);
        assertTrue(run.source.isEmptyInput());
        assertFalse(run.source.hasHeader());
        run.readAll();
        assertEquals(0, run.source.accepted());
        assertEquals(text.isEmpty() ? 0 : text.split("\n", -1).length - 1, run.source.blankLines());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sensor,timestamp,value", "sensor,timestamp,value\n", "\nsensor,timestamp,value\n\n \n"})
    void aHeaderAloneIsAnEmptyInputWithAHeader(final String text) {
        final Run run = new Run(text, TimestampUnit.AUTO);
        assertTrue(run.source.isEmptyInput());
        assertTrue(run.source.hasHeader());
        assertEquals(0, run.readAll().rows.size());
    }

    @Test
    void rejectedLinesAloneDoNotMakeAnInputEmpty() {
        final Run run = new Run("sensor,timestamp,value\nA,x,1\n", TimestampUnit.AUTO);
        assertFalse(run.source.isEmptyInput());
        run.readAll();
        assertEquals(0, run.source.accepted());
        assertEquals(1, run.source.rejected());
    }

    @Test
    void openLooksAheadWithoutLosingOrRenumberingTheFirstLine() {
        final Run run = new Run("\nsensor,timestamp,value\n\n\nA,1386018900,7\nA,1386018901,8\n", TimestampUnit.AUTO);
        run.source.open();
        run.source.open(); // idempotent
        assertEquals(4, run.source.lines(), "blank lines before the first data line are read, that line is not");
        assertEquals(3, run.source.blankLines());
        run.readAll();
        assertEquals(List.of(new Row("A", 1_386_018_900_000L, 5, 7.0), new Row("A", 1_386_018_901_000L, 6, 8.0)),
            run.rows);
        assertEquals(5, run.source.timestampUnitDecidedAtLine());
    }
}
