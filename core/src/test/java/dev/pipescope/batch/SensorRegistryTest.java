package dev.pipescope.batch;

import dev.pipescope.log.JsonStrings;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SensorRegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void registerGivesDenseIdsAndIsIdempotent() {
        final SensorRegistry registry = new SensorRegistry(8);
        assertEquals(0, registry.register("alpha"));
        assertEquals(1, registry.register("beta"));
        assertEquals(0, registry.register("alpha"));
        assertEquals(0, registry.register(new String("alpha".toCharArray())));
        assertEquals(2, registry.register("gamma"));
        assertEquals(3, registry.size());
        assertEquals("alpha", registry.name(0));
        assertEquals("beta", registry.name(1));
        assertEquals("gamma", registry.name(2));
    }

    @Test
    void findByCharSequenceDoesNotRegister() {
        final SensorRegistry registry = new SensorRegistry(4);
        registry.register("temp-1");
        assertEquals(0, registry.find(new StringBuilder("temp-1")));
        assertEquals(SensorRegistry.NOT_FOUND, registry.find("temp-2"));
        assertEquals(SensorRegistry.NOT_FOUND, registry.find("temp-"));
        assertEquals(SensorRegistry.NOT_FOUND, registry.find(""));
        assertEquals(1, registry.size());
    }

    @Test
    void findByCharRangeMatchesExactlyTheRange() {
        final SensorRegistry registry = new SensorRegistry(4);
        registry.register("ab");
        registry.register("abc");
        final char[] line = "x,abc,ab,abd,".toCharArray();
        assertEquals(1, registry.find(line, 2, 3));
        assertEquals(0, registry.find(line, 6, 2));
        assertEquals(0, registry.find(line, 2, 2)); // "ab" prefix of "abc"
        assertEquals(SensorRegistry.NOT_FOUND, registry.find(line, 9, 3)); // "abd"
        assertEquals(SensorRegistry.NOT_FOUND, registry.find(line, 0, 1));
        assertEquals(2, registry.size());
    }

    @Test
    void manySensorsStayFindableWithCollisions() {
        final SensorRegistry registry = new SensorRegistry(1000);
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, registry.register("S" + i));
        }
        // "Aa" and "BB" have the same String hash: both must still be told apart
        final SensorRegistry colliding = new SensorRegistry(2);
        assertEquals(0, colliding.register("Aa"));
        assertEquals(1, colliding.register("BB"));
        assertEquals(1, colliding.find("BB".toCharArray(), 0, 2));
        assertEquals(0, colliding.find("Aa"));
        for (int i = 0; i < 1000; i++) {
            final char[] chars = ("S" + i).toCharArray();
            assertEquals(i, registry.find(chars, 0, chars.length));
            assertEquals(i, registry.find("S" + i));
        }
        assertEquals(SensorRegistry.NOT_FOUND, registry.find("S1000"));
    }

    @Test
    void exhaustedCapacityIsReportedClearly() {
        final SensorRegistry registry = new SensorRegistry(2);
        registry.register("a");
        registry.register("b");
        assertEquals(1, registry.register("b")); // existing names still resolve when full
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> registry.register("c"));
        assertTrue(e.getMessage().contains("too many sensors"), e.getMessage());
        assertTrue(e.getMessage().contains("at most 2"), e.getMessage());
        assertEquals(2, registry.size());
        assertEquals(SensorRegistry.NOT_FOUND, registry.find("c"));
    }

    @Test
    void capacityMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new SensorRegistry(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "with \"quotes\"", "back\\slash", "tab\there", "new\nline", "cr\r",
        "nul\u0000bell\u0007esc\u001b", "unit\u001f", "caf\u00e9", "\u6e29\u5ea6\u8a08", "emoji \ud83d\ude00",
        "line\u2028sep\u2029", "del\u007f", "/slash/", ""})
    void aSensorNameEncodesAsQuotedEscapedUtf8Json(final String name) throws Exception {
        final SensorRegistry registry = new SensorRegistry(4);
        final int id = registry.register(name);
        final byte[] json = JsonStrings.quotedUtf8(registry.name(id));
        assertEquals('"', json[0]);
        assertEquals('"', json[json.length - 1]);
        // valid UTF-8, and no raw control character inside (RFC 8259)
        final String text = new String(json, StandardCharsets.UTF_8);
        assertTrue(java.util.Arrays.equals(json, text.getBytes(StandardCharsets.UTF_8)), "not valid UTF-8");
        for (final char c : text.toCharArray()) {
            assertTrue(c >= 0x20, "raw control char in " + text);
        }
        assertEquals(name, JSON.readValue(json, String.class));
    }

    @Test
    void loneSurrogateBecomesReplacementCharacterInJson() throws Exception {
        final SensorRegistry registry = new SensorRegistry(2);
        final int id = registry.register("bad\ud800x");
        assertEquals("bad\ufffdx", JSON.readValue(JsonStrings.quotedUtf8(registry.name(id)), String.class));
        assertEquals("bad\ud800x", registry.name(id));
    }
}
