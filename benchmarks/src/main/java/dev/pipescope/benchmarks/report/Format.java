package dev.pipescope.benchmarks.report;

import java.util.Locale;

/** Number formatting for the report: fixed locale, a few significant digits, never scientific notation. */
final class Format {
    private Format() {
    }

    /** @return e.g. {@code 123.4 M} or {@code 12.35 k}; {@code n/a} for NaN. */
    static String human(final double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "n/a";
        }
        final double a = Math.abs(v);
        if (a >= 1e9) {
            return sig(v / 1e9) + " G";
        }
        if (a >= 1e6) {
            return sig(v / 1e6) + " M";
        }
        if (a >= 1e3) {
            return sig(v / 1e3) + " k";
        }
        return sig(v);
    }

    /** @return v with four significant digits (no more decimals than needed), grouped thousands. */
    static String sig(final double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "n/a";
        }
        final double a = Math.abs(v);
        final int decimals = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 10 ? 2 : a >= 1 ? 3 : a == 0 ? 0 : 4;
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    /** @return bytes per operation: three decimals below 100, whole bytes above. */
    static String bytes(final double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3f", v);
    }

    /** @return e.g. {@code 31.2×} or {@code 0.412×}. */
    static String ratio(final double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "n/a";
        }
        return (v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3g", v)) + "×";
    }

    /** @return e.g. {@code 41%} or {@code 3.5%}. */
    static String percent(final double fraction) {
        if (Double.isNaN(fraction) || Double.isInfinite(fraction)) {
            return "n/a";
        }
        final double p = 100 * fraction;
        return (Math.abs(p) >= 10 ? String.format(Locale.ROOT, "%.0f", p) : String.format(Locale.ROOT, "%.1f", p)) + "%";
    }
}
