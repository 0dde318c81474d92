package dev.pipescope.source;

/**
 * Parses timestamps from a range of characters without allocating: ISO-8601 date-times
 * ({@code 2026-11-27T10:00:00Z}, {@code 2026-11-27T10:00:00.123+01:00}, {@code 2013-12-02 21:15:00},
 * which without an offset is taken as UTC), dates ({@code 2026-11-27}, midnight UTC) and epoch
 * milliseconds ({@code 1764237600000}).
 */
final class TimestampParser {
    /** Returned when the text is not a timestamp; {@link #error()} says why. */
    static final long INVALID = Long.MIN_VALUE;

    private String error;

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
        if (isEpochMillis(c, off, len)) {
            return parseEpochMillis(c, off, len);
        }
        return parseIso(c, off, len);
    }

    private static boolean isEpochMillis(final char[] c, final int off, final int len) {
        int i = off;
        if (c[i] == '-') {
            i++;
        }
        if (i == off + len) {
            return false;
        }
        for (; i < off + len; i++) {
            if (c[i] < '0' || c[i] > '9') {
                return false;
            }
        }
        return true;
    }

    private long parseEpochMillis(final char[] c, final int off, final int len) {
        final boolean negative = c[off] == '-';
        final int digits = negative ? len - 1 : len;
        if (digits > 15) {
            return fail("epoch milliseconds out of range");
        }
        long v = 0;
        for (int i = negative ? off + 1 : off; i < off + len; i++) {
            v = v * 10 + (c[i] - '0');
        }
        return negative ? -v : v;
    }

    private long parseIso(final char[] c, final int off, final int len) {
        final int end = off + len;
        if (len < 10 || c[off + 4] != '-' || c[off + 7] != '-') {
            return fail("timestamp is neither ISO-8601 (2026-11-27T10:00:00Z) nor epoch milliseconds");
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
