package dev.pipescope.source;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvRecordSourceTest {
    private static final long T0 = Instant.parse("2026-11-27T10:00:00Z").toEpochMilli();

    /** One record as read, with its sensor name resolved. */
    record Row(String sensor, long timestamp, long sequence, double value) {
    }

    /** One rejected line. */
    record Rejection(long line, String reason, String input) {
    }

    /** Reads a whole input through batches of {@code batchSize}. */
    static final class Read {
        final SensorRegistry registry;
        final List<Row> rows = new ArrayList<>();
        final List<Rejection> rejections = new ArrayList<>();
        final CsvRecordSource source;
        int fills;

        Read(final String csv, final int batchSize) {
            this(csv, batchSize, new SensorRegistry(64), "single");
        }

        Read(final String csv, final int batchSize, final SensorRegistry registry, final String singleName) {
            this.registry = registry;
            source = new CsvRecordSource(new StringReader(csv), "in.csv", registry, singleName,
                (line, reason, input) -> rejections.add(new Rejection(line, reason.toString(), input.toString())));
            final RecordBatch batch = new RecordBatch(batchSize);
            while (true) {
                final int n = source.fill(batch);
                fills++;
                assertEquals(n, batch.size());
                for (int i = 0; i < n; i++) {
                    rows.add(new Row(registry.name(batch.sensor[i]), batch.timestamp[i], batch.sequence[i],
                        batch.value[i]));
                }
                if (n == 0) {
                    assertTrue(source.isExhausted());
                    break;
                }
                if (n < batchSize) {
                    assertTrue(source.isExhausted(), "a short batch only at the end of the input");
                }
            }
            assertEquals(0, source.fill(batch), "an exhausted source stays empty");
            source.close();
        }
    }

    @Test
    void malformedLinesAmongGoodOnesAreReportedWithTheirLineNumbers() {
        final StringBuilder csv = new StringBuilder("sensor,timestamp,value\n");
        final List<Long> badLines = List.of(10L, 500L, 1003L);
        final List<String> badText = List.of("S1,2026-11-27T10:00:00Z,abc", "S2,2026-11-27T10:00:00Z",
            "S3,2026-13-01T00:00:00Z,5");
        long line = 1;
        int good = 0;
        int bad = 0;
        while (good < 1000 || bad < 3) {
            line++;
            if (bad < 3 && line == badLines.get(bad)) {
                csv.append(badText.get(bad++)).append('\n');
            } else {
                csv.append('S').append(line % 7).append(',').append(T0 + line).append(',')
                    .append(line).append(".25\n");
                good++;
            }
        }
        final Read read = new Read(csv.toString(), 64);
        assertEquals(1000, read.rows.size());
        assertEquals(3, read.rejections.size());
        assertEquals(3, read.source.rejected());
        assertEquals(1000, read.source.accepted());
        assertEquals(1004, read.source.lines());
        assertEquals(new Rejection(10, "value is not a number", badText.get(0)), read.rejections.get(0));
        assertEquals(500, read.rejections.get(1).line());
        assertTrue(read.rejections.get(1).reason().contains("too few fields"), read.rejections.get(1).reason());
        assertEquals(badText.get(1), read.rejections.get(1).input());
        assertEquals(new Rejection(1003, "timestamp date does not exist", badText.get(2)), read.rejections.get(2));
        for (final Row row : read.rows) {
            final long l = row.sequence();
            assertTrue(!badLines.contains(l) && l >= 2 && l <= 1004, "sequence is the line number: " + l);
            assertEquals("S" + (l % 7), row.sensor());
            assertEquals(T0 + l, row.timestamp());
            assertEquals(l + 0.25, row.value(), "values are exact");
        }
        assertEquals(7, read.registry.size());
    }

    @Test
    void columnsMayComeInAnyOrderWithExtraColumns() {
        final Read reordered = new Read("value,sensor,timestamp\n1.5,A,2026-11-27T10:00:00Z\n-2,B,1000\n", 8);
        assertEquals(List.of(new Row("A", T0, 2, 1.5), new Row("B", 1000, 3, -2.0)), reordered.rows);

        final Read extra = new Read(" ID , Sensor ,unit,TIMESTAMP, value ,comment\n"
            + "7,A,degC,2026-11-27T10:00:00Z,21.5,fine\n8,B,degC,2026-11-27T10:00:01Z,22.5,\n", 8);
        assertEquals(List.of(new Row("A", T0, 2, 21.5), new Row("B", T0 + 1000, 3, 22.5)), extra.rows);
        assertEquals(0, extra.rejections.size());
    }

    @Test
    void timestampValueHeaderReadsASingleNamedSensor() {
        final Read read = new Read("timestamp,value\n2026-11-27T10:00:00Z,1\n2026-11-27T10:00:01.5Z,2\n", 8,
            new SensorRegistry(4), "boiler.csv");
        assertEquals(List.of(new Row("boiler.csv", T0, 2, 1.0), new Row("boiler.csv", T0 + 1500, 3, 2.0)), read.rows);
        assertEquals(1, read.registry.size());
    }

    @Test
    void crlfBlankLinesAndAMissingFinalNewline() {
        final String csv = "\r\n  \n" + "sensor,timestamp,value\r\n" + "A,1000,1.5\r\n" + "\r\n" + "   \t \r\n"
            + "B,2000,2.5\r\n" + "\n" + "C,3000,3.5";
        final Read read = new Read(csv, 8);
        assertEquals(List.of(new Row("A", 1000, 4, 1.5), new Row("B", 2000, 7, 2.5), new Row("C", 3000, 9, 3.5)),
            read.rows);
        assertEquals(0, read.rejections.size(), read.rejections.toString());
        assertEquals(List.of("A", "B", "C"), List.of(read.registry.name(0), read.registry.name(1), read.registry.name(2)));
    }

    @Test
    void lastLineWithoutNewlineIsNotLostAndNeitherIsARejection() {
        assertEquals(List.of(new Row("A", 5, 2, 7.0)), new Read("sensor,timestamp,value\nA,5,7", 4).rows);
        final Read bad = new Read("sensor,timestamp,value\nA,5,7\nA,5,x", 4);
        assertEquals(List.of(new Rejection(3, "value is not a number", "A,5,x")), bad.rejections);
    }

    @Test
    void quotedFieldsWithCommasAndDoubledQuotes() {
        final String csv = "sensor,timestamp,value,note\n"
            + "\"hall, north\",1000,\"1.25\",\"a, b\"\n"
            + "\"he said \"\"hi\"\"\",2000,2,x\n"
            + "\"\"\"\",3000,3,\"\"\n"
            + "  \" padded \" ,4000, 4 ,\n";
        final Read read = new Read(csv, 8);
        assertEquals(0, read.rejections.size(), read.rejections.toString());
        assertEquals(List.of(new Row("hall, north", 1000, 2, 1.25), new Row("he said \"hi\"", 2000, 3, 2.0),
            new Row("\"", 3000, 4, 3.0), new Row("padded", 4000, 5, 4.0)), read.rows);
    }

    @Test
    void linesSplitAcrossTheReadBufferBoundaryAreReadWhole() {
        final SplittableRandom r = new SplittableRandom(99);
        final StringBuilder csv = new StringBuilder("sensor,timestamp,value,padding\n");
        final List<Row> expected = new ArrayList<>();
        for (int line = 2; csv.length() < 400_000; line++) {
            final String sensor = "sensor-" + r.nextInt(40);
            final long ts = T0 + r.nextInt(1_000_000);
            final double value = r.nextInt(2_000_000) / 1000.0 - 1000;
            csv.append(sensor).append(',').append(ts).append(',').append(value).append(',')
                .append("p".repeat(r.nextInt(300))).append(r.nextInt(5) == 0 ? "\r\n" : "\n");
            expected.add(new Row(sensor, ts, line, value));
        }
        final Read read = new Read(csv.toString(), 97);
        assertEquals(0, read.rejections.size(), () -> read.rejections.subList(0, 1).toString());
        assertEquals(expected, read.rows);
        assertTrue(read.fills > 10, "fills: " + read.fills);
    }

    @Test
    void overlongLinesAreRejectedAndTheFollowingLinesRead() {
        final int max = CsvRecordSource.MAX_LINE_LENGTH;
        final String csv = "sensor,timestamp,value\n"
            + "A,1,1\n"
            + "A,2," + "9".repeat(max) + "\n"             // line 3: just over the limit
            + "B,3,3\n"
            + "B,4,4" + " ".repeat(max - 5) + "\n"        // line 5: exactly the limit, accepted
            + "C,5," + "x".repeat(700_000) + "\n"         // line 6: far beyond any buffer
            + "C,6,6\n";
        final Read read = new Read(csv, 4);
        assertEquals(List.of(new Row("A", 1, 2, 1.0), new Row("B", 3, 4, 3.0), new Row("B", 4, 5, 4.0),
            new Row("C", 6, 7, 6.0)), read.rows);
        assertEquals(2, read.rejections.size());
        assertEquals(3, read.rejections.get(0).line());
        assertEquals("line is longer than " + max + " characters", read.rejections.get(0).reason());
        assertEquals(6, read.rejections.get(1).line());
        assertTrue(read.rejections.get(1).input().startsWith("C,5,xxx"));
        assertEquals(max, read.rejections.get(1).input().length());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sensor,value",
        "sensor,timestamp",
        "time,value",
        "S1,2026-11-27T10:00:00Z,5",
    })
    void headerWithoutTheNeededColumnsIsAFormatError(final String header) {
        final CsvFormatException e = assertThrows(CsvFormatException.class,
            () -> new Read("\n" + header + "\nA,1,2\n", 4));
        assertTrue(e.getMessage().startsWith("in.csv:2: "), e.getMessage());
        assertTrue(e.getMessage().contains("the header must name the columns 'sensor,timestamp,value' or"
            + " 'timestamp,value', found '" + header + "'"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "A,1000,NaN | value is not a number",
        "A,1000,Infinity | value is not a number",
        "A,1000,-Infinity | value is not a number",
        "A,1000,1e999 | value is out of the range of a double",
        "A,1000,abc | value is not a number",
        "A,1000,0x1p3 | value is not a number",
        "'A,1000,' | value is empty",
        "'A,1000,  ' | value is empty",
        "A,,5 | timestamp is empty",
        "A,yesterday,5 | neither ISO-8601",
        "A,2026-02-30,5 | timestamp date does not exist",
        "' ,1000,5' | sensor name is empty",
        "A,1000 | too few fields",
        "A,1000,5,6 | too many fields",
        "'\"A,1000,5' | a quoted field is not closed",
    })
    void badFieldsAreRejectedWithAReason(final String line, final String reason) {
        final Read read = new Read("sensor,timestamp,value\nA,1,1\n" + line + "\nA,2,2\n", 4);
        assertEquals(2, read.rows.size());
        assertEquals(1, read.rejections.size());
        final Rejection r = read.rejections.get(0);
        assertEquals(3, r.line());
        assertEquals(line, r.input());
        assertTrue(r.reason().contains(reason), r.reason());
    }

    @Test
    void aLineWithVeryManyFieldsIsRejectedAsTooMany() {
        // more fields than the parser's field table holds must still be reported as what they are
        final Read read = new Read("sensor,timestamp,value\nA,1,1" + ",".repeat(100) + "\n\"A\",1,1"
            + ",".repeat(100) + "\nA,2,2\n", 4);
        assertEquals(2, read.rejections.size());
        for (final Rejection r : read.rejections) {
            assertTrue(r.reason().contains("too many fields"), r.reason());
        }
        assertEquals(1, read.rows.size());
    }

    @Test
    void valuesAndTimestampsAreTrimmedAndSigned() {
        final Read read = new Read("sensor,timestamp,value\n A , 1000 , +2.5 \nA,-5,-0.005\n", 4);
        assertEquals(List.of(new Row("A", 1000, 2, 2.5), new Row("A", -5, 3, -0.005)), read.rows);
    }

    @Test
    void tooManyDistinctSensorsAreRejectedAndKnownOnesStillRead() {
        final Read read = new Read("sensor,timestamp,value\nA,1,1\nB,2,2\nC,3,3\nA,4,4\nD,5,5\nB,6,6\n", 3,
            new SensorRegistry(2), "x");
        assertEquals(List.of(new Row("A", 1, 2, 1.0), new Row("B", 2, 3, 2.0), new Row("A", 4, 5, 4.0),
            new Row("B", 6, 7, 6.0)), read.rows);
        assertEquals(List.of(new Rejection(4, "too many distinct sensors (capacity 2)", "C,3,3"),
            new Rejection(6, "too many distinct sensors (capacity 2)", "D,5,5")), read.rejections);
    }

    @Test
    void batchesFilledAcrossManyFillCallsLoseNothing() {
        final StringBuilder csv = new StringBuilder("sensor,timestamp,value\n");
        for (int i = 0; i < 1000; i++) {
            csv.append("S").append(i % 3).append(',').append(i).append(',').append(i).append('\n');
            if (i % 97 == 0) {
                csv.append("bad line\n");
            }
        }
        for (final int size : new int[] {1, 7, 64, 1000, 5000}) {
            final Read read = new Read(csv.toString(), size);
            assertEquals(1000, read.rows.size(), "batch size " + size);
            for (int i = 0; i < 1000; i++) {
                assertEquals(i, read.rows.get(i).value(), "batch size " + size);
            }
            assertEquals(11, read.rejections.size());
        }
    }

    @Test
    void utf8InputStreamAndEmptyInput() {
        final byte[] bytes = "sensor,timestamp,value\nT\u00b0C \u6e29\u5ea6,1,20.5\n".getBytes(StandardCharsets.UTF_8);
        final SensorRegistry registry = new SensorRegistry(4);
        final CsvRecordSource source = new CsvRecordSource(new ByteArrayInputStream(bytes), "u.csv", registry, "x",
            RejectListener.IGNORE);
        final RecordBatch batch = new RecordBatch(4);
        assertEquals(1, source.fill(batch));
        assertEquals("T\u00b0C \u6e29\u5ea6", registry.name(batch.sensor[0]));
        assertEquals("csv(u.csv, timestampUnit=milliseconds)", source.describe());

        final Read empty = new Read("", 4);
        assertEquals(0, empty.rows.size());
        final Read headerOnly = new Read("sensor,timestamp,value\n", 4);
        assertEquals(0, headerOnly.rows.size());
    }
}
