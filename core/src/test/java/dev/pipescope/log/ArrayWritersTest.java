package dev.pipescope.log;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The encoder writes into its own array through array-based twins of the buffer writers; each twin must
 * produce exactly the bytes (and the same end or cut) of the buffer writer it stands in for.
 */
class ArrayWritersTest {
    private static final char[] ALPHABET = ("abcXYZ019 -_:/.,{}[]\"\\\u0000\u0001\u001f\n\r\t\b\f\u007f"
        + "\u0080\u00b5\u00ff\u0100\u07ff\u0800\u2028\u2029\u20ac\ufffd\ud83d\ude00\ud800\udc00").toCharArray();

    @Test
    void longsMatchLongToString() {
        final Random random = new Random(7);
        final byte[] out = new byte[40];
        final long[] edges = {0, 1, -1, 9, 10, 99, 100, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L,
            Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, Integer.MIN_VALUE, Integer.MAX_VALUE};
        for (final long v : edges) {
            assertLong(v, out);
        }
        for (int i = 0; i < 200_000; i++) {
            final long v = random.nextLong() >> random.nextInt(64);
            assertLong(v, out);
        }
    }

    private static void assertLong(final long v, final byte[] out) {
        final int end = AsciiDigits.putLong(out, 3, v);
        assertEquals(Long.toString(v), new String(out, 3, end - 3, StandardCharsets.US_ASCII));
    }

    @Test
    void fixedDigitsArePaddedAndCut() {
        final byte[] out = new byte[20];
        for (int count = 0; count <= 18; count++) {
            for (final long v : new long[] {0, 5, 42, 123_456_789, 999_999_999_999_999_999L}) {
                final int end = AsciiDigits.putDigits(out, 1, v, count);
                assertEquals(1 + count, end);
                final String full = String.format("%019d", v);
                assertEquals(full.substring(19 - count), new String(out, 1, count, StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void escapingFromACharArrayMatchesTheBufferWriterIncludingCuts() {
        final Random random = new Random(11);
        for (int round = 0; round < 100_000; round++) {
            final int n = random.nextInt(40);
            final char[] chars = new char[n + random.nextInt(3)];
            final boolean mostlyPlain = random.nextBoolean();
            for (int i = 0; i < n; i++) {
                chars[i] = mostlyPlain && random.nextInt(10) != 0
                    ? (char) (0x20 + random.nextInt(0x5F)) : ALPHABET[random.nextInt(ALPHABET.length)];
            }
            final String s = new String(chars, 0, n);
            final int offset = random.nextInt(5);
            final int limit = offset + random.nextInt(6 * n + 3);
            final byte[] expected = new byte[offset + 6 * n + 8];
            final int expectedEnd = JsonStrings.writeEscaped(s, new UnsafeBuffer(expected), offset, limit);
            final byte[] actual = new byte[expected.length];
            final int actualEnd = JsonStrings.writeEscaped(chars, n, actual, offset, limit);
            assertEquals(expectedEnd, actualEnd, () -> "result for " + escapeForMessage(s) + " limit " + limit);
            final int written = expectedEnd < 0 ? ~expectedEnd : expectedEnd;
            assertArrayEquals(Arrays.copyOf(expected, written), Arrays.copyOf(actual, written),
                () -> "bytes for " + escapeForMessage(s));
        }
    }

    @Test
    void doublesThroughAnyBufferMatchTheArrayWriter() {
        final Random random = new Random(3);
        final byte[] array = new byte[64];
        final UnsafeBuffer wrappedAtOffset = new UnsafeBuffer(new byte[80], 9, 64);
        final UnsafeBuffer offHeap = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
        final UnsafeBuffer tight = new UnsafeBuffer(new byte[30]);
        for (int i = 0; i < 50_000; i++) {
            final double v = i % 2 == 0 ? Double.longBitsToDouble(random.nextLong()) : random.nextGaussian() * 1e6;
            final int decimals = random.nextInt(10);
            final int end = ShortestDouble.put(array, 2, v);
            final String expected = new String(array, 2, end - 2, StandardCharsets.US_ASCII);
            assertEquals(expected, read(wrappedAtOffset, 5, ShortestDouble.put(wrappedAtOffset, 5, v)));
            assertEquals(expected, read(offHeap, 5, ShortestDouble.put(offHeap, 5, v)));
            assertEquals(expected, read(tight, 1, ShortestDouble.put(tight, 1, v))); // fewer than 24 bytes of room
            final int fixedEnd = FixedDecimalDouble.put(array, 2, v, decimals);
            final String fixed = new String(array, 2, fixedEnd - 2, StandardCharsets.US_ASCII);
            assertEquals(fixed, read(wrappedAtOffset, 5, FixedDecimalDouble.put(wrappedAtOffset, 5, v, decimals)));
            assertEquals(fixed, read(offHeap, 5, FixedDecimalDouble.put(offHeap, 5, v, decimals)));
        }
    }

    @Test
    void timestampsThroughAnyBufferMatchTheArrayWriter() {
        final Random random = new Random(5);
        final UtcTimestampWriter writer = new UtcTimestampWriter();
        final byte[] array = new byte[40];
        final UnsafeBuffer wrappedAtOffset = new UnsafeBuffer(new byte[60], 7, 40);
        final UnsafeBuffer offHeap = new UnsafeBuffer(ByteBuffer.allocateDirect(40));
        for (int i = 0; i < 20_000; i++) {
            final long t = UtcTimestampWriter.MIN_EPOCH_MILLIS - 1000 + (long) (random.nextDouble()
                * (UtcTimestampWriter.MAX_EPOCH_MILLIS - UtcTimestampWriter.MIN_EPOCH_MILLIS + 2000));
            final int end = writer.put(array, 1, t);
            final String expected = new String(array, 1, end - 1, StandardCharsets.US_ASCII);
            assertEquals(expected, read(wrappedAtOffset, 3, writer.put(wrappedAtOffset, 3, t)));
            assertEquals(expected, read(offHeap, 3, writer.put(offHeap, 3, t)));
        }
    }

    private static String read(final UnsafeBuffer buffer, final int from, final int end) {
        final byte[] bytes = new byte[end - from];
        buffer.getBytes(from, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static String escapeForMessage(final String s) {
        final StringBuilder b = new StringBuilder();
        for (final char c : s.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return b.toString();
    }
}
