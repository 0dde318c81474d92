package dev.pipescope.log;

import dev.pipescope.metrics.AllocationMeter;
import dev.pipescope.testing.AllocationProbe;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The encoder's word-wise writers and per-encoder caches (padded digits, word copies of keys, the
 * per-second timestamp prefix, the header tail cache, the fast key path) must write exactly what the
 * plain writers and a fresh encoder write, for every input, and allocate nothing per line.
 */
class EncoderFastPathsTest {
    private static final Random RANDOM = new Random(2026);

    @Test
    void paddedLongsMatchLongToStringAndTouchNothingBefore() {
        final long[] edges = {0, 1, -1, 9, 10, 99, 100, 9_999_999, 10_000_000, 99_999_999, 100_000_000,
            -99_999_999, -100_000_000, 9_999_999_999_999_999L, 10_000_000_000_000_000L, Long.MAX_VALUE,
            Long.MIN_VALUE, Long.MIN_VALUE + 1, Integer.MIN_VALUE, Integer.MAX_VALUE};
        for (final long v : edges) {
            assertPaddedLong(v);
        }
        for (int i = 0; i < 300_000; i++) {
            assertPaddedLong(RANDOM.nextLong() >> RANDOM.nextInt(64));
        }
        for (long v = 0; v < 100_000; v++) { // every digit count below six, every leading digit
            assertPaddedLong(v);
            assertPaddedLong(v * 1_000);
        }
    }

    private static void assertPaddedLong(final long v) {
        final byte[] out = new byte[40];
        Arrays.fill(out, (byte) '#');
        final int end = AsciiDigits.putLongPadded(out, 3, v);
        assertEquals(Long.toString(v), new String(out, 3, end - 3, StandardCharsets.US_ASCII));
        assertEquals("###", new String(out, 0, 3, StandardCharsets.US_ASCII));
        for (int i = end + AsciiDigits.PADDED_SLACK + 1; i < out.length; i++) {
            assertEquals('#', out[i], "wrote past the slack for " + v);
        }
    }

