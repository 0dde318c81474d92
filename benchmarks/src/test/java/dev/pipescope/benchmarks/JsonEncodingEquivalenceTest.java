package dev.pipescope.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Keeps the JSON encoding suite honest: every contender writes one line holding the same fields with the
 * same values as ours (parsed with Jackson; numbers compared as numbers, key order ignored).
 */
class JsonEncodingEquivalenceTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static List<JsonEventWriters.Writer> others() {
        return List.of(new JsonEventWriters.Jackson(), new JsonEventWriters.Log4j2(),
            new JsonEventWriters.PlainStringBuilder(), new JsonEventWriters.StringFormat());
    }

    @Test
    void everyWriterProducesTheSameStageCompletedEvent() throws Exception {
        final long t = JsonEncodingBenchmark.BASE_EPOCH_MS;
        final JsonEventWriters.Ours ours = new JsonEventWriters.Ours();
        final int n = ours.stageCompleted(t);
        final JsonNode expected = parseLine(ours.lastLine(), n, "ours");
        assertEquals("stage_completed", expected.path("event").asText());
        assertEquals(Instant.ofEpochMilli(t).toString(), expected.path("timestamp").asText());
        assertEquals(8, expected.size(), expected.toString());
        for (final JsonEventWriters.Writer w : others()) {
            for (int i = 0; i < 3; i++) { // reuse must not leak one line into the next
                final int len = w.stageCompleted(t);
                assertSame(expected, parseLine(w.lastLine(), len, w.getClass().getSimpleName()), w);
            }
        }
    }

    @Test
    void everyWriterProducesTheSamePipelineHealthEvent() throws Exception {
        final long t = JsonEncodingBenchmark.BASE_EPOCH_MS + 86_400_000L * 400 + 999;
        final JsonEventWriters.Ours ours = new JsonEventWriters.Ours();
        final int n = ours.pipelineHealth(t);
        final JsonNode expected = parseLine(ours.lastLine(), n, "ours");
        assertEquals("pipeline_health", expected.path("event").asText());
        assertEquals(Instant.ofEpochMilli(t).toString(), expected.path("timestamp").asText());
        assertEquals(2, expected.path("reasons").size());
        assertTrue(expected.path("reasons").get(1).asText().contains("\u00b5s"), "non-ASCII survives");
        for (final JsonEventWriters.Writer w : others()) {
            for (int i = 0; i < 3; i++) {
                final int len = w.pipelineHealth(t);
                assertSame(expected, parseLine(w.lastLine(), len, w.getClass().getSimpleName()), w);
            }
        }
    }

    @Test
    void isoMillisMatchesTheJdk() {
        final char[] out = new char[JsonEventWriters.IsoMillis.LENGTH];
        for (final long t : new long[] {0L, 951_782_400_000L, 1_795_000_000_123L, 4_102_444_799_999L,
            1_709_164_800_001L}) {
            JsonEventWriters.IsoMillis.format(t, out);
            final String jdk = Instant.ofEpochMilli(t).toString();
            final String expected = jdk.contains(".") ? jdk : jdk.replace("Z", ".000Z");
            assertEquals(expected, new String(out), "at " + t);
        }
    }

    private static JsonNode parseLine(final byte[] bytes, final int length, final String who) throws Exception {
        assertEquals(bytes.length, length, who + ": reported length");
        final String line = new String(bytes, StandardCharsets.UTF_8);
        assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, who + ": one line: " + line);
        return MAPPER.readTree(line);
    }

    private static void assertSame(final JsonNode expected, final JsonNode actual, final Object who) {
        final List<String> problems = new ArrayList<>();
        compare("", expected, actual, problems);
        if (!problems.isEmpty()) {
            fail(who.getClass().getSimpleName() + " differs from ours: " + problems + "\nours:   " + expected
                + "\ntheirs: " + actual);
        }
    }

    private static void compare(final String path, final JsonNode e, final JsonNode a, final List<String> problems) {
        if (e.isNumber() && a.isNumber()) {
            final double x = e.doubleValue();
            final double y = a.doubleValue();
            if (Math.abs(x - y) > 1e-9 * Math.max(1, Math.abs(x))) {
                problems.add(path + ": " + x + " vs " + y);
            }
        } else if (e.isObject() && a.isObject()) {
            final TreeSet<String> keys = new TreeSet<>();
            e.fieldNames().forEachRemaining(keys::add);
            final TreeSet<String> theirs = new TreeSet<>();
            a.fieldNames().forEachRemaining(theirs::add);
            if (!keys.equals(theirs)) {
                problems.add(path + ": keys " + keys + " vs " + theirs);
                return;
            }
            for (final Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
                final Map.Entry<String, JsonNode> f = it.next();
                compare(path + "/" + f.getKey(), f.getValue(), a.get(f.getKey()), problems);
            }
        } else if (e.isArray() && a.isArray()) {
            if (e.size() != a.size()) {
                problems.add(path + ": " + e.size() + " items vs " + a.size());
                return;
            }
            for (int i = 0; i < e.size(); i++) {
                compare(path + "/" + i, e.get(i), a.get(i), problems);
            }
        } else if (!e.equals(a)) {
            problems.add(path + ": " + e + " vs " + a);
        }
    }
}
