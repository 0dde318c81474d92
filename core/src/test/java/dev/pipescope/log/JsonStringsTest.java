package dev.pipescope.log;

import com.fasterxml.jackson.databind.JsonNode;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonStringsTest {
    private final JsonLogEncoder encoder = new JsonLogEncoder(LogFormat.defaults().withMaxLineLength(64 * 1024));

    private String roundTrip(final String value) {
        encoder.begin(0, LogLevel.INFO, JsonStrings.quotedUtf8("c"), "e").field("s", value).end();
        final JsonNode node = JsonLines.parse(encoder);
        return node.get("s").asText();
    }

    @Test
    void nastyStringsRoundTripThroughJackson() {
        final String[] nasty = {
            "", "plain", "quote\" backslash\\ slash/", "\\\"\\\\\"", "tab\tnewline\ncr\rbs\bff\f",
            "emoji \uD83D\uDE00 and \uD83C\uDF0D", "caf\u00e9 \u4e2d\u6587 \u0394", "line\u2028para\u2029end",
            "\u007f del", "\uFFFF nonchar", "\uD800\uDC00 first supplementary", "\uDBFF\uDFFF last supplementary",
        };
        for (final String s : nasty) {
            assertEquals(s, roundTrip(s), () -> "round trip of " + s);
        }
    }

    @Test
    void everyControlCharIsEscapedAndReadsBack() {
        final StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            all.append(c);
        }
        assertEquals(all.toString(), roundTrip(all.toString()));
        final String literal = new String(JsonStrings.quotedUtf8(all), StandardCharsets.US_ASCII);
        assertEquals("\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e"
            + "\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c"
            + "\\u001d\\u001e\\u001f\"", literal);
    }

    @Test
    void loneSurrogatesBecomeReplacementCharacter() {
        assertEquals("a\uFFFDb", roundTrip("a\uD800b"));
        assertEquals("a\uFFFDb", roundTrip("a\uDC00b"));
        assertEquals("\uFFFD", roundTrip("\uD83D"));
        assertEquals("\uFFFD\uFFFD", roundTrip("\uDE00\uD83D"));
        assertEquals("\uFFFD\uD83D\uDE00", roundTrip("\uD83D\uD83D\uDE00"));
    }

    @Test
    void lineAndParagraphSeparatorsAreEscaped() {
        assertArrayEquals("\"a\\u2028b\\u2029\"".getBytes(StandardCharsets.US_ASCII),
            JsonStrings.quotedUtf8("a\u2028b\u2029"));
    }

    @Test
    void nonAsciiIsWrittenAsUtf8Directly() {
        final String s = "\u00e9\u4e2d\uD83D\uDE00";
        final byte[] expected = ("\"" + s + "\"").getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(expected, JsonStrings.quotedUtf8(s));
    }

    @Test
    void byteArrayAndBufferWritersAgree() {
        final String s = "k\u00e9y \"x\" \uD83D\uDE00\n";
        final byte[] viaArray = new byte[JsonStrings.maxQuotedLength(s.length()) + 3];
        final int end = JsonStrings.writeQuoted(s, viaArray, 3);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final int bufferEnd = JsonStrings.writeQuoted(s, buffer, 0, 64);
        assertEquals(end - 3, bufferEnd);
        for (int i = 0; i < bufferEnd; i++) {
            assertEquals(viaArray[3 + i], buffer.getByte(i));
        }
    }

    @Test
    void boundedWriterStopsOnCodePointBoundaryAndTruncatedLiteralIsMarked() {
        final String s = "ab\uD83D\uDE00cd\u00e9";
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        // "ab" is 2 bytes, the emoji 4: a limit of 5 must stop after "ab".
        assertEquals(~2, JsonStrings.writeEscaped(s, buffer, 0, 5));
        assertEquals(~7, JsonStrings.writeEscaped(s, buffer, 0, 7));
        assertEquals(~8, JsonStrings.writeEscaped(s, buffer, 0, 9));
        assertEquals(10, JsonStrings.writeEscaped(s, buffer, 0, 10));

        for (int max = JsonStrings.MIN_TRUNCATED_LITERAL_LENGTH; max < 40; max++) {
            final String long40 = "\uD83D\uDE00\u00e9x".repeat(10);
            final byte[] literal = JsonStrings.quotedUtf8(long40, max);
            assertTrue(literal.length <= max, "length " + literal.length + " > " + max);
            final String decoded = JsonLines.strictUtf8(literal);
            assertTrue(decoded.endsWith(JsonStrings.TRUNCATION_MARKER + "\""), decoded);
            final String kept = decoded.substring(1, decoded.length() - 1 - JsonStrings.TRUNCATION_MARKER.length());
            assertTrue(long40.startsWith(kept), "kept text must be a prefix: " + kept);
        }
        assertArrayEquals(JsonStrings.quotedUtf8("short"), JsonStrings.quotedUtf8("short", 20));
    }

    @Test
    void randomStringsRoundTrip() {
        final Random random = new Random(20261127L);
        final StringBuilder sb = new StringBuilder();
        for (int round = 0; round < 20_000; round++) {
            sb.setLength(0);
            final int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                sb.append(randomChar(random));
            }
            final String s = sb.toString();
            assertEquals(JsonLines.expectedRoundTrip(s), roundTrip(s), () -> "seed round with " + escapeForMessage(s));
        }
    }

    static char randomChar(final Random random) {
        switch (random.nextInt(8)) {
            case 0: return (char) random.nextInt(0x20);
            case 1: return "\"\\/\u2028\u2029\u007f".charAt(random.nextInt(6));
            case 2: return (char) (0xD800 + random.nextInt(0x800));
            case 3: return (char) (0x80 + random.nextInt(0x780));
            case 4: return (char) random.nextInt(0x10000);
            default: return (char) (0x20 + random.nextInt(0x5F));
        }
    }

    private static String escapeForMessage(final String s) {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            sb.append(String.format("\\u%04x", (int) s.charAt(i)));
        }
        return sb.toString();
    }
}
