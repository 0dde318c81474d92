package dev.pipescope.log;

import org.agrona.MutableDirectBuffer;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Writes a double as the shortest decimal that reads back as the same double, without allocating.
 *
 * <p>The digits come from the Schubfach algorithm (R. Giulietti, "The Schubfach way to render doubles",
 * 2020), implemented here from the paper's description: the value's rounding interval is scaled by a
 * power of ten chosen so it is narrower than ten units, the scaling uses a 126-bit approximation of that
 * power with round-to-odd so the interval bounds stay exact enough to compare, and then at most one
 * shorter candidate (a multiple of ten) and the two neighbours of the scaled value are tested for
 * membership. Among equally short candidates the one closest to the exact value wins (ties to even).
 * Unlike JDK 17's {@code Double.toString}, the result is always shortest (e.g. {@code 2.0E-3}, not
 * {@code 0.0020} or 18 digits), and unlike the JDK 19+ one it uses a single digit where one suffices even
 * for {@code Double.MIN_VALUE} ({@code 5.0E-324}).
 *
 * <p>Layout, always a valid JSON number: plain decimal with at least one fractional digit for
 * {@code 1e-3 <= |v| < 1e7} ({@code 0.001}, {@code 42.0}, {@code 1234567.5}), otherwise scientific with
 * one integer digit and at least one fractional digit ({@code 1.5E-7}, {@code 1.0E7}, {@code -4.9E300});
 * zero is {@code 0.0} or {@code -0.0}.
 */
public final class ShortestDouble {
    /** The most bytes {@link #put} writes: {@code -2.2250738585072014E-308}. */
    public static final int MAX_LENGTH = 24;

    private static final int PRECISION = 53;
    private static final int Q_MIN = -1074;
    private static final long C_MIN = 1L << 52;
    private static final long SIGNIFICAND_MASK = C_MIN - 1;
    private static final int K_MIN = -324;
    private static final int K_MAX = 292;
    private static final long MASK_63 = 0x7FFF_FFFF_FFFF_FFFFL;
    // ceil(2^64 / 10): multiplyHigh(s, it) == s / 10 for every s this class produces (s < 2^57).
    private static final long ONE_TENTH_SCALED = 1_844_674_407_370_955_162L;
    private static final int PLAIN_MIN_EXPONENT = -3;
    private static final int PLAIN_MAX_EXPONENT = 6;

