package dev.pipescope.log;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class ShortestDoubleTest {
    /** JSON number grammar (RFC 8259 section 6) restricted to what the layout promises: a fraction is always present. */
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)\\.[0-9]+(E-?[1-9][0-9]*)?");
    private static final int ROUND_TRIP_SAMPLE = 3_000_000;
    private static final int MINIMALITY_SAMPLE = 150_000;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
    private final byte[] scratch = new byte[64];

    private String format(final double v) {
        final int end = ShortestDouble.put(buffer, 0, v);
        assertTrue(end <= ShortestDouble.MAX_LENGTH, "too long");
        buffer.getBytes(0, scratch, 0, end);
        return new String(scratch, 0, end, java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Test
    void knownValues() {
        assertEquals("0.0", format(0.0));
        assertEquals("-0.0", format(-0.0));
        assertEquals("1.0", format(1.0));
        assertEquals("-1.0", format(-1.0));
        assertEquals("0.1", format(0.1));
        assertEquals("0.3", format(0.3));
        assertEquals("0.30000000000000004", format(0.1 + 0.2));
        assertEquals("0.001", format(0.001));
        assertEquals("1.0E-4", format(0.0001));
        assertEquals("0.002", format(0.002));
        assertEquals("9999999.0", format(9_999_999.0));
        assertEquals("1.0E7", format(1e7));
        assertEquals("1234567.125", format(1234567.125));
        assertEquals("1.5E-7", format(1.5e-7));
        assertEquals("1.0E23", format(1e23));
        assertEquals("9.223372036854776E18", format(0x1p63));
        assertEquals("1.7976931348623157E308", format(Double.MAX_VALUE));
        assertEquals("2.2250738585072014E-308", format(Double.MIN_NORMAL));
        assertEquals("5.0E-324", format(Double.MIN_VALUE));
        assertEquals("1.0E-323", format(2 * Double.MIN_VALUE));
        assertEquals("9.007199254740992E15", format(0x1p53));
        assertEquals("1.0E16", format(1e16));
        assertEquals("123.456", format(123.456));
        assertEquals("0.012", format(0.012));
        assertEquals("-4.9E300", format(-4.9e300));
        assertEquals("NaN", format(Double.NaN));
        assertEquals("Infinity", format(Double.POSITIVE_INFINITY));
        assertEquals("-Infinity", format(Double.NEGATIVE_INFINITY));
    }

    @Test
    void randomBitPatternsRoundTripAndAreValidJsonNumbers() {
        final Random random = new Random(0x5C4B_FAC4L);
        int checked = 0;
        for (int i = 0; i < ROUND_TRIP_SAMPLE; i++) {
            final double v = Double.longBitsToDouble(random.nextLong());
            if (!Double.isFinite(v)) {
                continue;
            }
            final String s = format(v);
            if (Double.doubleToRawLongBits(Double.parseDouble(s)) != Double.doubleToRawLongBits(v)) {
                fail("round trip failed for bits " + Long.toHexString(Double.doubleToRawLongBits(v)) + ": " + s);
            }
            if (i % 16 == 0 && !JSON_NUMBER.matcher(s).matches()) {
                fail("not a JSON number: " + s);
            }
            checked++;
        }
        assertTrue(checked > ROUND_TRIP_SAMPLE * 0.99);
    }

    @Test
    void edgeFamiliesRoundTripAndAreShortest() {
        // Every power of two (the asymmetric-interval case), the smallest subnormals, powers of ten and their
        // neighbours, integers around 2^53, and MAX_VALUE.
        for (int e = -1074; e <= 1023; e++) {
            checkShortest(Math.scalb(1.0, e));
            checkShortest(-Math.scalb(1.0, e));
        }
        for (long t = 1; t <= 5_000; t++) {
            checkShortest(Double.longBitsToDouble(t));
        }
        for (long t = (1L << 52) - 2_000; t < (1L << 52); t++) {
            checkShortest(Double.longBitsToDouble(t));
        }
        for (int k = -323; k <= 308; k++) {
            final double p = Double.parseDouble("1e" + k);
            checkShortest(p);
            checkShortest(Math.nextUp(p));
            checkShortest(Math.nextDown(p));
        }
        for (long n = (1L << 53) - 1_000; n < (1L << 53) + 1_000; n++) {
            checkShortest((double) n);
        }
        checkShortest(Double.MAX_VALUE);
        checkShortest(Double.MIN_VALUE);
        checkShortest(Double.MIN_NORMAL);
    }

    @Test
    void randomValuesAreShortest() {
        final Random random = new Random(42);
        for (int i = 0; i < MINIMALITY_SAMPLE; i++) {
            final double v = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(v)) {
                checkShortest(v);
            }
        }
        // Values of everyday magnitude, where a non-shortest output would be most visible.
        for (int i = 0; i < MINIMALITY_SAMPLE / 3; i++) {
            checkShortest(random.nextDouble() * Math.pow(10, random.nextInt(20) - 10));
        }
    }

    @Test
    void shortDecimalsPrintAsWritten() {
        final Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            final long unscaled = random.nextInt(2_000_001) - 1_000_000;
            final int scale = random.nextInt(7);
            final BigDecimal decimal = BigDecimal.valueOf(unscaled, scale);
            final double v = decimal.doubleValue();
            final String s = format(v);
            assertEquals(0, new BigDecimal(s).compareTo(decimal), () -> decimal + " printed as " + s);
        }
    }

    /** Round trip, JSON grammar, and no decimal with one digit fewer reads back as the same double. */
    private void checkShortest(final double v) {
        final String s = format(v);
        if (Double.doubleToRawLongBits(Double.parseDouble(s)) != Double.doubleToRawLongBits(v)) {
            fail("round trip failed for " + Long.toHexString(Double.doubleToRawLongBits(v)) + ": " + s);
        }
        if (!JSON_NUMBER.matcher(s).matches()) {
            fail("not a JSON number: " + s);
        }
        final int digits = significantDigits(s);
        if (digits <= 1 || v == 0) {
            return;
        }
        // The closest decimals with one digit fewer bracket v; if neither reads back as v, no shorter one does.
        final BigDecimal exact = new BigDecimal(v);
        final MathContext down = new MathContext(digits - 1, RoundingMode.FLOOR);
        final MathContext up = new MathContext(digits - 1, RoundingMode.CEILING);
        for (final BigDecimal candidate : new BigDecimal[] {exact.round(down), exact.round(up)}) {
            if (Double.parseDouble(candidate.toString()) == v) {
                fail(s + " is not shortest: " + candidate + " has " + (digits - 1) + " digits and reads back the same");
            }
        }
    }

    static int significantDigits(final String s) {
        final String mantissa = s.replace("-", "").split("E")[0].replace(".", "");
        final String trimmed = mantissa.replaceFirst("^0+", "").replaceFirst("0+$", "");
        return Math.max(1, trimmed.length());
    }

    @Test
    void maxLengthHoldsForLongestForms() {
        final byte[] longest = "-2.2250738585072014E-308".getBytes(StandardCharsets.US_ASCII);
        assertEquals(ShortestDouble.MAX_LENGTH, longest.length);
        assertEquals("-2.2250738585072014E-308", format(-Double.MIN_NORMAL));
    }
}