    @Test
    void wordCopiesCopyExactlyTheRunAndRefuseRangesWithoutSlack() {
        final byte[] source = WordCopy.padded("0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII));
        for (int from = 0; from < 4; from++) {
            for (int length = 0; length <= 20 - from; length++) {
                final byte[] out = new byte[64];
                assertEquals(5 + length, WordCopy.copy(source, from, length, out, 5));
                assertArrayEquals(Arrays.copyOfRange(source, from, from + length), Arrays.copyOfRange(out, 5, 5 + length));
            }
        }
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
            () -> WordCopy.copy(source, 0, 8, new byte[10], 0));
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
            () -> WordCopy.copy(new byte[8], 0, 8, new byte[64], 0));
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
            () -> WordCopy.copy(source, -1, 8, new byte[64], 0));
    }

    @Test
    void paddedFixedDigitsMatchPutDigits() {
        for (int count = 1; count <= 9; count++) {
            final long bound = ShortestDouble.POW10[count];
            for (int i = 0; i < 20_000; i++) {
                final long v = i < 3 ? new long[] {0, 1, bound - 1}[i] : Math.floorMod(RANDOM.nextLong(), bound);
                final byte[] expected = new byte[24];
                final byte[] actual = new byte[24];
                assertEquals(AsciiDigits.putDigits(expected, 2, v, count), AsciiDigits.putDigitsPadded(actual, 2, v, count));
                assertArrayEquals(Arrays.copyOf(expected, 2 + count), Arrays.copyOf(actual, 2 + count));
            }
        }
    }

    @Test
    void paddedFixedDecimalsMatchThePlainWriterAndBigDecimal() {
        final double[] edges = {0.0, -0.0, 0.5, 0.05, 0.005, 1.5, 2.5, -2.5, 0.987_654, 41_234_567.891,
            29_876_543.219, 0.012_345, 99_999_999.95, 9.999_999_999_5, 1e-9, 5e-10, 4.9e-10, Double.MIN_VALUE,
            1e15, 4.6e17, 4.6e18, 1e300, 0.125, 0.375};
        for (int d = 0; d <= FixedDecimalDouble.MAX_DECIMALS; d++) {
            for (final double v : edges) {
                assertFixed(v, d);
                assertFixed(-v, d);
            }
            for (int i = 0; i < 20_000; i++) {
                final double v = (RANDOM.nextDouble() - 0.5) * Math.pow(10, RANDOM.nextInt(24) - 6);
                assertFixed(v, d);
            }
        }
    }

    @Test
    void fixedPointFromTheWholeNumberMatchesIntegerPointFractionAndKeepsToTheSlack() {
        final long[] edges = {0, 1, 9, 10, 99_999_999, 100_000_000, 100_000_001, 123_456_789_012_345L,
            9_999_999_999_999_999L, 5_000, 123, 412_345_679};
        for (int d = 1; d <= AsciiDigits.MAX_FIXED_POINT_DECIMALS; d++) {
            for (final long scaled : edges) {
                assertFixedPoint(scaled, d);
            }
            for (int i = 0; i < 50_000; i++) {
                assertFixedPoint((RANDOM.nextLong() >>> 1) % (AsciiDigits.MAX_FIXED_POINT_SCALED >> RANDOM.nextInt(54)), d);
            }
        }
    }

    private static void assertFixedPoint(final long scaled, final int d) {
        final long unit = (long) Math.pow(10, d);
        final byte[] expected = new byte[48];
        int end = AsciiDigits.putLongPadded(expected, 2, scaled / unit);
        expected[end++] = '.';
        end = AsciiDigits.putDigitsPadded(expected, end, scaled % unit, d);
        final byte[] actual = new byte[48];
        Arrays.fill(actual, (byte) '#');
        assertEquals(end, AsciiDigits.putFixedPointPadded(actual, 2, scaled, d), scaled + " with " + d);
        assertArrayEquals(Arrays.copyOfRange(expected, 2, end), Arrays.copyOfRange(actual, 2, end), scaled + " with " + d);
        for (int i = end + AsciiDigits.PADDED_SLACK; i < actual.length; i++) {
            assertEquals('#', actual[i], "wrote past the slack for " + scaled + " with " + d);
        }
    }

    private static void assertFixed(final double v, final int d) {
        final byte[] expected = new byte[48];
        final byte[] actual = new byte[48];
        final int end = FixedDecimalDouble.put(expected, 1, v, d);
        assertEquals(end, FixedDecimalDouble.putPadded(actual, 1, v, d), v + " with " + d);
        assertArrayEquals(Arrays.copyOf(expected, end), Arrays.copyOf(actual, end), v + " with " + d);
        if (Math.abs(v) * Math.pow(10, d) < 1e17) {
            final String text = new String(actual, 1, end - 1, StandardCharsets.US_ASCII);
            assertEquals(0, new BigDecimal(v).setScale(d, RoundingMode.HALF_EVEN).compareTo(new BigDecimal(text)),
                v + " with " + d + " wrote " + text);
        }
    }

    @Test
    void aReusedEncoderWritesWhatAFreshOneWrites() {
        final JsonLogEncoder reused = new JsonLogEncoder(LogFormat.defaults());
        final JsonLogEncoder reusedEcs = new JsonLogEncoder(LogFormat.defaults().withProfile(LogProfile.ECS));
        final byte[][] components = new byte[40][];
        for (int i = 0; i < components.length; i++) {
            components[i] = JsonStrings.quotedUtf8("stage-" + i + (i % 7 == 0 ? "-\u00e9\"x" : ""));
        }
        components[3] = null;
        components[5] = JsonStrings.quotedUtf8("x".repeat(5000)); // longer than the component cap
        components[6] = JsonStrings.quotedUtf8("y".repeat(120)); // fits the line, not the header cache
        final String[] events = {"stage_completed", "pipeline_health", "a\"quoted\u00e9", "", "x".repeat(300)};
        final LogLevel[] levels = {LogLevel.INFO, LogLevel.WARNING, null, LogLevel.ERROR};
        long millis = 1_795_000_000_123L;
        for (int line = 0; line < 20_000; line++) {
            millis += RANDOM.nextInt(4) == 0 ? RANDOM.nextInt(5_000_000) : RANDOM.nextInt(3);
            if (line % 1000 == 0) {
                millis = -62_167_219_200_000L - 5 + line; // around and below the clamp
            }
            final byte[] component = components[RANDOM.nextInt(components.length)];
            final String event = events[RANDOM.nextInt(events.length)];
            final LogLevel level = levels[RANDOM.nextInt(levels.length)];
            for (final JsonLogEncoder encoder : new JsonLogEncoder[] {reused, reusedEcs}) {
                final LogFormat format = encoder == reused
                    ? LogFormat.defaults() : LogFormat.defaults().withProfile(LogProfile.ECS);
                assertArrayEquals(line(new JsonLogEncoder(format), millis, level, component, event, line),
                    line(encoder, millis, level, component, event, line), "line " + line);
            }
        }
    }

    @Test
    void aComponentArrayChangedBetweenLinesIsSeen() {
        final JsonLogEncoder encoder = new JsonLogEncoder(LogFormat.defaults());
        final byte[] component = JsonStrings.quotedUtf8("abc");
        encoder.begin(1L, LogLevel.INFO, component, "ev").end();
        component[1] = 'z';
        encoder.begin(1L, LogLevel.INFO, component, "ev").end();
        final String line = encoder.buffer().getStringWithoutLengthUtf8(0, encoder.length());
        assertEquals("{\"timestamp\":\"1970-01-01T00:00:00.001Z\",\"level\":\"INFO\",\"component\":\"zbc\","
            + "\"event\":\"ev\"}\n", line);
    }

    @Test
    void fieldsNearTheLimitAreWrittenOrDroppedLikeBefore() {
        // every split point of a line whose fields end near the cap: the fast key path must decline to the
        // general one exactly where a field stops fitting
        for (int pad = 0; pad < 80; pad++) {
            final JsonLogEncoder reused = new JsonLogEncoder(LogFormat.defaults().withMaxLineLength(256));
            for (int round = 0; round < 2; round++) {
                reused.begin(5L, LogLevel.INFO, JsonStrings.quotedUtf8("c"), "ev")
                    .field("pad", "p".repeat(pad + 60))
                    .field("recordsIn", 123_456_789L).field("elapsedMs", 12.345, 3).field("ok", true)
                    .beginObject("memory").field("heapUsedKb", 1L << 40).field("gcShare", 0.0123, 4).endObject()
                    .beginArray("reasons").item("r".repeat(pad)).item(7L).endArray()
                    .field("last", "z").end();
            }
            final String line = reused.buffer().getStringWithoutLengthUtf8(0, reused.length());
            final JsonLogEncoder fresh = new JsonLogEncoder(LogFormat.defaults().withMaxLineLength(256));
            fresh.begin(5L, LogLevel.INFO, JsonStrings.quotedUtf8("c"), "ev")
                .field(new StringBuilder("pad"), "p".repeat(pad + 60))
                .field(new StringBuilder("recordsIn"), 123_456_789L)
                .field(new StringBuilder("elapsedMs"), 12.345, 3).field(new StringBuilder("ok"), true)
                .beginObject(new StringBuilder("memory")).field(new StringBuilder("heapUsedKb"), 1L << 40)
                .field(new StringBuilder("gcShare"), 0.0123, 4).endObject()
                .beginArray(new StringBuilder("reasons")).item("r".repeat(pad)).item(7L).endArray()
                .field(new StringBuilder("last"), "z").end();
            // StringBuilder keys never take a cached path: the general writer is the reference
            assertEquals(fresh.buffer().getStringWithoutLengthUtf8(0, fresh.length()), line, "pad " + pad);
        }
    }

    private static byte[] line(final JsonLogEncoder e, final long millis, final LogLevel level,
        final byte[] component, final String event, final int i) {
        e.begin(millis, level, component, event).field("recordsIn", i).field("level", "renamed")
            .field("elapsedMs", i / 7.0, 3).beginObject("m").field("level", 1).endObject().end();
        final byte[] out = new byte[e.length()];
        e.buffer().getBytes(0, out);
        return out;
    }

    @Tag(AllocationProbe.TAG)
    @Test
    void manyLoggersAndEventsAllocateNothingOnceWarm() {
        assumeTrue(AllocationMeter.isAvailable());
        final JsonLogEncoder encoder = new JsonLogEncoder(LogFormat.defaults());
        final byte[][] components = new byte[100][]; // more than the header cache holds: slots change hands
        for (int i = 0; i < components.length; i++) {
            components[i] = JsonStrings.quotedUtf8("stage-" + i);
        }
        final long[] checksum = {0};
        AllocationProbe.measure(5, 3, () -> {
            for (int i = 0; i < 100_000; i++) {
                encoder.begin(1_795_000_000_000L + i * 3L, LogLevel.INFO, components[i % components.length],
                        (i & 1) == 0 ? "stage_completed" : "pipeline_health")
                    .field("recordsIn", i).field("elapsedMs", i * 0.001, 3)
                    .beginObject("memory").field("gcShare", 0.012, 4).endObject()
                    .beginArray("reasons").item("circuit \"x\" \u00b5s").endArray().end();
                checksum[0] += encoder.length();
            }
            return 1;
        }).assertAllocationFree("lines over 100 components");
    }
}
