package dev.pipescope.log;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * String values of one byte per char are read from the string, checked and copied eight bytes at a time; every line must
 * still be byte for byte what the char-by-char path writes for the same text (a {@code StringBuilder}
 * value takes that path), wherever the char that needs escaping or UTF-8 sits, and at every line length
 * where the value is cut.
 */
class Latin1StringPathTest {
    private static final char[] SPECIAL = {'"', '\\', '\n', '\u0001', '\u001f', '\u007f', '\u0080', '\u00b5', '\u00ff',
        '\u0100', '\u20ac', '\ud83d', ' ', '~'};

    private static String line(final JsonLogEncoder encoder, final CharSequence value) {
        encoder.begin(1_795_000_000_123L, LogLevel.INFO, JsonStrings.quotedUtf8("c"), "e")
            .field("k", value).item(value).beginArray("a").item(value).endArray();
        final int n = encoder.end();
        final byte[] out = new byte[n];
        encoder.buffer().getBytes(0, out);
        return new String(out, StandardCharsets.UTF_8) + "|" + encoder.isTruncated();
    }

    @Test
    void theCheckWorksOnThisJvm() {
        assertTrue(Latin1Strings.available(), "the Latin-1 check disabled itself: the fast path is never taken");
        assertTrue(Latin1Strings.isLatin1("plain \u00b5"));
        assertEquals(false, Latin1Strings.isLatin1("not \u0100"));
    }

    @Test
    void everyPositionOfEverySpecialCharWritesWhatTheCharPathWrites() {
        final JsonLogEncoder encoder = new JsonLogEncoder(LogFormat.defaults());
        for (final char special : SPECIAL) {
            for (int length = 0; length <= 40; length++) {
                for (int at = 0; at < Math.max(1, length); at++) {
                    final StringBuilder text = new StringBuilder();
                    for (int i = 0; i < length; i++) {
                        text.append(i == at ? special : (char) ('a' + i % 26));
                    }
                    final String s = text.toString();
                    assertEquals(line(encoder, new StringBuilder(s)), line(encoder, s), () -> "text " + s.replace("\n", "\\n"));
                }
            }
        }
    }

    @Test
    void cutValuesMatchTheCharPathAtEveryLineLength() {
        final Random random = new Random(7);
        for (int maxLine = LogFormat.MIN_LINE_LENGTH; maxLine < LogFormat.MIN_LINE_LENGTH + 160; maxLine++) {
            final JsonLogEncoder encoder = new JsonLogEncoder(LogFormat.defaults().withMaxLineLength(maxLine));
            for (int k = 0; k < 20; k++) {
                final StringBuilder text = new StringBuilder();
                final int length = random.nextInt(120);
                for (int i = 0; i < length; i++) {
                    text.append(random.nextInt(12) == 0 ? SPECIAL[random.nextInt(SPECIAL.length - 3)] : (char) (' ' + random.nextInt(95)));
                }
                final String s = text.toString();
                assertEquals(line(encoder, new StringBuilder(s)), line(encoder, s), () -> "line length limit, text " + s);
            }
        }
    }

    @Test
    void theWordPassFindsEverySpecialByteInEveryLaneAndTail() {
        for (int n = 0; n <= 24; n++) {
            for (int at = -1; at < n; at++) {
                for (final int special : new int[] {'"', '\\', 0, 0x1f, 0x80, 0xa2, 0xdc, 0xff}) {
                    final byte[] text = new byte[n];
                    final char[] chars = new char[n];
                    for (int i = 0; i < n; i++) {
                        final int plain = 0x20 + (i * 7) % 0x5f;
                        text[i] = (byte) (i == at ? special : plain == '"' || plain == '\\' ? 'x' : plain);
                        chars[i] = (char) (text[i] & 0xFF);
                    }
                    final byte[] expected = new byte[200];
                    final int expectedEnd = JsonStrings.writeEscaped(chars, n, expected, 3, 180);
                    final byte[] actual = new byte[200];
                    final int actualEnd = JsonStrings.writeEscapedLatin1(text, actual, 3, 180);
                    final String where = "n " + n + " at " + at + " byte " + special;
                    assertEquals(expectedEnd, actualEnd, where);
                    assertEquals(Arrays.toString(Arrays.copyOf(expected, expectedEnd)),
                        Arrays.toString(Arrays.copyOf(actual, actualEnd)), where);
                    final byte[] bytewise = new byte[200];
                    assertEquals(expectedEnd, JsonStrings.writeEscapedLatin1Bytewise(text, bytewise, 3, 180), where);
                    assertEquals(Arrays.toString(Arrays.copyOf(expected, expectedEnd)),
                        Arrays.toString(Arrays.copyOf(bytewise, expectedEnd)), "bytewise, " + where);
                }
            }
        }
    }

    @Test
    void textThatDoesNotFitIsRefusedExactlyWhereTheCharPathRefusesIt() {
        final byte[] text = "ab\"cd\u00b5ef\nghijklmnop".getBytes(StandardCharsets.ISO_8859_1);
        final char[] chars = new String(text, StandardCharsets.ISO_8859_1).toCharArray();
        for (int limit = 0; limit < 40; limit++) {
            final boolean fits = JsonStrings.writeEscaped(chars, chars.length, new byte[64], 0, limit) >= 0;
            final int end = JsonStrings.writeEscapedLatin1(text, new byte[64], 0, limit);
            assertEquals(fits, end >= 0, "limit " + limit);
            final int bytewiseEnd = JsonStrings.writeEscapedLatin1Bytewise(text, new byte[64], 0, limit);
            assertEquals(fits, bytewiseEnd >= 0, "bytewise, limit " + limit);
        }
    }

    @Test
    void aDestinationWithoutTheOverrunIsAnErrorNotAWriteOutsideIt() {
        assertThrows(IndexOutOfBoundsException.class,
            () -> JsonStrings.writeEscapedLatin1(new byte[] {'a'}, new byte[20], 0, 10));
    }
}
