package dev.pipescope.source;

/**
 * Parses timestamps from a range of characters without allocating: ISO-8601 date-times
 * ({@code 2026-11-27T10:00:00Z}, {@code 2026-11-27T10:00:00.123+01:00}, {@code 2013-12-02 21:15:00},
 * which without an offset is taken as UTC), dates ({@code 2026-11-27}, midnight UTC) and numbers since
 * the epoch ({@code 1386018900}, {@code 1764237600000}, {@code -5}, {@code 1386018900.25}) in a
 * {@link TimestampUnit}, decided from the first such number when the unit is {@link TimestampUnit#AUTO}.
 *
 * <p>Results are epoch milliseconds. Finer digits are dropped toward the past, as for the ISO fraction of
 * a second (so {@code -0.0005} seconds is -1 ms, {@code 0.0005} is 0 ms). Numbers whose millisecond value
 * has more than 15 digits (beyond the year 33658) are out of range. Every error text is a constant: a
 * stream of bad lines does not allocate.
 */
final class TimestampParser {
    /** Returned when the text is not a timestamp; {@link #error()} says why. */
    static final long INVALID = Long.MIN_VALUE;
    /** The largest magnitude, in ms, of a numeric timestamp: 15 digits, as epoch milliseconds always had. */
    static final long MAX_EPOCH_MILLIS = 999_999_999_999_999L;

    private final TimestampUnit configured;
    private TimestampUnit decided;
    private String error;

    /** A parser reading numbers as epoch milliseconds. */
    TimestampParser() {
        this(TimestampUnit.MILLISECONDS);
    }

    /** @param unit what numeric timestamps count; {@link TimestampUnit#AUTO} to decide from the first. */
    TimestampParser(final TimestampUnit unit) {
        configured = java.util.Objects.requireNonNull(unit, "unit");
        decided = unit;
    }

    /** @return the unit given. */
    TimestampUnit configured() {
        return configured;
    }

    /**
     * @return the unit numeric timestamps are read in: the configured one, or with {@link TimestampUnit#AUTO}
     *     the one decided, still {@code AUTO} until a numeric timestamp in range has been seen.
     */
    TimestampUnit decided() {
        return decided;
    }

    /** @return why the last parse failed. */
    String error() {
        return error;
    }

    /**
     * @param c   characters.
     * @param off first character.
     * @param len number of characters.
     * @return epoch milliseconds, or {@link #INVALID}.
     */
    long parse(final char[] c, final int off, final int len) {
        if (len == 0) {
            return fail("timestamp is empty");
        }
        if (isEpochNumber(c, off, len)) {
            return parseEpochNumber(c, off, len);
        }
        return parseIso(c, off, len);
    }

    /** {@code -?digits(.digits)?}: anything with a '-' after a digit or a ':' is a date or a time. */
    private static boolean isEpochNumber(final char[] c, final int off, final int len) {
        final int end = off + len;
        int i = off;
        if (c[i] == '-') {
            i++;
        }
        final int digitsFrom = i;
        while (i < end && c[i] >= '0' && c[i] <= '9') {
            i++;
        }
        if (i == digitsFrom) {
            return false;
        }
        if (i < end && c[i] == '.') {
            i++;
            while (i < end && c[i] >= '0' && c[i] <= '9') {
                i++;
            }
        }
        return i == end;
    }

    private long parseEpochNumber(final char[] c, final int off, final int len) {
        final int end = off + len;
        final boolean negative = c[off] == '-';
        int p = negative ? off + 1 : off;
        long integer = 0;
        int integerDigits = 0;
        for (; p < end && c[p] != '.'; p++) {
            // digits beyond 18 cannot be in range in any unit and would overflow the long: just count them
            if (integerDigits < 18) {
                integer = integer * 10 + (c[p] - '0');
            }
            if (integer != 0 || integerDigits > 0) {
                integerDigits++;
            }
        }
        final int fractionFrom = p + 1;
        if (p < end && fractionFrom == end) {
            return fail("timestamp number has a '.' but no digits after it");
        }
        TimestampUnit unit = decided;
        if (unit == TimestampUnit.AUTO) {
            unit = integerDigits > 18 ? TimestampUnit.MICROSECONDS : TimestampUnit.forMagnitude(integer);
        }
        final long unitMicros = unit.micros();
        // integer * unitMicros must stay within 15 digits of ms, i.e. 18 digits of micros
        final int maxIntegerDigits = 18 - digitCount(unitMicros) + 1;
        if (integerDigits > maxIntegerDigits) {
            return fail(outOfRange(unit));
        }
        // the fraction's micros: the first digits that matter in this unit; any later nonzero digit only
        // decides the direction of rounding
        long fractionMicros = 0;
        boolean finerDigits = false;
        long scale = unitMicros / 10;
        for (int i = fractionFrom; i < end; i++) {
            final int d = c[i] - '0';
            if (scale > 0) {
                fractionMicros += d * scale;
                scale /= 10;
            } else if (d != 0) {
                finerDigits = true;
            }
        }
        final long micros = integer * unitMicros + fractionMicros;
        long millis = micros / 1000;
        if (negative && (micros % 1000 != 0 || finerDigits)) {
            millis++; // toward the past: -1.5 ms is -2 ms, as -00:00:00.0015 would be
        }
        if (millis > MAX_EPOCH_MILLIS) {
            return fail(outOfRange(unit));
        }
        decided = unit;
        return negative ? -millis : millis;
    }

