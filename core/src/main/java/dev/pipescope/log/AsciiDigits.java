package dev.pipescope.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Decimal digits into a byte array, two at a time from a 200-byte table. The encoder writes every number
 * of a line through here: an Agrona {@code putLongAscii}/{@code putByte} per digit re-checks the buffer's
 * bounds and reloads its array and address per byte, which is most of what a number costs.
 */
final class AsciiDigits {
    /** "00" .. "99", two bytes each. */
    private static final byte[] PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /** The longest {@link #putLong} writes: {@code -9223372036854775808}. */
    static final int MAX_LONG_LENGTH = 20;

    /** Bytes past the returned end that the {@code Padded} writers may overwrite. */
    static final int PADDED_SLACK = 7;

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long EIGHT_DIGITS = 100_000_000L;

    private AsciiDigits() {
    }

    /**
     * Like {@link #putLong}, same digits, but writes them eight at a time as one word, so it may overwrite
     * up to {@link #PADDED_SLACK} bytes after the returned offset. For a writer whose buffer keeps that
     * slack (the encoder's reserve does): a number of up to eight digits is a handful of multiplications
     * and one store instead of a division, two table loads and two stores per pair of digits.
     *
     * @return the offset after the last digit.
     */
    static int putLongPadded(final byte[] out, final int offset, final long value) {
        long v = value;
        int p = offset;
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                return putLong(out, offset, value);
            }
            out[p++] = '-';
            v = -v;
        }
        if (v < EIGHT_DIGITS) {
            final int count = digitCount(v);
            LONG_LE.set(out, p, eightDigits((int) v) >>> ((8 - count) << 3));
            return p + count;
        }
        if (v < EIGHT_DIGITS * EIGHT_DIGITS) {
            final long high = v / EIGHT_DIGITS;
            final int count = digitCount(high);
            LONG_LE.set(out, p, eightDigits((int) high) >>> ((8 - count) << 3));
            LONG_LE.set(out, p + count, eightDigits((int) (v - high * EIGHT_DIGITS)));
            return p + count + 8;
        }
        return putPositive(out, p, v);
    }

    /**
     * Like {@link #putDigits} for {@code count <= 9} and {@code 0 <= value < 10^count}, written as words like
     * {@link #putLongPadded} (same slack).
     *
     * @return {@code offset + count}.
     */
    static int putDigitsPadded(final byte[] out, final int offset, final long value, final int count) {
        if (count <= 8) {
            LONG_LE.set(out, offset, eightDigits((int) value) >>> ((8 - count) << 3));
            return offset + count;
        }
        final long high = value / EIGHT_DIGITS;
        out[offset] = (byte) ('0' + high);
        LONG_LE.set(out, offset + 1, eightDigits((int) (value - high * EIGHT_DIGITS)));
        return offset + 9;
    }

    /**
     * The eight decimal digits of {@code 0 <= v < 10^8}, zero-padded, as ASCII bytes of a little-endian
     * word (most significant digit in the lowest byte). Splits into two 4-digit lanes, then each into two
     * 2-digit lanes, then digits, dividing all lanes at once by multiply-and-shift (exact for these ranges:
     * x * 10486 >>> 20 == x / 100 for x < 10^4, x * 103 >>> 10 == x / 10 for x < 100).
     */
    private static long eightDigits(final int v) {
        final long merged = (v / 10_000) | ((long) (v % 10_000) << 32);
        final long hundreds = ((merged * 10_486) >>> 20) & 0x0000_007F_0000_007FL;
        final long pairs = ((merged - hundreds * 100) << 16) | hundreds;
        final long tens = ((pairs * 103) >>> 10) & 0x000F_000F_000F_000FL;
        final long digits = ((pairs - tens * 10) << 8) | tens;
        return digits + 0x3030_3030_3030_3030L;
    }

    /**
     * Writes {@code value} in decimal, with a leading {@code '-'} when negative (as
     * {@code Long.toString} does).
     *
     * @return the offset after the last digit.
     */
    static int putLong(final byte[] out, final int offset, final long value) {
        if (value < 0) {
            out[offset] = '-';
            if (value == Long.MIN_VALUE) {
                // its magnitude has no long; 9223372036854775808 = 922337203685477580 * 10 + 8
                final int p = putDigits(out, offset + 1, 922_337_203_685_477_580L, 18);
                out[p] = '8';
                return p + 1;
            }
            return putPositive(out, offset + 1, -value);
        }
        return putPositive(out, offset, value);
    }

    private static int putPositive(final byte[] out, final int offset, final long value) {
        final int count = digitCount(value);
        return putDigits(out, offset, value, count);
    }

    /**
     * Writes exactly {@code count} digits of {@code value} (0 <= value), zero-padded on the left; digits
     * above {@code count} are dropped.
     *
     * @return {@code offset + count}.
     */
    static int putDigits(final byte[] out, final int offset, final long value, final int count) {
        long v = value;
        int i = offset + count;
        while (i - offset >= 2) {
            final long q = v / 100;
            final int pair = (int) (v - q * 100) << 1;
            out[--i] = PAIRS[pair + 1];
            out[--i] = PAIRS[pair];
            v = q;
        }
        if (i > offset) {
            out[--i] = (byte) ('0' + v % 10);
        }
        return offset + count;
    }

    /** @return the number of decimal digits of {@code value} >= 0 (1 for 0). */
    static int digitCount(final long value) {
        // ~log10 from the bit length, then one comparison to correct it
        final int bits = 64 - Long.numberOfLeadingZeros(value | 1);
        final int guess = (bits * 1233) >>> 12;
        return guess + ((value | 1) >= POW10[guess] ? 1 : 0);
    }

    /** Powers of ten that fit in a long, POW10[0] = 1. */
    private static final long[] POW10 = new long[19];

    static {
        long p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }
}
