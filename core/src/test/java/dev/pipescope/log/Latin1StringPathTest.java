package dev.pipescope.log;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * String values of one byte per char are copied in bulk and checked eight bytes at a time; every line must
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
        return new String(out, java.nio.charset.StandardCharsets.UTF_8) + "|" + encoder.isTruncated();
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
    void plainPrefixFindsTheFirstSpecialByteInEveryLane() {
        for (int n = 0; n <= 24; n++) {
            for (int at = -1; at < n; at++) {
                for (final int special : new int[] {'"', '\\', 0, 0x1f, 0x80, 0xa2, 0xdc, 0xff}) {
                    final byte[] bytes = new byte[40];
                    for (int i = 0; i < bytes.length; i++) {
                        final int plain = 0x20 + (i * 7) % 0x5f;
                        bytes[i] = (byte) (i == 3 + at ? special : plain == '"' || plain == '\\' ? 'x' : plain);
                    }
                    assertEquals(at < 0 ? n : at, JsonStrings.plainAsciiPrefix(bytes, 3, n), "n " + n + " at " + at + " byte " + special);
                }
            }
        }
    }
}
