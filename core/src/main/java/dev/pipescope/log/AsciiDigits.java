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
            return putUpToEightDigits(out, p, (int) v);
        }
        if (v < EIGHT_DIGITS * EIGHT_DIGITS) {
            final long high = v / EIGHT_DIGITS;
            final int end = putUpToEightDigits(out, p, (int) high);
            LONG_LE.set(out, end, digitBytes(decimalLanes((int) (v - high * EIGHT_DIGITS))));
            return end + 8;
        }
        return putPositive(out, p, v);
    }

    /** The most decimals {@link #putFixedPointPadded} writes. */
    static final int MAX_FIXED_POINT_DECIMALS = 7;
    /** {@link #putFixedPointPadded} takes scaled values below this: 10^16. */
    static final long MAX_FIXED_POINT_SCALED = EIGHT_DIGITS * EIGHT_DIGITS;

    /**
     * Writes {@code scaled / 10^decimals} with exactly {@code decimals} digits after the point, like
     * {@link #putLongPadded} of the integer part, a point and {@link #putDigitsPadded} of the fraction (same
     * bytes, same slack), but from the digits of {@code scaled} as a whole: the last eight digits are one
     * word whose leading lanes are the integer part's end and whose trailing lanes are the fraction, so
     * there is no division by a variable power of ten and one digit conversion fewer.
     *
     * @param scaled   {@code 0 <= scaled <} {@link #MAX_FIXED_POINT_SCALED}.
     * @param decimals {@code 1 <= decimals <=} {@link #MAX_FIXED_POINT_DECIMALS}.
     * @return the offset after the last digit.
     */
    static int putFixedPointPadded(final byte[] out, final int offset, final long scaled, final int decimals) {
        final long high = scaled / EIGHT_DIGITS;
        final long low = decimalLanes((int) (scaled - high * EIGHT_DIGITS));
        final int integerLanes = 8 - decimals; // of the low word, at least one
        int p = offset;
        int skipped = 0;
        if (high == 0) {
            // leading zeros of the integer part, all but its last digit
            skipped = Math.min(leadingZeroLanes(low), integerLanes - 1);
        } else if (high < 10) {
            // one digit more than the low word holds (a rate of millions with one decimal): one byte, not a
            // second lane conversion
            out[p++] = (byte) ('0' + high);
        } else {
            p = putUpToEightDigits(out, p, (int) high);
        }
        final long digits = digitBytes(low);
        LONG_LE.set(out, p, digits >>> (skipped << 3));
        final int point = p + integerLanes - skipped;
        LONG_LE.set(out, point, '.' | (digits >>> (integerLanes << 3)) << 8);
        return point + 1 + decimals;
    }

    /**
     * {@code 0 <= v < 10^8} without leading zeros, as one word. The digit count is read off the digits
     * themselves (each leading zero is a zero byte at the word's low end) rather than computed apart from
     * them: measured 5.4 ns a number instead of 6.9.
     */
    private static int putUpToEightDigits(final byte[] out, final int offset, final int v) {
        final long lanes = decimalLanes(v);
        final int leadingZeros = leadingZeroLanes(lanes);
        LONG_LE.set(out, offset, digitBytes(lanes) >>> (leadingZeros << 3));
        return offset + 8 - leadingZeros;
    }

    /**
     * Like {@link #putDigits} for {@code count <= 9} and {@code 0 <= value < 10^count}, written as words like
     * {@link #putLongPadded} (same slack).
     *
     * @return {@code offset + count}.
     */
    static int putDigitsPadded(final byte[] out, final int offset, final long value, final int count) {
        if (count <= 8) {
            LONG_LE.set(out, offset, digitBytes(decimalLanes((int) value)) >>> ((8 - count) << 3));
            return offset + count;
        }
        final long high = value / EIGHT_DIGITS;
        out[offset] = (byte) ('0' + high);
        LONG_LE.set(out, offset + 1, digitBytes(decimalLanes((int) (value - high * EIGHT_DIGITS))));
        return offset + 9;
    }

    /**
     * @return how many of the leading digits held in {@code lanes} (see {@link #decimalLanes}) are zeros, at
     *     most seven: the last digit's lane (byte 7) counts as non-zero, so that 0 keeps one digit.
     */
    private static int leadingZeroLanes(final long lanes) {
        return Long.numberOfTrailingZeros(lanes | 1L << 56) >>> 3;
    }

    /** @return the lanes of {@link #decimalLanes} as ASCII digits. */
    private static long digitBytes(final long lanes) {
        return lanes + 0x3030_3030_3030_3030L;
    }

    /**
     * The eight decimal digits of {@code 0 <= v < 10^8}, zero-padded, one per byte of a little-endian word
     * (most significant digit in the lowest byte), as values 0 to 9. Splits into two 4-digit lanes, then
     * each into two 2-digit lanes, then digits, dividing all lanes at once by multiply-and-shift (exact for
     * these ranges: x * 10486 >>> 20 == x / 100 for x < 10^4, x * 103 >>> 10 == x / 10 for x < 100).
     */
    private static long decimalLanes(final int v) {
        final long merged = (v / 10_000) | ((long) (v % 10_000) << 32);
        final long hundreds = ((merged * 10_486) >>> 20) & 0x0000_007F_0000_007FL;
        final long pairs = ((merged - hundreds * 100) << 16) | hundreds;
        final long tens = ((pairs * 103) >>> 10) & 0x000F_000F_000F_000FL;
        return ((pairs - tens * 10) << 8) | tens;
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
