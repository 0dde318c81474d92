package dev.pipescope.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cached field names must write exactly what the escaping path writes, line after line. */
class EncodedKeyCacheTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] COMPONENT = JsonStrings.quotedUtf8("c");

    private static JsonNode line(final JsonLogEncoder e) throws Exception {
        final int length = e.length();
        return JSON.readTree(e.buffer().getStringWithoutLengthUtf8(0, length));
    }

    @Test
    void cachedKeysWriteTheSameLineEveryTimeAndReservedNamesAreStillRenamedAtTheTop() throws Exception {
        final JsonLogEncoder e = new JsonLogEncoder(LogFormat.defaults());
        for (int round = 0; round < 3; round++) { // first round fills the cache, later rounds use it
            e.begin(1L, LogLevel.INFO, COMPONENT, "ev").field("recordsIn", 7).field("level", "x")
                .beginObject("nested").field("level", 1).field("recordsIn", 2).endObject()
                .field("k\u00e9y", 3).end();
            final JsonNode n = line(e);
            assertEquals(7, n.get("recordsIn").asInt());
            assertEquals("INFO", n.get("level").asText(), "the standard field is not overwritten");
            assertEquals("x", n.get("field.level").asText(), "round " + round);
            assertEquals(1, n.get("nested").get("level").asInt(), "nested keys are not renamed");
            assertEquals(3, n.get("k\u00e9y").asInt(), "non-ASCII keys take the escaping path");
        }
    }

    @Test
    void mutableKeysAreNeverCachedByIdentity() throws Exception {
        final JsonLogEncoder e = new JsonLogEncoder(LogFormat.defaults());
        final StringBuilder key = new StringBuilder("first");
        e.begin(1L, LogLevel.INFO, COMPONENT, "ev").field(key, 1).end();
        assertTrue(line(e).has("first"));
        key.setLength(0);
        key.append("second");
        e.begin(1L, LogLevel.INFO, COMPONENT, "ev").field(key, 1).end();
        assertTrue(line(e).has("second"));
        assertFalse(line(e).has("first"));
    }

    @Test
    void manyDistinctKeysFillTheCacheThenStillEncodeCorrectly() throws Exception {
        final JsonLogEncoder e = new JsonLogEncoder(LogFormat.defaults());
        for (int i = 0; i < 1000; i++) {
            final String key = "key" + i;
            e.begin(1L, LogLevel.INFO, COMPONENT, "ev").field(key, i).end();
            assertEquals(i, line(e).get(key).asInt());
        }
    }

    @Test
    void ecsProfileReservedNamesAreRenamedToo() throws Exception {
        final JsonLogEncoder e = new JsonLogEncoder(LogFormat.defaults().withProfile(LogProfile.ECS));
        for (int round = 0; round < 2; round++) {
            e.begin(1L, LogLevel.INFO, COMPONENT, "ev").field("message", "mine").end();
            final JsonNode n = line(e);
            assertEquals("ev", n.get("message").asText());
            assertEquals("mine", n.get("field.message").asText());
        }
    }
}
