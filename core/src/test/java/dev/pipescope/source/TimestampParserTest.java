package dev.pipescope.source;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimestampParserTest {
    private final TimestampParser parser = new TimestampParser();

    private long parse(final String s) {
        return parse(parser, s);
    }

    private static long parse(final TimestampParser p, final String s) {
        final char[] chars = ("xx" + s + "yy").toCharArray();
        return p.parse(chars, 2, s.length());
    }

    private static long parse(final TimestampUnit unit, final String s) {
        return parse(new TimestampParser(unit), s);
    }

    @Test
    void isoInstants() {
        assertEquals(Instant.parse("2026-11-27T10:00:00Z").toEpochMilli(), parse("2026-11-27T10:00:00Z"));
        assertEquals(1_795_773_600_000L, parse("2026-11-27T10:00:00Z"));
        assertEquals(1_795_773_600_123L, parse("2026-11-27T10:00:00.123Z"));
        assertEquals(1_795_773_600_500L, parse("2026-11-27T10:00:00.5Z"));
        assertEquals(1_795_773_600_123L, parse("2026-11-27T10:00:00.123999999Z"), "truncated to the millisecond");
        assertEquals(1_795_773_600_000L, parse("2026-11-27t10:00:00z"));
        assertEquals(1_795_773_600_000L, parse("2026-11-27T10:00Z"));
        assertEquals(1_795_773_600_000L, parse("2026-11-27T10:00:00"), "no zone: UTC");
    }

    @Test
    void offsets() {
        assertEquals(OffsetDateTime.parse("2026-11-27T10:00:00+01:00").toInstant().toEpochMilli(),
            parse("2026-11-27T10:00:00+01:00"));
        assertEquals(1_795_773_600_000L - 3_600_000L, parse("2026-11-27T10:00:00+01:00"));
        assertEquals(OffsetDateTime.parse("2026-11-27T10:00:00-05:30").toInstant().toEpochMilli(),
            parse("2026-11-27T10:00:00-0530"));
        assertEquals(OffsetDateTime.parse("2026-11-27T10:00:00.250+09:00").toInstant().toEpochMilli(),
            parse("2026-11-27T10:00:00.250+09"));
        assertEquals(OffsetDateTime.parse("2026-01-01T00:30:00+01:00").toInstant().toEpochMilli(),
            parse("2026-01-01T00:30:00+01:00"), "an offset can move the instant to the previous day and year");
    }

    @Test
    void spaceSeparatedAndDateOnlyAreUtc() {
        assertEquals(LocalDateTime.parse("2013-12-02T21:15:00").toInstant(ZoneOffset.UTC).toEpochMilli(),
            parse("2013-12-02 21:15:00"));
        assertEquals(LocalDate.parse("2026-11-27").atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli(),
            parse("2026-11-27"));
        assertEquals(0L, parse("1970-01-01"));
        assertEquals(-86_400_000L, parse("1969-12-31"));
        assertEquals(LocalDate.parse("2024-02-29").atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli(),
            parse("2024-02-29"));
        assertEquals(LocalDate.parse("2000-02-29").atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli(),
            parse("2000-02-29"));
    }

    @Test
    void epochMillis() {
        assertEquals(1_795_773_600_000L, parse("1795773600000"));
        assertEquals(0L, parse("0"));
        assertEquals(-1L, parse("-1"));
        assertEquals(-86_400_000L, parse("-86400000"));
        assertEquals(999_999_999_999_999L, parse("999999999999999"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2026-02-30 | timestamp date does not exist",
        "2026-02-29 | timestamp date does not exist",
        "1900-02-29 | timestamp date does not exist",
        "2026-04-31T00:00:00Z | timestamp date does not exist",
        "2026-13-01T00:00:00Z | timestamp date does not exist",
        "2026-00-10 | timestamp date does not exist",
        "2026-11-00 | timestamp date does not exist",
        "2026-11-27T24:00:00Z | timestamp time is out of range",
        "2026-11-27T10:60:00Z | timestamp time is out of range",
        "2026-11-27T10:00:60Z | timestamp time is out of range",
        "2026-11-27T1:00:00Z | timestamp time is not HH:MM",
        "2026-11-27X10:00:00Z | separate date and time",
        "2026/11/27 | neither ISO-8601",
        "27.11.2026 | neither ISO-8601",
        "abc | neither ISO-8601",
        "- | neither ISO-8601",
        "20a6-11-27 | date is not YYYY-MM-DD",
        "2026-11-27T10:00:00.Z | fraction of a second must have 1 to 9 digits",
        "2026-11-27T10:00:00.1234567891Z | fraction of a second must have 1 to 9 digits",
        "2026-11-27T10:00:00Zjunk | unexpected text after timestamp zone",
        "2026-11-27T10:00:00+19:00 | zone offset is out of range",
        "2026-11-27T10:00:00+01:60 | zone offset is out of range",
        "2026-11-27T10:00:00+1 | zone must be Z or +HH:MM",
        "2026-11-27T10:00:00 UTC | zone must be Z or +HH:MM",
        "1234567890123456 | epoch milliseconds out of range",
        "1.5.5 | neither ISO-8601",
    })
    void invalidTimestampsAreRejectedWithAReason(final String text, final String reason) {
        assertEquals(TimestampParser.INVALID, parse(text), text);
        assertNotNull(parser.error());
        assertEquals(true, parser.error().contains(reason), text + ": " + parser.error());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-27T", "2026-11-27T10", "2026-11-27T10:0", "2026-11-27T10:00:0"})
    void truncatedTimesAreRejected(final String text) {
        assertEquals(TimestampParser.INVALID, parse(text), text);
    }

    @Test
    void emptyIsRejected() {
        assertEquals(TimestampParser.INVALID, parser.parse(new char[0], 0, 0));
        assertEquals("timestamp is empty", parser.error());
    }

    @Test
    void randomInstantsMatchJavaTime() {
        final SplittableRandom r = new SplittableRandom(1127);
        final long min = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        final long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        final DateTimeFormatter local = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS");
        for (int i = 0; i < 50_000; i++) {
            final long seconds = r.nextLong(min, max);
            final int nanos = switch (r.nextInt(4)) {
                case 0 -> 0;
                case 1 -> r.nextInt(1000) * 1_000_000;
                case 2 -> r.nextInt(1_000_000) * 1000;
                default -> r.nextInt(1_000_000_000);
            };
            final Instant instant = Instant.ofEpochSecond(seconds, nanos);
            final long expected = instant.toEpochMilli();

            final String iso = instant.toString();
            assertEquals(expected, parse(iso), iso);

            final ZoneOffset offset = ZoneOffset.ofTotalSeconds(60 * (r.nextInt(18 * 60 * 2 + 1) - 18 * 60));
            final OffsetDateTime odt = instant.atOffset(offset);
            if (odt.getYear() < 1 || odt.getYear() > 9999) {
                continue;
            }
            final String withOffset = odt.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            assertEquals(expected, parse(withOffset), withOffset);

            final String spaced = instant.atOffset(ZoneOffset.UTC).format(local);
            assertEquals(expected, parse(spaced), spaced);

            final String millis = Long.toString(expected);
            if (millis.length() <= 15) {
                assertEquals(expected, parse(millis), millis);
            }
        }
    }

    @Test
    void theIssuesExampleEpochSecondsAreNoLonger1970() {
        // 2013-12-02 21:15:00 UTC in seconds: read as milliseconds it was 1970-01-17
        final long expected = Instant.parse("2013-12-02T21:15:00Z").toEpochMilli();
        assertEquals(expected, parse(TimestampUnit.SECONDS, "1386018900"));
        assertEquals(expected, parse(TimestampUnit.AUTO, "1386018900"));
        assertEquals(1_386_018_900L, parse(TimestampUnit.MILLISECONDS, "1386018900"), "as asked");
    }

    @Test
    void eachUnitScalesToMillisecondsAndKeepsTheFractionToTheMillisecond() {
        assertEquals(1_386_018_900_250L, parse(TimestampUnit.SECONDS, "1386018900.25"));
        assertEquals(1_386_018_900_123L, parse(TimestampUnit.SECONDS, "1386018900.1239"), "finer digits dropped");
        assertEquals(1_386_018_900_123L, parse(TimestampUnit.MILLISECONDS, "1386018900123.9"));
        assertEquals(1_386_018_900_123L, parse(TimestampUnit.MICROSECONDS, "1386018900123456"));
        assertEquals(1_386_018_900_123L, parse(TimestampUnit.MICROSECONDS, "1386018900123999.99"));
        assertEquals(0L, parse(TimestampUnit.SECONDS, "0"));
        assertEquals(5_000L, parse(TimestampUnit.SECONDS, "0005"), "leading zeros are not digits that count");
        assertEquals(-1_500L, parse(TimestampUnit.SECONDS, "-1.5"));
    }

    @Test
    void negativeFractionsGoTowardThePastLikeIsoFractions() {
        // 1969-12-31T23:59:59.9995Z truncates to .999, i.e. -1 ms; the number -0.0005 s is the same instant
        assertEquals(Instant.parse("1969-12-31T23:59:59.999Z").toEpochMilli(), parse("1969-12-31T23:59:59.9995Z"));
        assertEquals(-1L, parse(TimestampUnit.SECONDS, "-0.0005"));
        assertEquals(0L, parse(TimestampUnit.SECONDS, "0.0005"));
        assertEquals(-2L, parse(TimestampUnit.MILLISECONDS, "-1.5"));
        assertEquals(-1L, parse(TimestampUnit.MICROSECONDS, "-1"));
        assertEquals(-1_000L, parse(TimestampUnit.MICROSECONDS, "-1000000"));
        assertEquals(-1_000L, parse(TimestampUnit.SECONDS, "-1.000"), "zeros are not finer digits");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0 | SECONDS",
        "-5 | SECONDS",
        "1386018900 | SECONDS",
        "99999999999 | SECONDS",
        "99999999999.999 | SECONDS",
        "100000000000 | MILLISECONDS",
        "-100000000000 | MILLISECONDS",
        "1795773600000 | MILLISECONDS",
        "99999999999999 | MILLISECONDS",
        "100000000000000 | MICROSECONDS",
        "1795773600000000 | MICROSECONDS",
        "999999999999999999 | MICROSECONDS",
    })
    void autoDecidesByTheMagnitudeOfTheIntegerPart(final String first, final TimestampUnit expected) {
        final TimestampParser auto = new TimestampParser(TimestampUnit.AUTO);
        assertEquals(TimestampUnit.AUTO, auto.decided(), "nothing decided before a number");
        final long millis = parse(auto, first);
        assertEquals(expected, auto.decided());
        assertEquals(parse(expected, first), millis, "the first number is read in the unit it decided");
        assertEquals(TimestampUnit.AUTO, auto.configured());
    }

    @Test
    void autoDecidesOnceAndReadsEveryLaterNumberInThatUnit() {
        final TimestampParser auto = new TimestampParser(TimestampUnit.AUTO);
        assertEquals(Instant.parse("2026-11-27T10:00:00Z").toEpochMilli(), parse(auto, "2026-11-27T10:00:00Z"));
        assertEquals(TimestampUnit.AUTO, auto.decided(), "ISO timestamps decide nothing");
        assertEquals(TimestampParser.INVALID, parse(auto, "1234567890123456789"));
        assertTrue(auto.error().contains("nanoseconds are not supported"), auto.error());
        assertEquals(TimestampUnit.AUTO, auto.decided(), "an out-of-range number decides nothing");
        assertEquals(TimestampParser.INVALID, parse(auto, "1."));
        assertEquals(TimestampUnit.AUTO, auto.decided(), "neither does a malformed one");

        assertEquals(1_386_018_900_000L, parse(auto, "1386018900"));
        assertEquals(TimestampUnit.SECONDS, auto.decided());
        // a later millisecond-sized number stays in seconds, so it is out of range rather than silently
        // read in another unit than its neighbours
        assertEquals(TimestampParser.INVALID, parse(auto, "1386018900000"));
        assertEquals("epoch seconds out of range (at most 12 digits)", auto.error());
        assertEquals(5_000L, parse(auto, "5"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SECONDS | 1000000000000 | epoch seconds out of range",
        "SECONDS | -1000000000000 | epoch seconds out of range",
        "MILLISECONDS | 1000000000000000 | epoch milliseconds out of range",
        "MICROSECONDS | 1000000000000000000 | epoch microseconds out of range",
        "MICROSECONDS | 99999999999999999999999 | epoch microseconds out of range",
        "SECONDS | 12. | has a '.' but no digits",
        "SECONDS | .5 | neither ISO-8601",
        "SECONDS | 1e9 | neither ISO-8601",
        "SECONDS | +5 | neither ISO-8601",
        "SECONDS | 1.2.3 | neither ISO-8601",
    })
    void numbersOutOfRangeOrMalformedAreRejectedWithAReason(final TimestampUnit unit, final String text,
        final String reason) {
        final TimestampParser p = new TimestampParser(unit);
        assertEquals(TimestampParser.INVALID, parse(p, text), text);
        assertTrue(p.error().contains(reason), text + ": " + p.error());
    }

    @Test
    void theLargestNumbersInRangeOfEachUnit() {
        assertEquals(999_999_999_999_000L, parse(TimestampUnit.SECONDS, "999999999999"));
        assertEquals(999_999_999_999_999L, parse(TimestampUnit.SECONDS, "999999999999.9999"));
        assertEquals(-999_999_999_999_999L, parse(TimestampUnit.SECONDS, "-999999999999.999"));
        assertEquals(TimestampParser.INVALID, parse(TimestampUnit.SECONDS, "-999999999999.9991"),
            "rounding toward the past leaves the range");
        assertEquals(999_999_999_999_999L, parse(TimestampUnit.MICROSECONDS, "999999999999999999"));
    }

    @Test
    void unitsReadFromTheCommandLine() {
        assertEquals(TimestampUnit.SECONDS, TimestampUnit.parse("s"));
        assertEquals(TimestampUnit.SECONDS, TimestampUnit.parse("SECONDS"));
        assertEquals(TimestampUnit.MILLISECONDS, TimestampUnit.parse(" ms "));
        assertEquals(TimestampUnit.MICROSECONDS, TimestampUnit.parse("\u00b5s"));
        assertEquals(TimestampUnit.MICROSECONDS, TimestampUnit.parse("us"));
        assertEquals(TimestampUnit.AUTO, TimestampUnit.parse("Auto"));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> TimestampUnit.parse("ns"));
        assertTrue(e.getMessage().contains("auto, seconds (s), milliseconds (ms) or microseconds (us), was 'ns'"),
            e.getMessage());
        for (final TimestampUnit u : TimestampUnit.values()) {
            assertEquals(u, TimestampUnit.parse(u.label()));
            assertEquals(u, TimestampUnit.parse(u.name()));
        }
    }

    @Test
    void randomEpochNumbersMatchJavaTimeInEveryUnit() {
        final SplittableRandom r = new SplittableRandom(2013);
        for (int i = 0; i < 20_000; i++) {
            final long micros = r.nextLong(-62_135_596_800_000_000L, 253_402_300_799_999_999L);
            final Instant instant = Instant.EPOCH.plusSeconds(Math.floorDiv(micros, 1_000_000L))
                .plusNanos(Math.floorMod(micros, 1_000_000L) * 1000L);
            final long expected = instant.toEpochMilli(); // floors, like the parser
            assertEquals(expected, parse(TimestampUnit.MICROSECONDS, Long.toString(micros)), "us " + micros);
            final String seconds = new java.math.BigDecimal(micros).movePointLeft(6).toPlainString();
            assertEquals(expected, parse(TimestampUnit.SECONDS, seconds), "s " + seconds);
            final String millis = new java.math.BigDecimal(micros).movePointLeft(3).toPlainString();
            assertEquals(expected, parse(TimestampUnit.MILLISECONDS, millis), "ms " + millis);
        }
    }
}
