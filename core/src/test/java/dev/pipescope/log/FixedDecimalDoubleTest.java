package dev.pipescope.log;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FixedDecimalDoubleTest {
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
    private final byte[] scratch = new byte[64];

    private String format(final double v, final int decimals) {
        final int end = FixedDecimalDouble.put(buffer, 0, v, decimals);
        buffer.getBytes(0, scratch, 0, end);
        return new String(scratch, 0, end, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static String expected(final double v, final int decimals) {
        return new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    }

    @Test
    void knownValues() {
        assertEquals("0.012", format(0.012, 3));
        assertEquals("1.000", format(1, 3));
        assertEquals("0.000", format(0.0, 3));
        assertEquals("0.000", format(-0.0, 3));
        assertEquals("0.000", format(-0.0004, 3));
        assertEquals("-0.001", format(-0.0005000001, 3));
        assertEquals("0.12", format(0.125, 2)); // exact tie, half to even
        assertEquals("0.38", format(0.375, 2));
        assertEquals("2", format(2.5, 0));
        assertEquals("4", format(3.5, 0));
        // 1.005 is really 1.00499999999999989...: correct rounding goes down, naive *100 goes up.
        assertEquals("1.00", format(1.005, 2));
        assertEquals("123456.789000000", format(123456.789, 9));
        assertEquals("0.000000000", format(Double.MIN_VALUE, 9));
        assertEquals("3.142", format(Math.PI, 3));
        assertEquals("3.141592654", format(Math.PI, 12)); // clamped to 9 decimals
        assertEquals("1.0E300", format(1e300, 3)); // too large for fixed: shortest form
    }

    @Test
    void randomValuesMatchBigDecimalHalfEven() {
        final Random random = new Random(99);
        for (int i = 0; i < 300_000; i++) {
            final int decimals = random.nextInt(FixedDecimalDouble.MAX_DECIMALS + 1);
            final double magnitude = Math.pow(10, random.nextInt(16) - 9);
            double v = (random.nextDouble() - 0.5) * 2 * magnitude;
            if (i % 4 == 0) {
                // Exact binary ties at the rounding digit.
                v = (random.nextInt(2_000_000) - 1_000_000 + 0.5) / Math.pow(2, random.nextInt(4)) / ShortestDouble.POW10[decimals];
            }
            if (Math.abs(v) * ShortestDouble.POW10[decimals] >= 0x1p62) {
                continue;
            }
            final double value = v;
            assertEquals(expected(value, decimals), format(value, decimals), () -> value + " with " + decimals);
        }
    }

    @Test
    void randomBitPatternsInRangeMatchBigDecimal() {
        final Random random = new Random(100);
        for (int i = 0; i < 200_000; i++) {
            final double v = Double.longBitsToDouble(random.nextLong() & 0x43FF_FFFF_FFFF_FFFFL | (random.nextBoolean() ? Long.MIN_VALUE : 0));
            final int decimals = random.nextInt(FixedDecimalDouble.MAX_DECIMALS + 1);
            if (!Double.isFinite(v) || Math.abs(v) * ShortestDouble.POW10[decimals] >= 0x1p62) {
                continue;
            }
            assertEquals(expected(v, decimals), format(v, decimals), () -> v + " with " + decimals);
        }
    }

    /**
     * The double-product shortcut is taken only away from ties; values next to a decimal tie (the doubles
     * nearest (k + 0.5) / 10^d and a few ulps either side), and scaled values around its 2^40 limit, must
     * still round exactly like BigDecimal, through both writers.
     */
    @Test
    void valuesNextToDecimalTiesMatchBigDecimal() {
        final Random random = new Random(101);
        final byte[] padded = new byte[64 + AsciiDigits.PADDED_SLACK];
        for (int i = 0; i < 100_000; i++) {
            final int decimals = random.nextInt(FixedDecimalDouble.MAX_DECIMALS + 1);
            final double scaledTie = i % 8 == 0
                ? 0x1p40 + (random.nextInt(2_000) - 1_000) + 0.5
                : Math.floor(random.nextDouble() * Math.pow(10, random.nextInt(13))) + 0.5;
            double v = scaledTie / ShortestDouble.POW10[decimals];
            for (int step = 0; step < random.nextInt(4); step++) {
                v = random.nextBoolean() ? Math.nextUp(v) : Math.nextDown(v);
            }
            if (random.nextBoolean()) {
                v = -v;
            }
            if (Math.abs(v) * ShortestDouble.POW10[decimals] >= 0x1p62) {
                continue;
            }
            final double value = v;
            final String expected = expected(value, decimals);
            assertEquals(expected, format(value, decimals), () -> value + " with " + decimals);
            final int end = FixedDecimalDouble.putPadded(padded, 0, value, decimals);
            assertEquals(expected, new String(padded, 0, end, java.nio.charset.StandardCharsets.US_ASCII),
                () -> "padded " + value + " with " + decimals);
        }
    }
}
