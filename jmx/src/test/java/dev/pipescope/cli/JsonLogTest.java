package dev.pipescope.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The integration tests' JSON-lines checker rejects what a strict log pipeline would reject. */
class JsonLogTest {
    private static final String GOOD =
        "{\"timestamp\":\"2026-11-27T10:00:00.123Z\",\"level\":\"INFO\",\"component\":\"c\",\"event\":\"e\",\"x\":1}\n";

    @Test
    void acceptsAWellFormedLine() {
        assertEquals(1, JsonLog.parse(utf8(GOOD + "")).size());
        assertEquals(0, JsonLog.parse(new byte[0]).size());
    }

    @Test
    void rejectsWhatIsNotStrictJsonLines() {
        for (final String bad : new String[] {
            "{\"a\":NaN}\n", "{\"a\":Infinity}\n", "{\"a\":-Infinity}\n", // non-numeric numbers
            "{\"a\":1,\"a\":2}\n",                                       // duplicate key
            "{\"a\":{\"b\":1,\"b\":1}}\n",                                // duplicate key, nested
            "{\"a\":\"tab\there\"}\n",                                   // unescaped control character
            "{\"a\":1}{\"b\":2}\n",                                      // two objects on a line
            "{\"a\":1}",                                                 // no final newline (torn line)
            "{\"a\":1,}\n", "[1]\n", "\n", "{\"a\":01}\n", "{'a':1}\n",
            "{\"a\":\"\u2028\"}\n",                                      // raw U+2028
        }) {
            assertThrows(AssertionError.class, () -> JsonLog.parse(utf8(bad)), bad);
        }
        // an encoded surrogate (CESU-8) and an overlong form are not UTF-8
        assertThrows(AssertionError.class, () -> JsonLog.parse(new byte[] {'{', '"', 'a', '"', ':', '"',
            (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}', '\n'}));
        assertThrows(AssertionError.class, () -> JsonLog.parse(new byte[] {'{', '"', 'a', '"', ':', '"',
            (byte) 0xC0, (byte) 0xAF, '"', '}', '\n'}));
    }

    @Test
    void theDefaultProfileNeedsTheFourStandardFieldsFirst() {
        assertEquals(1, JsonLog.parseDefault(utf8(GOOD.replace("2026-11-27T10:00:00.123Z",
            java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString()))).size());
        for (final String bad : new String[] {
            GOOD,                                                         // a timestamp long before the run
            GOOD.replace("10:00:00.123Z", "10:00:00Z"),                   // no millis
            GOOD.replace("\"INFO\"", "\"WARN\""),
            GOOD.replace("{\"timestamp\":\"2026-11-27T10:00:00.123Z\",\"level\":\"INFO\",",
                "{\"level\":\"INFO\",\"timestamp\":\"2026-11-27T10:00:00.123Z\","),
        }) {
            assertThrows(AssertionError.class, () -> JsonLog.parseDefault(utf8(bad)), bad);
        }
    }

    private static byte[] utf8(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
