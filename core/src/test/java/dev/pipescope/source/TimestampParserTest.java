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

class TimestampParserTest {
    private final TimestampParser parser = new TimestampParser();

    private long parse(final String s) {
        final char[] chars = ("xx" + s + "yy").toCharArray();
        return parser.parse(chars, 2, s.length());
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
}
