package dev.pipescope.source;

import java.util.Locale;

/**
 * What a numeric timestamp ({@code 1386018900}, {@code 1386018900.25}, {@code -5}) counts since
 * 1970-01-01T00:00:00Z. ISO-8601 timestamps carry their own meaning and are not affected.
 *
 * <p>{@link #AUTO} decides once, from the first numeric timestamp of the input that is in range, by the
 * magnitude of its integer part ({@link #forMagnitude(long)}):
 * <ul>
 *   <li>below 10<sup>11</sup> ({@link #AUTO_SECONDS_BELOW}): seconds — 10<sup>11</sup> s is the year 5138,
 *       while 10<sup>11</sup> ms is only 1973-03-03, so a millisecond count this small would be an
 *       implausible date for recorded data;</li>
 *   <li>below 10<sup>14</sup> ({@link #AUTO_MILLISECONDS_BELOW}): milliseconds (1973-03-03 to 5138);</li>
 *   <li>otherwise microseconds (from 1973-03-03 on; 19 digits, i.e. nanoseconds, are out of range).</li>
 * </ul>
 * Every later numeric timestamp of the input is read in the unit decided, so one input never mixes units.
 * Data that really is in milliseconds before 1973 (or seconds after 5138) needs the unit given explicitly.
 */
public enum TimestampUnit {
    /** Seconds since the epoch, as Unix tools and many data sets write them. */
    SECONDS("seconds", 1_000_000L),
    /** Milliseconds since the epoch, as Java and JavaScript write them. */
    MILLISECONDS("milliseconds", 1_000L),
    /** Microseconds since the epoch, as some databases and tracing tools write them. */
    MICROSECONDS("microseconds", 1L),
    /** Decide from the first numeric timestamp of the input, see the class comment. */
    AUTO("auto", 0L);

    /** {@link #AUTO} reads an integer part below this (10<sup>11</sup>) as seconds. */
    public static final long AUTO_SECONDS_BELOW = 100_000_000_000L;
    /** {@link #AUTO} reads an integer part below this (10<sup>14</sup>), and not below the seconds bound, as ms. */
    public static final long AUTO_MILLISECONDS_BELOW = 100_000_000_000_000L;

    private final String label;
    private final long micros;

    TimestampUnit(final String label, final long micros) {
        this.label = label;
        this.micros = micros;
    }

    /** @return the lower-case name used in logs and descriptions: {@code seconds}, {@code milliseconds}, ... */
    public String label() {
        return label;
    }

    /** @return microseconds in one unit; 0 for {@link #AUTO}, which is not a unit until decided. */
    long micros() {
        return micros;
    }

    /**
     * The unit {@link #AUTO} picks for a numeric timestamp.
     *
     * @param integerPart the timestamp's integer part, sign ignored.
     * @return {@link #SECONDS}, {@link #MILLISECONDS} or {@link #MICROSECONDS}.
     */
    public static TimestampUnit forMagnitude(final long integerPart) {
        // Math.abs(Long.MIN_VALUE) stays negative; it is far beyond any bound, so treat it as the largest.
        final long magnitude = integerPart == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(integerPart);
        if (magnitude < AUTO_SECONDS_BELOW) {
            return SECONDS;
        }
        return magnitude < AUTO_MILLISECONDS_BELOW ? MILLISECONDS : MICROSECONDS;
    }

    /**
     * Reads a unit as a user would type it, for command-line options: the constant's name or label in any
     * case, or {@code s}, {@code ms}, {@code us} / {@code µs}.
     *
     * @param text the text.
     * @return the unit.
     * @throws IllegalArgumentException naming the accepted spellings when none matches.
     */
    public static TimestampUnit parse(final String text) {
        final String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        switch (t) {
            case "s": case "sec": case "second": case "seconds": return SECONDS;
            case "ms": case "milli": case "millis": case "millisecond": case "milliseconds": return MILLISECONDS;
            case "us": case "\u00b5s": case "micro": case "micros": case "microsecond": case "microseconds":
                return MICROSECONDS;
            case "auto": return AUTO;
            default:
                throw new IllegalArgumentException("timestamp unit must be one of auto, seconds (s), milliseconds (ms)"
                    + " or microseconds (us), was '" + text + "'");
        }
    }
}
