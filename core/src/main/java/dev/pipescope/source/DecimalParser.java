package dev.pipescope.source;

/**
 * Parses a decimal number ({@code [+-]digits[.digits][(e|E)[+-]digits]}) from a range of characters.
 * The common case, at most 15 significant digits and a small exponent, is computed exactly without
 * allocating: both the integer mantissa and the power of ten are exact doubles, so one multiplication or
 * division gives the correctly rounded result. Anything else falls back to {@link Double#parseDouble},
 * which is exact but allocates a string.
 */
final class DecimalParser {
    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };

    private String error;

    /** @return why the last parse failed. */
    String error() {
        return error;
    }

    /**
     * @param c   characters.
     * @param off first character.
     * @param len number of characters.
     * @return the value, or NaN with {@link #error()} set when the text is not a finite decimal number.
     */
    double parse(final char[] c, final int off, final int len) {
        final int end = off + len;
        int p = off;
        if (len == 0) {
            return fail("value is empty");
        }
        boolean negative = false;
        if (c[p] == '+' || c[p] == '-') {
            negative = c[p] == '-';
            p++;
        }
        long mantissa = 0;
        int significant = 0;
        int exponent = 0;
        int digits = 0;
        boolean nonZeroSeen = false;
        while (p < end && c[p] >= '0' && c[p] <= '9') {
            nonZeroSeen |= c[p] != '0';
            if (nonZeroSeen) {
                if (significant < 18) {
                    mantissa = mantissa * 10 + (c[p] - '0');
                } else {
                    exponent++;
                }
                significant++;
            }
            digits++;
            p++;
        }
        if (p < end && c[p] == '.') {
            p++;
            while (p < end && c[p] >= '0' && c[p] <= '9') {
                nonZeroSeen |= c[p] != '0';
                if (!nonZeroSeen) {
                    exponent--;
                } else {
                    if (significant < 18) {
                        mantissa = mantissa * 10 + (c[p] - '0');
                        exponent--;
                    }
                    significant++;
                }
                digits++;
                p++;
            }
        }
        if (digits == 0) {
            return fail("value is not a number");
        }
        if (p < end && (c[p] == 'e' || c[p] == 'E')) {
            p++;
            boolean negativeExponent = false;
            if (p < end && (c[p] == '+' || c[p] == '-')) {
                negativeExponent = c[p] == '-';
                p++;
            }
            final int exponentStart = p;
            int e = 0;
            while (p < end && c[p] >= '0' && c[p] <= '9') {
                if (e < 100_000) {
                    e = e * 10 + (c[p] - '0');
                }
                p++;
            }
            if (p == exponentStart) {
                return fail("value has an empty exponent");
            }
            exponent += negativeExponent ? -e : e;
        }
        if (p != end) {
            return fail("value is not a number");
        }
        double result;
        if (mantissa == 0) {
            result = 0.0;
        } else if (significant <= 15 && exponent >= -22 && exponent <= 22) {
            result = exponent >= 0 ? mantissa * POWERS_OF_TEN[exponent] : mantissa / POWERS_OF_TEN[-exponent];
        } else {
            result = Math.abs(Double.parseDouble(new String(c, off, len)));
        }
        if (Double.isInfinite(result)) {
            return fail("value is out of the range of a double");
        }
        return negative ? -result : result;
    }

    private double fail(final String reason) {
        error = reason;
        return Double.NaN;
    }
}
