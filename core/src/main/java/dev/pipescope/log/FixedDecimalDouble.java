package dev.pipescope.log;

import org.agrona.MutableDirectBuffer;

/**
 * Writes a double with a fixed number of decimals, correctly rounded from its exact binary value (half to
 * even, as {@code new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN)} would), without
 * allocating. Useful for durations and ratios where a stable width reads better than the shortest form.
 *
 * <p>A double is c * 2^q exactly, so v * 10^d = c * 5^d * 2^(q+d): the product c * 5^d fits in 128 bits
 * and the power of two is a shift, which makes both the rounded integer and the discarded remainder exact.
 * Magnitudes whose scaled value would not fit in a long (|v| * 10^d >= 2^62) are written in the shortest
 * form instead, as are non-finite values (callers producing JSON handle those first). A value that rounds
 * to zero is written without a sign ({@code 0.000}), like BigDecimal.
 *
 * <p>Most values take a shorter way to the same integer: {@code s = |v| * 10^d} in double arithmetic (10^d
 * is exact for d <= 9, so s is the exact product rounded once) is within 2^-14 of the exact product while
 * s < 2^40, so when s is within 0.5 - 2^-12 of its nearest integer (more than 2^-12 from a half-integer),
 * that integer is the nearest integer to the exact product and no tie is possible. Only values within 2^-12
 * of a tie (and scaled values of 2^40 and more) need the exact 128-bit product.
 */
final class FixedDecimalDouble {
    /** The most decimals supported; larger requests are clamped to it. */
    public static final int MAX_DECIMALS = 9;
    /** The most bytes {@link #put} writes. */
    public static final int MAX_LENGTH = ShortestDouble.MAX_LENGTH;

    private static final long[] POW5 = new long[MAX_DECIMALS + 1];
    private static final double[] LIMIT = new double[MAX_DECIMALS + 1];
    private static final long C_MIN = 1L << 52;
    private static final double[] POW10_DOUBLE = new double[MAX_DECIMALS + 1];
    /** Below this the double product's error is at most 2^-14 (half an ulp of a value below 2^40). */
    private static final double FAST_SCALED_LIMIT = 0x1p40;
    /** The farthest from an integer a double product may be for its nearest integer to be taken as is. */
    private static final double FAST_MAX_DISTANCE = 0.5 - 0x1p-12;

    static {
        long p5 = 1;
        for (int d = 0; d <= MAX_DECIMALS; d++) {
            POW5[d] = p5;
            POW10_DOUBLE[d] = ShortestDouble.POW10[d];
            p5 *= 5;
            // 2^62 leaves a factor of two of headroom below Long.MAX_VALUE for the limit's own rounding.
            LIMIT[d] = 0x1p62 / ShortestDouble.POW10[d];
        }
    }

    private FixedDecimalDouble() {
    }

    /**
     * @param buffer   destination with at least {@link #MAX_LENGTH} bytes free after {@code offset}.
     * @param offset   where to start.
     * @param v        the value.
     * @param decimals digits after the point, clamped to [0, {@link #MAX_DECIMALS}]; 0 writes an integer.
     * @return the offset after the last byte written.
     */
    public static int put(final MutableDirectBuffer buffer, final int offset, final double v, final int decimals) {
        final byte[] array = buffer.byteArray();
        if (array != null && offset >= 0 && offset <= buffer.capacity() - MAX_LENGTH) {
            final int adjustment = buffer.wrapAdjustment();
            return put(array, adjustment + offset, v, decimals) - adjustment;
        }
        final byte[] scratch = new byte[MAX_LENGTH]; // not the encoder's path: it writes into its own array
        final int length = put(scratch, 0, v, decimals);
        buffer.putBytes(offset, scratch, 0, length);
        return offset + length;
    }

    /**
     * Like {@link #put(MutableDirectBuffer, int, double, int)}, into an array (see
     * {@link ShortestDouble#put(byte[], int, double)} for why).
     *
     * @param out      destination with at least {@link #MAX_LENGTH} bytes free after {@code offset}.
     * @param offset   where to start.
     * @param v        the value.
     * @param decimals digits after the point, clamped to [0, {@link #MAX_DECIMALS}].
     * @return the offset after the last byte written.
     */
    static int put(final byte[] buffer, final int offset, final double v, final int decimals) {
        return put(buffer, offset, v, decimals, false);
    }

    /**
     * Like {@link #put(byte[], int, double, int)}, same bytes, with the digits written by
     * {@link AsciiDigits#putLongPadded}: up to {@link AsciiDigits#PADDED_SLACK} bytes after the returned
     * offset may be overwritten. For the encoder, whose line buffer keeps that slack.
     *
     * @return the offset after the last byte of the number.
     */
    static int putPadded(final byte[] buffer, final int offset, final double v, final int decimals) {
        return put(buffer, offset, v, decimals, true);
    }