    private static final byte[] NAN = "NaN".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INFINITY = "Infinity".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NEGATIVE_INFINITY = "-Infinity".getBytes(StandardCharsets.US_ASCII);
    /** For buffers without a heap array or without {@link #MAX_LENGTH} bytes of room; one per thread. */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[MAX_LENGTH]);

    /** Powers of ten that fit in a long. */
    static final long[] POW10 = new long[19];

    /**
     * For each decimal exponent k in [K_MIN, K_MAX], the 126-bit g = floor(10^-k / 2^r) + 1 with r chosen
     * so that 2^125 <= g < 2^126, split into its high 63 bits and low 63 bits. Built once at class
     * loading with BigInteger; the hot path only reads it.
     */
    private static final long[] G = new long[2 * (K_MAX - K_MIN + 1)];

    static {
        long p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
        for (int k = K_MIN; k <= K_MAX; k++) {
            final int e = -k;
            final int r = floorLog2Pow10(e) - 125;
            final BigInteger beta;
            if (e >= 0) {
                final BigInteger pow = BigInteger.TEN.pow(e);
                beta = r >= 0 ? pow.shiftRight(r) : pow.shiftLeft(-r);
            } else {
                beta = BigInteger.ONE.shiftLeft(-r).divide(BigInteger.TEN.pow(-e));
            }
            final BigInteger g = beta.add(BigInteger.ONE);
            G[2 * (k - K_MIN)] = g.shiftRight(63).longValueExact();
            G[2 * (k - K_MIN) + 1] = g.longValue() & MASK_63;
        }
    }

    private ShortestDouble() {
    }

    /**
     * Writes {@code v} in the layout described in the class comment. A non-finite value is written as the
     * Java tokens {@code NaN}, {@code Infinity} or {@code -Infinity}, which are NOT valid JSON; callers
     * producing JSON must handle those first.
     *
     * @param buffer destination with at least {@link #MAX_LENGTH} bytes free after {@code offset}.
     * @param offset where to start.
     * @param v      the value.
     * @return the offset after the last byte written.
     */
    public static int put(final MutableDirectBuffer buffer, final int offset, final double v) {
        final byte[] array = buffer.byteArray();
        if (array != null && offset >= 0 && offset <= buffer.capacity() - MAX_LENGTH) {
            // The common case (a heap buffer with room): one implementation, on plain array stores.
            final int adjustment = buffer.wrapAdjustment();
            return put(array, adjustment + offset, v) - adjustment;
        }
        final byte[] scratch = SCRATCH.get();
        final int length = put(scratch, 0, v);
        buffer.putBytes(offset, scratch, 0, length);
        return offset + length;
    }

    /**
     * Like {@link #put(MutableDirectBuffer, int, double)}, into an array: plain array stores, which the JIT
     * checks once per run of digits instead of once per byte as a buffer's {@code putByte} does.
     *
     * @param out    destination with at least {@link #MAX_LENGTH} bytes free after {@code offset}.
     * @param offset where to start.
     * @param v      the value.
     * @return the offset after the last byte written.
     */
    static int put(final byte[] out, final int offset, final double v) {
        final long bits = Double.doubleToRawLongBits(v);
        final long t = bits & SIGNIFICAND_MASK;
        final int biasedExponent = (int) (bits >>> 52) & 0x7FF;
        if (biasedExponent == 0x7FF) {
            return putNonFiniteToken(out, offset, t != 0, bits < 0);
        }
        int p = offset;
        if (bits < 0) {
            out[p++] = '-';
        }
        if (biasedExponent != 0) {
            final int mq = 1075 - biasedExponent;
            final long c = C_MIN | t;
            if (0 < mq && mq < PRECISION) {
                // An integer below 2^53 is its own shortest form: no other decimal of at most as many
                // digits lies within half an ulp.
                final long integer = c >> mq;
                if (integer << mq == c) {
                    return putDecimal(out, p, integer, 0);
                }
            }
            return toDecimal(out, p, -mq, c);
        }
        if (t != 0) {
            return toDecimal(out, p, Q_MIN, t);
        }
        out[p] = '0';
        out[p + 1] = '.';
        out[p + 2] = '0';
        return p + 3;
    }

    /** Finds the shortest digits of c * 2^q (c > 0) and writes them. */
    private static int toDecimal(final byte[] buffer, final int p, final int q, final long c) {
        // Work in quarter units so the interval bounds (v +- half an ulp, or a quarter below a power of two
        // where the lower gap halves) are integers.
        final long out = c & 1;
        final long cb = c << 2;
        final long cbr = cb + 2;
        final long cbl;
        final int k;
        if (c != C_MIN || q == Q_MIN) {
            cbl = cb - 2;
            k = floorLog10Pow2(q);
        } else {
            cbl = cb - 1;
            k = floorLog10ThreeQuartersPow2(q);
        }
        final int h = q + floorLog2Pow10(-k) + 2;
        final int index = 2 * (k - K_MIN);
        final long g1 = G[index];
        final long g0 = G[index + 1];
        final long vb = roundToOddProduct(g1, g0, cb << h);
        final long vbl = roundToOddProduct(g1, g0, cbl << h);
        final long vbr = roundToOddProduct(g1, g0, cbr << h);

        final long s = vb >> 2;
        if (s >= 10) {
            // The scaled interval is narrower than 10, so it holds at most one multiple of ten: try it first,
            // it has one digit fewer than s.
            final long sp10 = 10 * Math.multiplyHigh(s, ONE_TENTH_SCALED);
            final long tp10 = sp10 + 10;
            final boolean upin = vbl + out <= sp10 << 2;
            final boolean wpin = (tp10 << 2) + out <= vbr;
            if (upin != wpin) {
                return putDecimal(buffer, p, upin ? sp10 : tp10, k);
            }
        }
        final long t = s + 1;
        final boolean uin = vbl + out <= s << 2;
        final boolean win = (t << 2) + out <= vbr;
        if (uin != win) {
            return putDecimal(buffer, p, uin ? s : t, k);
        }
        // Both neighbours (or, provably never, neither) are in: take the closer one, ties to even.
        final long cmp = vb - ((s + t) << 1);
        return putDecimal(buffer, p, cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : t, k);
    }

    /** Returns round-to-odd of g * cp / 2^127, where g = g1 * 2^63 + g0. */
    private static long roundToOddProduct(final long g1, final long g0, final long cp) {
        final long x1 = Math.multiplyHigh(g0, cp);
        final long y0 = g1 * cp;
        final long y1 = Math.multiplyHigh(g1, cp);
        final long z = (y0 >>> 1) + x1;
        final long integerPart = y1 + (z >>> 63);
        return integerPart | (((z & MASK_63) + MASK_63) >>> 63);
    }

    /** Writes f * 10^e (f > 0) in the class's layout, after dropping f's trailing zeros. */
    static int putDecimal(final byte[] buffer, final int offset, final long digits, final int exponent) {
        long f = digits;
        int e = exponent;
        if (f <= 0) {
            // Unreachable for the algorithm's outputs; guards the loop below against a zero.
            buffer[offset] = '0';
            buffer[offset + 1] = '.';
            buffer[offset + 2] = '0';
            return offset + 3;
        }
        while (f % 10 == 0) {
            f /= 10;
            e++;
        }
        final int length = digitCount(f);
        final int leadExponent = e + length - 1;
        int p = offset;
        if (leadExponent >= PLAIN_MIN_EXPONENT && leadExponent <= PLAIN_MAX_EXPONENT) {
            if (leadExponent < 0) {
                buffer[p++] = '0';
                buffer[p++] = '.';
                for (int i = -1; i > leadExponent; i--) {
                    buffer[p++] = '0';
                }
                return putDigits(buffer, p, f, length);
            }
            final int integerDigits = leadExponent + 1;
            if (length <= integerDigits) {
                p = putDigits(buffer, p, f, length);
                for (int i = length; i < integerDigits; i++) {
                    buffer[p++] = '0';
                }
                buffer[p++] = '.';
                buffer[p++] = '0';
                return p;
            }
            final long scale = POW10[length - integerDigits];
            p = putDigits(buffer, p, f / scale, integerDigits);
            buffer[p++] = '.';
            return putDigits(buffer, p, f % scale, length - integerDigits);
        }
        final long scale = POW10[length - 1];
        buffer[p++] = (byte) ('0' + f / scale);
        buffer[p++] = '.';
        if (length == 1) {
            buffer[p++] = '0';
        } else {
            p = putDigits(buffer, p, f % scale, length - 1);
        }
        buffer[p++] = 'E';
        return AsciiDigits.putLong(buffer, p, leadExponent);
    }

    /** Writes exactly {@code count} digits of {@code value}, zero-padded on the left. */
    static int putDigits(final byte[] buffer, final int offset, final long value, final int count) {
        return AsciiDigits.putDigits(buffer, offset, value, count);
    }

    private static int digitCount(final long f) {
        return AsciiDigits.digitCount(f);
    }

    private static int putNonFiniteToken(
        final byte[] out, final int offset, final boolean nan, final boolean negative) {
        final byte[] token = nan ? NAN : negative ? NEGATIVE_INFINITY : INFINITY;
        System.arraycopy(token, 0, out, offset, token.length);
        return offset + token.length;
    }

    // floor(q * log10(2)), exact for |q| <= 5_456_721.
    private static int floorLog10Pow2(final int q) {
        return (int) (q * 661_971_961_083L >> 41);
    }

    // floor(log10(3/4 * 2^q)), exact for |q| <= 2_114_232.
    private static int floorLog10ThreeQuartersPow2(final int q) {
        return (int) (q * 661_971_961_083L - 274_743_187_321L >> 41);
    }

    // floor(e * log2(10)), exact for |e| <= 1_838_394.
    private static int floorLog2Pow10(final int e) {
        return (int) (e * 913_124_641_741L >> 38);
    }
}
