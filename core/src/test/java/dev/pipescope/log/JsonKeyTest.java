package dev.pipescope.log;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A {@link JsonKey} writes exactly what its name as a {@code String} (and as an uncached key) writes. */
class JsonKeyTest {
    private static final byte[] COMPONENT = JsonStrings.quotedUtf8("c");
    private static final String[] NAMES = {"recordsIn", "level", "timestamp", "message", "ecs.version", "truncated",
        "we\"ird\nk\u00e9y\uD800", "", "x".repeat(300), "field.level", "null"};

    @Test
    void keysWriteTheSameLineAsStringsInBothProfilesAtEveryDepth() {
        for (final LogProfile profile : LogProfile.values()) {
            for (final String name : NAMES) {
                final JsonKey key = JsonKey.of(name);
                for (int round = 0; round < 2; round++) { // the second round takes every cached path
                    assertEquals(line(profile, name, new StringBuilder(name)), line(profile, name, key),
                        profile + " " + name);
                    assertEquals(line(profile, name, name), line(profile, name, key), profile + " " + name);
                }
            }
        }
    }

    @Test
    void keysNearTheLineCapAreDroppedLikeStrings() {
        for (int pad = 150; pad < 260; pad++) {
            final String padding = "p".repeat(pad);
            assertEquals(capped(padding, new StringBuilder("heapUsedKb"), new StringBuilder("memory")),
                capped(padding, JsonKey.of("heapUsedKb"), JsonKey.of("memory")), "pad " + pad);
        }
    }

    @Test
    void aKeyIsItsName() {
        final JsonKey key = JsonKey.of("recordsIn");
        assertEquals("recordsIn", key.name());
        assertEquals("recordsIn", key.toString());
        assertEquals(9, key.length());
        assertEquals('r', key.charAt(0));
        assertEquals("In", key.subSequence(7, 9).toString());
        assertThrows(NullPointerException.class, () -> JsonKey.of(null));
    }

    private static String capped(final String padding, final CharSequence key, final CharSequence object) {
        final JsonLogEncoder e = new JsonLogEncoder(LogFormat.defaults().withMaxLineLength(LogFormat.MIN_LINE_LENGTH));
        for (int round = 0; round < 2; round++) {
            e.begin(3L, LogLevel.INFO, COMPONENT, "ev").field("pad", padding).field(key, 123_456L)
                .beginObject(object).field(key, 0.5, 2).field(key, true).endObject()
                .beginArray(key).item(1L).endArray().field(key, "v").end();
        }
        return e.buffer().getStringWithoutLengthUtf8(0, e.length());
    }

    private static String line(final LogProfile profile, final String name, final CharSequence key) {
        final JsonLogEncoder e = new JsonLogEncoder(LogFormat.defaults().withProfile(profile));
        for (int round = 0; round < 2; round++) {
            e.begin(7L, LogLevel.WARNING, COMPONENT, "ev")
                .field(key, 1).field(key, 2L).field(key, 0.25).field(key, 1.5, 1).field(key, false)
                .field(key, "s").nullField(key).fieldJson(key, new byte[] {'7'})
                .beginObject(key).field(key, 3).beginArray(key).item(4L).endArray().endObject()
                .beginArray(key).beginObjectItem().field(key, 5).endObject().endArray()
                .end();
        }
        return e.buffer().getStringWithoutLengthUtf8(0, e.length());
    }
}