    private static int put(final byte[] buffer, final int offset, final double v, final int decimals,
        final boolean padded) {
        final int d = Math.max(0, Math.min(MAX_DECIMALS, decimals));
        final double magnitude = Math.abs(v);
        if (!(magnitude < LIMIT[d])) {
            return ShortestDouble.put(buffer, offset, v);
        }
        final double approximate = magnitude * POW10_DOUBLE[d];
        final double nearest = Math.rint(approximate);
        final long scaled = approximate < FAST_SCALED_LIMIT && Math.abs(approximate - nearest) < FAST_MAX_DISTANCE
            ? (long) nearest
            : exactScaled(magnitude, d);

        int p = offset;
        if (v < 0 && scaled != 0) {
            buffer[p++] = '-';
        }
        if (d == 0) {
            return padded ? AsciiDigits.putLongPadded(buffer, p, scaled) : AsciiDigits.putLong(buffer, p, scaled);
        }
        if (padded && d <= AsciiDigits.MAX_FIXED_POINT_DECIMALS && scaled < AsciiDigits.MAX_FIXED_POINT_SCALED) {
            return AsciiDigits.putFixedPointPadded(buffer, p, scaled, d);
        }
        final long integer = dividedByPow10(scaled, d);
        final long fraction = scaled - integer * ShortestDouble.POW10[d];
        if (padded) {
            p = AsciiDigits.putLongPadded(buffer, p, integer);
            buffer[p++] = '.';
            return AsciiDigits.putDigitsPadded(buffer, p, fraction, d);
        }
        p = AsciiDigits.putLong(buffer, p, integer);
        buffer[p++] = '.';
        return ShortestDouble.putDigits(buffer, p, fraction, d);
    }

    /**
     * {@code value / 10^d} for 1 <= d <= MAX_DECIMALS. Each case divides by a constant, which the JIT turns
     * into a multiply and shift; {@code value / POW10[d]} was a hardware 64-bit divide (and its {@code %} a
     * second one), the largest single cost of writing a fixed-decimal double.
     */
    private static long dividedByPow10(final long value, final int d) {
        switch (d) {
            case 1: return value / 10L;
            case 2: return value / 100L;
            case 3: return value / 1_000L;
            case 4: return value / 10_000L;
            case 5: return value / 100_000L;
            case 6: return value / 1_000_000L;
            case 7: return value / 10_000_000L;
            case 8: return value / 100_000_000L;
            default: return value / 1_000_000_000L;
        }
    }

    /** round-half-even(magnitude * 10^d) from the exact 128-bit product, for 0 <= magnitude < LIMIT[d]. */
    private static long exactScaled(final double magnitude, final int d) {
        final long bits = Double.doubleToRawLongBits(magnitude);
        final int biasedExponent = (int) (bits >>> 52);
        final long t = bits & (C_MIN - 1);
        final long c = biasedExponent == 0 ? t : C_MIN | t;
        final int q = biasedExponent == 0 ? -1074 : biasedExponent - 1075;
        return c == 0 ? 0 : roundedScaled(c, q, d);
    }

    /** Returns round-half-even(c * 2^q * 10^d) for c > 0, known to be below 2^63. */
    private static long roundedScaled(final long c, final int q, final int d) {
        final long p5 = POW5[d];
        final long lo = c * p5;
        final long hi = Math.multiplyHigh(c, p5);
        final int exponent = q + d;
        if (exponent >= 0) {
            return lo << exponent;
        }
        final int shift = -exponent;
        if (shift >= 128) {
            // The product is below 2^74, far less than half of 2^shift.
            return 0;
        }
        final long quotient;
        final int remainderVsHalf;
        if (shift < 64) {
            quotient = (lo >>> shift) | (shift == 0 ? 0 : hi << (64 - shift));
            final long remainder = lo & ((1L << shift) - 1);
            remainderVsHalf = Long.compareUnsigned(remainder, 1L << (shift - 1));
        } else if (shift == 64) {
            quotient = hi;
            remainderVsHalf = Long.compareUnsigned(lo, Long.MIN_VALUE);
        } else {
            quotient = hi >>> (shift - 64);
            final long remainderHigh = hi & ((1L << (shift - 64)) - 1);
            final long halfHigh = 1L << (shift - 65);
            final int high = Long.compare(remainderHigh, halfHigh);
            remainderVsHalf = high != 0 ? high : (lo == 0 ? 0 : 1);
        }
        if (remainderVsHalf > 0 || remainderVsHalf == 0 && (quotient & 1) != 0) {
            return quotient + 1;
        }
        return quotient;
    }
}
