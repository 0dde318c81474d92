package dev.pipescope.log;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipescope.batch.SensorRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonLogEncoderTest {
    private static final long T0 = Instant.parse("2026-11-27T10:00:00.123Z").toEpochMilli();
    private static final byte[] NORMALIZE = JsonStrings.quotedUtf8("normalize");

    private final JsonLogEncoder encoder = new JsonLogEncoder(LogFormat.defaults());

    private static void assertStandardFields(final JsonNode node) {
        final Iterator<String> names = node.fieldNames();
        assertEquals("timestamp", names.next());
        assertEquals("level", names.next());
        assertEquals("component", names.next());
        assertEquals("event", names.next());
    }

    @Test
    void writesStandardFieldsFirstAndTypedFields() {
        final SensorRegistry sensors = new SensorRegistry(4);
        final int s3 = sensors.register("S3 \"north\"");
        encoder.begin(T0, LogLevel.INFO, NORMALIZE, "stage_completed")
            .field("recordsIn", 1024)
            .field("recordsOut", 1019L)
            .field("elapsedMs", 0.012)
            .field("p99Ms", 1.23456, 3)
            .field("healthy", true)
            .field("stage", "normalize")
            .field("sensor", sensors.name(s3))
            .field("nothing", (CharSequence) null)
            .nullField("alsoNothing")
            .field("min", Long.MIN_VALUE)
            .field("max", Long.MAX_VALUE)
            .beginArray("openCircuits").item("calibration:S3").endArray()
            .beginObject("cacheHitRates").field("calibration", 0.99).endObject()
            .end();
        final String text = JsonLines.text(encoder);
        assertTrue(text.startsWith("{\"timestamp\":\"2026-11-27T10:00:00.123Z\",\"level\":\"INFO\","
            + "\"component\":\"normalize\",\"event\":\"stage_completed\",\"recordsIn\":1024,\"recordsOut\":1019,"
            + "\"elapsedMs\":0.012,\"p99Ms\":1.235,\"healthy\":true,\"stage\":\"normalize\","), text);
        assertTrue(text.endsWith(",\"openCircuits\":[\"calibration:S3\"],\"cacheHitRates\":{\"calibration\":0.99}}\n"), text);
        final JsonNode node = JsonLines.parse(encoder);
        assertStandardFields(node);
        assertEquals("S3 \"north\"", node.get("sensor").asText());
        assertTrue(node.get("nothing").isNull());
        assertTrue(node.get("alsoNothing").isNull());
        assertEquals(Long.MIN_VALUE, node.get("min").asLong());
        assertEquals(Long.MAX_VALUE, node.get("max").asLong());
        assertFalse(node.has("truncated"));
        assertFalse(encoder.isTruncated());
        assertEquals(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, encoder.length());
    }

    @Test
    void nestsObjectsAndArraysDeeply() {
        encoder.begin(T0, LogLevel.DEBUG, NORMALIZE, "health")
            .beginArray("stages")
            .beginObjectItem().field("name", "a").beginArray("latencies").item(1).item(2.5).item(true).nullItem().endArray().endObject()
            .beginObjectItem().field("name", "b").beginObject("empty").endObject().endObject()
            .beginArrayItem().item("x").endArray()
            .itemJson(NORMALIZE)
            .endArray()
            .end();
        assertTrue(JsonLines.text(encoder).endsWith(",\"event\":\"health\",\"stages\":[{\"name\":\"a\","
            + "\"latencies\":[1,2.5,true,null]},{\"name\":\"b\",\"empty\":{}},[\"x\"],\"normalize\"]}\n"), JsonLines.text(encoder));
        JsonLines.parse(encoder);
    }

    @Test
    void misuseNeverBreaksJson() {
        encoder.begin(T0, LogLevel.INFO, NORMALIZE, "misuse")
            .item(5) // no array open: dropped
            .endObject() // nothing open: ignored
            .beginArray("list").field("ignoredKey", 1).endObject() // field in array keeps the value; wrong end ignored
            .beginObject("open") // never closed: end() closes it
            .beginObjectItem() // unnamed object inside an object: skipped with its content
            .field("lost", 1)
            .endObject()
            .field("kept", 2)
            .end();
        final JsonNode node = JsonLines.parse(encoder);
        assertEquals(1, node.get("list").get(0).asInt());
        assertEquals(2, node.get("list").get(1).get("kept").asInt());
        assertTrue(node.get("truncated").asBoolean());

        encoder.begin(T0, LogLevel.INFO, NORMALIZE, "deep");
        for (int i = 0; i < JsonLogEncoder.MAX_DEPTH + 5; i++) {
            encoder.beginObject("d");
        }
        encoder.field("leaf", 1).end();
        final JsonNode deep = JsonLines.parse(encoder);
        assertTrue(deep.get("truncated").asBoolean());
        JsonNode cursor = deep;
        int depth = 0;
        while (cursor.has("d")) {
            cursor = cursor.get("d");
            depth++;
        }
        assertEquals(JsonLogEncoder.MAX_DEPTH, depth);
        assertFalse(cursor.has("leaf"));

        assertEquals(0, JsonLogEncoder.DISABLED.field("x", 1).end());
        assertEquals(0, encoder.end(), "end without begin does nothing");
    }

    @Test
    void reservedKeysAreRenamedAtTopLevelOnly() {
        encoder.begin(T0, LogLevel.INFO, NORMALIZE, "e")
            .field("level", "mine")
            .field("timestamp", 1)
            .field("component", 2)
            .field("event", 3)
            .field("truncated", false)
            .beginObject("nested").field("level", "kept").endObject()
            .end();
        final JsonNode node = JsonLines.parse(encoder); // strict: a duplicate key would fail here
        assertEquals("INFO", node.get("level").asText());
        assertEquals("mine", node.get("field.level").asText());
        assertEquals(1, node.get("field.timestamp").asInt());
        assertEquals(2, node.get("field.component").asInt());
        assertEquals(3, node.get("field.event").asInt());
        assertFalse(node.get("field.truncated").asBoolean());
        assertEquals("kept", node.get("nested").get("level").asText());
        assertFalse(node.has("truncated"));
    }

    @Test
    void keysAreEscaped() {
        encoder.begin(T0, LogLevel.INFO, NORMALIZE, "e").field("we\"ird\nk\u00e9y\uD800", 1).field(null, 2).end();
        final JsonNode node = JsonLines.parse(encoder);
        assertEquals(1, node.get("we\"ird\nk\u00e9y\uFFFD").asInt());
        assertEquals(2, node.get("null").asInt());
    }

    @Test
    void nonFiniteDoublesAreNullByDefault() {
        encoder.begin(T0, LogLevel.INFO, NORMALIZE, "e")
            .field("nan", Double.NaN).field("inf", Double.POSITIVE_INFINITY).field("ninf", Double.NEGATIVE_INFINITY)
            .field("fixedNan", Double.NaN, 3)
            .beginArray("a").item(Double.NaN).endArray()
            .end();
        final JsonNode node = JsonLines.parse(encoder);
        assertTrue(node.get("nan").isNull());
        assertTrue(node.get("inf").isNull());
        assertTrue(node.get("ninf").isNull());
        assertTrue(node.get("fixedNan").isNull());
        assertTrue(node.get("a").get(0).isNull());
    }

    @Test
    void nonFiniteDoublesAsStringsWhenConfigured() {
        final JsonLogEncoder strings = new JsonLogEncoder(LogFormat.defaults().withNonFiniteStyle(NonFiniteStyle.STRING));
        strings.begin(T0, LogLevel.INFO, NORMALIZE, "e")
            .field("nan", Double.NaN).field("inf", Double.POSITIVE_INFINITY).field("ninf", Double.NEGATIVE_INFINITY)
            .field("fixedInf", Double.POSITIVE_INFINITY, 2).field("finite", -0.0)
            .end();
        final JsonNode node = JsonLines.parse(strings);
        assertEquals("NaN", node.get("nan").asText());
        assertEquals("Infinity", node.get("inf").asText());
        assertEquals("-Infinity", node.get("ninf").asText());
        assertEquals("Infinity", node.get("fixedInf").asText());
        assertTrue(JsonLines.text(strings).contains("\"finite\":-0.0"));
    }

    @Test
    void fixedDecimalsField() {
        encoder.begin(T0, LogLevel.INFO, NORMALIZE, "e").field("ms", 0.0125, 3).field("ratio", 2.0 / 3, 2).field("whole", 41.5, 0).end();
        final String text = JsonLines.text(encoder);
        assertTrue(text.contains("\"ms\":0.013,\"ratio\":0.67,\"whole\":42}"), text);
        JsonLines.parse(encoder);
    }

    @Test
    void timestampsMatchJavaTime() {
        final DateTimeFormatter iso = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
        final Random random = new Random(3);
        final long[] fixed = {0, -1, 1, 951_782_400_000L /* 2000-02-29 */, 4_107_542_399_999L /* 2100-02-28T23:59:59.999 */,
            UtcTimestampWriter.MIN_EPOCH_MILLIS, UtcTimestampWriter.MAX_EPOCH_MILLIS, T0};
        for (int i = 0; i < 20_000; i++) {
            final long millis = i < fixed.length ? fixed[i]
                : i % 2 == 0 ? T0 + random.nextInt(1_000_000_000) // mostly the same days: exercises the cache
                : UtcTimestampWriter.MIN_EPOCH_MILLIS
                    + (long) (random.nextDouble() * (UtcTimestampWriter.MAX_EPOCH_MILLIS - UtcTimestampWriter.MIN_EPOCH_MILLIS));
            encoder.begin(millis, LogLevel.INFO, NORMALIZE, "t").end();
            final String expected = iso.format(Instant.ofEpochMilli(millis));
            assertEquals(expected, JsonLines.parse(encoder).get("timestamp").asText());
        }
        encoder.begin(Long.MAX_VALUE, LogLevel.INFO, NORMALIZE, "t").end();
        assertEquals("9999-12-31T23:59:59.999Z", JsonLines.parse(encoder).get("timestamp").asText());
        encoder.begin(Long.MIN_VALUE, LogLevel.INFO, NORMALIZE, "t").end();
        assertEquals("0000-01-01T00:00:00.000Z", JsonLines.parse(encoder).get("timestamp").asText());
    }

    @Test
    void ecsProfileUsesEcsNames() {
        final JsonLogEncoder ecs = new JsonLogEncoder(LogFormat.defaults().withProfile(LogProfile.ECS));
        ecs.begin(T0, LogLevel.WARNING, NORMALIZE, "circuit_opened")
            .field("message", "renamed").field("ecs.version", "x").field("log.level", "y").field("level", "free")
            .end();
        final String text = JsonLines.text(ecs);
        assertTrue(text.startsWith("{\"@timestamp\":\"2026-11-27T10:00:00.123Z\",\"log.level\":\"WARNING\","
            + "\"log.logger\":\"normalize\",\"message\":\"circuit_opened\",\"ecs.version\":\"" + LogProfile.ECS_VERSION + "\","), text);
        final JsonNode node = JsonLines.parse(ecs);
        assertEquals("renamed", node.get("field.message").asText());
        assertEquals("x", node.get("field.ecs.version").asText());
        assertEquals("y", node.get("field.log.level").asText());
        assertEquals("free", node.get("level").asText());
    }

    @Test
    void oversizedStringIsCutOnCodePointBoundaryAndMarked() {
        final JsonLogEncoder small = new JsonLogEncoder(LogFormat.defaults().withMaxLineLength(LogFormat.MIN_LINE_LENGTH));
        final String emoji = "\uD83D\uDE00";
        for (int pad = 0; pad < 8; pad++) {
            final String value = "x".repeat(pad) + emoji.repeat(200);
            small.begin(T0, LogLevel.INFO, NORMALIZE, "big").field("n", 1).field("text", value).field("after", 2).end();
            assertTrue(small.length() <= LogFormat.MIN_LINE_LENGTH);
            final JsonNode node = JsonLines.parse(small); // strict UTF-8: a split emoji would fail
            final String text = node.get("text").asText();
            assertTrue(text.endsWith(JsonStrings.TRUNCATION_MARKER), text);
            final String kept = text.substring(0, text.length() - JsonStrings.TRUNCATION_MARKER.length());
            assertTrue(value.startsWith(kept));
            assertFalse(kept.contains("\uFFFD"));
            assertTrue(node.get("truncated").asBoolean());
            assertEquals(1, node.get("n").asInt());
            assertTrue(small.isTruncated());
        }
        assertEquals(8, small.truncatedLineCount());
    }

    @Test
    void fieldsThatDoNotFitAreDroppedWholeAndLaterSmallOnesStillTried() {
        final JsonLogEncoder small = new JsonLogEncoder(LogFormat.defaults().withMaxLineLength(LogFormat.MIN_LINE_LENGTH));
        final byte[] bigJson = JsonStrings.quotedUtf8("y".repeat(300));
        small.begin(T0, LogLevel.INFO, NORMALIZE, "e").fieldJson("big", bigJson).field("k".repeat(300), 1).field("small", 3).end();
        final JsonNode node = JsonLines.parse(small);
        assertFalse(node.has("big"));
        assertEquals(3, node.get("small").asInt());
        assertTrue(node.get("truncated").asBoolean());

        small.begin(T0, LogLevel.INFO, NORMALIZE, "e");
        for (int i = 0; i < 100; i++) {
            small.beginObject("o" + i).field("v", i * 0.1).endObject();
        }
        small.end();
        assertTrue(small.length() <= LogFormat.MIN_LINE_LENGTH);
        assertTrue(JsonLines.parse(small).get("truncated").asBoolean());
        assertEquals(2, small.truncatedLineCount());
    }

    @Test
    void hugeEventAndComponentStillGiveValidLine() {
        final JsonLogEncoder small = new JsonLogEncoder(LogFormat.defaults().withMaxLineLength(LogFormat.MIN_LINE_LENGTH).withProfile(LogProfile.ECS));
        small.begin(T0, LogLevel.WARNING, JsonStrings.quotedUtf8("c".repeat(500)), "\u00e9".repeat(500)).field("x", 1).end();
        assertTrue(small.length() <= LogFormat.MIN_LINE_LENGTH);
        final JsonNode node = JsonLines.parse(small);
        assertEquals(JsonStrings.TRUNCATION_MARKER, node.get("log.logger").asText());
        assertTrue(node.get("message").asText().endsWith(JsonStrings.TRUNCATION_MARKER));
        assertEquals(LogProfile.ECS_VERSION, node.get("ecs.version").asText());
        assertTrue(node.get("truncated").asBoolean());

        small.begin(T0, null, null, null).end();
        final JsonNode nulls = JsonLines.parse(small);
        assertTrue(nulls.get("log.level").isNull());
        assertTrue(nulls.get("message").isNull());
    }

    /** Random call sequences at random small capacities: the line is always valid JSON within the limit. */
    @Test
    void randomCallSequencesAlwaysGiveValidLines() {
        final Random random = new Random(11);
        final StringBuilder text = new StringBuilder();
        for (int round = 0; round < 3_000; round++) {
            final int capacity = LogFormat.MIN_LINE_LENGTH + random.nextInt(600);
            final LogProfile profile = random.nextBoolean() ? LogProfile.DEFAULT : LogProfile.ECS;
            final JsonLogEncoder e = new JsonLogEncoder(LogFormat.defaults().withMaxLineLength(capacity).withProfile(profile));
            e.begin(random.nextLong(), LogLevel.values()[random.nextInt(4)], NORMALIZE, "fuzz");
            final int operations = random.nextInt(60);
            for (int i = 0; i < operations; i++) {
                text.setLength(0);
                final int length = random.nextInt(random.nextInt(10) == 0 ? 400 : 12);
                for (int c = 0; c < length; c++) {
                    text.append(JsonStringsTest.randomChar(random));
                }
                // Standard names are used at most once per line (the encoder does not de-duplicate the caller's
                // own repeated keys), so strict duplicate detection checks the renaming.
                final String key = i < 4 && random.nextBoolean()
                    ? new String[] {profile.levelKey(), profile.timestampKey(), profile.eventKey(), "truncated"}[i]
                    : "k" + i;
                switch (random.nextInt(14)) {
                    case 0: e.field(key, random.nextInt()); break;
                    case 1: e.field(key, random.nextLong()); break;
                    case 2: e.field(key, Double.longBitsToDouble(random.nextLong())); break;
                    case 3: e.field(key, random.nextGaussian() * 1e6, random.nextInt(12)); break;
                    case 4: e.field(key, text); break;
                    case 5: e.fieldJson(key, JsonStrings.quotedUtf8(text)); break;
                    case 6: e.beginObject(key); break;
                    case 7: e.beginArray(key); break;
                    case 8: e.endObject(); break;
                    case 9: e.endArray(); break;
                    case 10: e.item(text); break;
                    case 11: e.item(Double.longBitsToDouble(random.nextLong())); break;
                    case 12: e.beginObjectItem(); break;
                    default: e.field(text + "#" + i, random.nextBoolean()); break;
                }
            }
            e.end();
            assertTrue(e.length() <= capacity, "line longer than the limit");
            final JsonNode node = JsonLines.parse(e);
            assertEquals(profile.timestampKey(), node.fieldNames().next());
            assertEquals(e.isTruncated(), node.has("truncated"));
        }
    }

    @Test
    void componentLimitScalesWithLineLength() {
        assertEquals(2048, JsonLogEncoder.maxComponentLength(8192));
        final JsonLogEncoder e = new JsonLogEncoder(LogFormat.defaults());
        assertEquals(LogFormat.DEFAULT_LINE_LENGTH, e.capacity());
        assertFalse(e.isActive());
        e.begin(T0, LogLevel.INFO, NORMALIZE, "x");
        assertTrue(e.isActive());
        e.end();
        assertFalse(e.isActive());
    }
}
