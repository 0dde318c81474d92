package dev.pipescope.source;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecimalParserTest {
    private final DecimalParser parser = new DecimalParser();

    private double parse(final String s) {
        // parse from the middle of a larger buffer so offsets are exercised
        final char[] chars = ("@@" + s + "##").toCharArray();
        return parser.parse(chars, 2, s.length());
    }

    private void assertExact(final String s) {
        final double expected = Double.parseDouble(s);
        final double actual = parse(s);
        if (Double.isInfinite(expected)) {
            assertTrue(Double.isNaN(actual), s + " overflows and must be rejected, got " + actual);
            assertTrue(parser.error().contains("out of the range"), parser.error());
        } else {
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                () -> s + ": expected " + expected + " got " + actual);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "0.0", "-0.0", "+0", "1", "-1", "+2.5", "123", "0.005", "000123.4500",
        ".5", "5.", "1e3", "1E3", "1e+3", "1e-3", "-2.5E-3", "0.1", "0.2", "0.3", "9007199254740993",
        "123456789012345", "1234567890123456", "0.000000000000000000000000001", "1e22", "1e23", "1e-22", "1e-23",
        "4.9e-324", "2.4703282292062328e-324", "1.7976931348623157e308", "1e-400", "-1e-400", "0e999999",
        "99999999999999999999999", "3.141592653589793238462643383279", "2.2250738585072012e-308",
        "1e999", "-1e999", "1.8e308"})
    void knownCasesMatchParseDoubleBitForBit(final String s) {
        assertExact(s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0x1p3", "0x10", "1d", "1f", "1D", "1F", "NaN", "Infinity", "-Infinity", "+Infinity",
        "1e", "1e+", "1e-", ".", "+", "-", "", "1.2.3", "1e5.5", "1_000", "e5", "--1", "+-1", " 1", "1 ", "1,5",
        "abc", "1e5e5", ".e5"})
    void rejectsWhatIsNotAFiniteDecimal(final String s) {
        assertTrue(Double.isNaN(parse(s)), "'" + s + "' must be rejected");
        assertNotNull(parser.error());
    }

    @Test
    void reasonsAreSpecific() {
        parse("");
        assertEquals("value is empty", parser.error());
        parse("abc");
        assertEquals("value is not a number", parser.error());
        parse("1e");
        assertEquals("value has an empty exponent", parser.error());
        parse("1e999");
        assertEquals("value is out of the range of a double", parser.error());
    }

    private static String digits(final SplittableRandom r, final int n) {
        final StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append((char) ('0' + r.nextInt(10)));
        }
        return s.toString();
    }

    @Test
    void randomDecimalsMatchParseDoubleBitForBit() {
        final SplittableRandom r = new SplittableRandom(0x5EED_2026L);
        for (int i = 0; i < 300_000; i++) {
            final String sign = r.nextInt(4) == 0 ? "-" : r.nextInt(10) == 0 ? "+" : "";
            final String s;
            switch (r.nextInt(8)) {
                case 0: // integers
                    s = sign + digits(r, 1 + r.nextInt(19));
                    break;
                case 1: // fixed decimals, as sensors print them
                    s = sign + digits(r, 1 + r.nextInt(6)) + "." + digits(r, 1 + r.nextInt(8));
                    break;
                case 2: // scientific
                    s = sign + digits(r, 1) + "." + digits(r, 1 + r.nextInt(16)) + (r.nextBoolean() ? "e" : "E")
                        + (r.nextBoolean() ? "-" : r.nextBoolean() ? "+" : "") + r.nextInt(330);
                    break;
                case 3: // many digits: the fallback path
                    s = sign + digits(r, 1 + r.nextInt(25)) + "." + digits(r, 1 + r.nextInt(25));
                    break;
                case 4: // leading zeros like 0.005
                    s = sign + "0." + "0".repeat(r.nextInt(25)) + digits(r, 1 + r.nextInt(17));
                    break;
                case 5: // Java's own shortest representation of arbitrary doubles
                    double d;
                    do {
                        d = Double.longBitsToDouble(r.nextLong());
                    } while (!Double.isFinite(d));
                    s = Double.toString(d);
                    break;
                case 6: // around the fast path's limits: 15 to 17 digits, exponents near 22
                    s = sign + digits(r, 1 + r.nextInt(17)) + "e" + (r.nextBoolean() ? "-" : "") + (15 + r.nextInt(12));
                    break;
                default: // small exponents on short mantissas, including zero mantissas
                    s = sign + (r.nextInt(20) == 0 ? "0" : digits(r, 1 + r.nextInt(4))) + "."
                        + digits(r, r.nextInt(4)) + "e" + (r.nextInt(45) - 22);
                    break;
            }
            assertExact(s);
        }
    }

    @Test
    void negativeZeroKeepsItsSign() {
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(parse("-0.0")));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(parse("-0e7")));
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(parse("0.000")));
    }
}