    private static int digitCount(final long v) {
        int n = 1;
        for (long x = v; x >= 10; x /= 10) {
            n++;
        }
        return n;
    }

    private static String outOfRange(final TimestampUnit unit) {
        switch (unit) {
            case SECONDS: return "epoch seconds out of range (at most 12 digits)";
            case MILLISECONDS: return "epoch milliseconds out of range (at most 15 digits)";
            default: return "epoch microseconds out of range (at most 18 digits; nanoseconds are not supported)";
        }
    }

    private long parseIso(final char[] c, final int off, final int len) {
        final int end = off + len;
        if (len < 10 || c[off + 4] != '-' || c[off + 7] != '-') {
            return fail("timestamp is neither ISO-8601 (2026-11-27T10:00:00Z) nor a number since the epoch");
        }
        final int year = digits(c, off, 4);
        final int month = digits(c, off + 5, 2);
        final int day = digits(c, off + 8, 2);
        if (year < 0 || month < 0 || day < 0) {
            return fail("timestamp date is not YYYY-MM-DD");
        }
        if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
            return fail("timestamp date does not exist");
        }
        long millisOfDay = 0;
        int p = off + 10;
        if (p < end) {
            if (c[p] != 'T' && c[p] != ' ' && c[p] != 't') {
                return fail("timestamp must separate date and time with 'T' or a space");
            }
            p++;
            if (p + 5 > end || c[p + 2] != ':') {
                return fail("timestamp time is not HH:MM[:SS[.fff]]");
            }
            final int hour = digits(c, p, 2);
            final int minute = digits(c, p + 3, 2);
            p += 5;
            int second = 0;
            int millis = 0;
            if (p < end && c[p] == ':') {
                second = p + 3 <= end ? digits(c, p + 1, 2) : -1;
                p += 3;
                if (p < end && (c[p] == '.' || c[p] == ',')) {
                    p++;
                    int scale = 100;
                    final int fractionStart = p;
                    while (p < end && c[p] >= '0' && c[p] <= '9') {
                        millis += (c[p] - '0') * scale;
                        scale /= 10;
                        p++;
                    }
                    if (p == fractionStart || p - fractionStart > 9) {
                        return fail("timestamp fraction of a second must have 1 to 9 digits");
                    }
                }
            }
            if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
                return fail("timestamp time is out of range");
            }
            millisOfDay = ((hour * 60L + minute) * 60 + second) * 1000 + millis;
            if (p < end) {
                final long offsetMillis = parseOffset(c, p, end);
                if (offsetMillis == INVALID) {
                    return INVALID;
                }
                millisOfDay -= offsetMillis;
            }
        }
        return daysFromCivil(year, month, day) * 86_400_000L + millisOfDay;
    }

    private long parseOffset(final char[] c, final int start, final int end) {
        if (c[start] == 'Z' || c[start] == 'z') {
            return start + 1 == end ? 0 : fail("unexpected text after timestamp zone 'Z'");
        }
        if (c[start] != '+' && c[start] != '-') {
            return fail("timestamp zone must be Z or +HH:MM");
        }
        final int sign = c[start] == '-' ? -1 : 1;
        final int rest = end - start - 1;
        final int hours = rest >= 2 ? digits(c, start + 1, 2) : -1;
        int minutes = 0;
        if (rest == 5 && c[start + 3] == ':') {
            minutes = digits(c, start + 4, 2);
        } else if (rest == 4) {
            minutes = digits(c, start + 3, 2);
        } else if (rest != 2) {
            return fail("timestamp zone must be Z or +HH:MM");
        }
        if (hours < 0 || hours > 18 || minutes < 0 || minutes > 59) {
            return fail("timestamp zone offset is out of range");
        }
        return sign * (hours * 60L + minutes) * 60_000L;
    }

    private static int digits(final char[] c, final int off, final int count) {
        int v = 0;
        for (int i = off; i < off + count; i++) {
            final char ch = c[i];
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }

    private static int daysInMonth(final int year, final int month) {
        switch (month) {
            case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4: case 6: case 9: case 11: return 30;
            default: return 31;
        }
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
    static long daysFromCivil(final int year, final int month, final int day) {
        final long y = month <= 2 ? year - 1 : year;
        final long era = (y >= 0 ? y : y - 399) / 400;
        final long yearOfEra = y - era * 400;
        final long dayOfYear = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        final long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    private long fail(final String reason) {
        error = reason;
        return INVALID;
    }
}
