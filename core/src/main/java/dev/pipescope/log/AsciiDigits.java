package dev.pipescope.log;

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

    private AsciiDigits() {
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
