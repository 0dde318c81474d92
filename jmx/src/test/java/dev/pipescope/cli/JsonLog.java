package dev.pipescope.cli;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reads the program's JSON event lines as strictly as a log pipeline would: strict UTF-8 (no encoded
 * surrogates, no overlong forms), strict RFC 8259 JSON (no NaN/Infinity tokens, no unescaped control
 * characters, no duplicate keys, nothing after the object), exactly one object per '\n'-terminated line.
 */
final class JsonLog {
    /** Jackson with every leniency off and duplicate keys rejected, at the stream and at the tree level. */
    static final ObjectMapper STRICT = JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
        .disable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
        .disable(JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
        .disable(JsonReadFeature.ALLOW_TRAILING_COMMA)
        .build();

    /** ISO-8601 UTC with milliseconds, e.g. {@code 2026-11-27T10:00:00.123Z}. */
    static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    static final Set<String> LEVELS = Set.of("DEBUG", "INFO", "WARNING", "ERROR");
    static final List<String> DEFAULT_KEYS = List.of("timestamp", "level", "component", "event");
    /** The simulator's default pipeline, {@code PipelineDefinition.defaults()}. */
    static final List<String> STAGES = List.of("threshold", "calibrate", "normalize", "feature", "adaptive");

    private JsonLog() {
    }

    /**
     * Parses every line strictly; fails the test on the first line that is not a JSON object.
     *
     * @param bytes the log as written; must be empty or end with '\n'.
     * @return one object per line.
     */
    static List<JsonNode> parse(final byte[] bytes) {
        final List<JsonNode> lines = new ArrayList<>();
        if (bytes.length == 0) {
            return lines;
        }
        assertEquals('\n', bytes[bytes.length - 1], "the log ends with a complete line (a trailing newline)");
        int from = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                lines.add(parseLine(bytes, from, i, lines.size() + 1));
                from = i + 1;
            }
        }
        return lines;
    }

    private static JsonNode parseLine(final byte[] bytes, final int from, final int to, final int number) {
        final String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
        } catch (final CharacterCodingException e) {
            throw new AssertionError("line " + number + " is not valid UTF-8: " + e, e);
        }
        assertTrue(text.indexOf('\r') < 0, () -> "line " + number + " holds a raw CR: " + text);
        assertTrue(text.indexOf('\u2028') < 0 && text.indexOf('\u2029') < 0,
            () -> "line " + number + " holds a raw U+2028/U+2029 (must be escaped): " + text);
        final JsonNode node;
        try {
            node = STRICT.readTree(text);
        } catch (final IOException e) {
            throw new AssertionError("line " + number + " is not strict JSON: " + e.getMessage() + "\n" + text, e);
        }
        if (node == null || !node.isObject()) {
            fail("line " + number + " is not a JSON object: " + text);
        }
        return node;
    }

    /** {@link #parse} and check that every line starts with the four standard fields of the default profile. */
    static List<JsonNode> parseDefault(final byte[] bytes) {
        final List<JsonNode> lines = parse(bytes);
        final Instant earliest = Instant.now().minus(Duration.ofMinutes(10));
        final Instant latest = Instant.now().plus(Duration.ofMinutes(1));
        for (final JsonNode line : lines) {
            assertEquals(DEFAULT_KEYS, firstKeys(line, 4), () -> "the standard fields come first: " + line);
            final String ts = line.get("timestamp").asText();
            assertTrue(line.get("timestamp").isTextual() && TIMESTAMP.matcher(ts).matches(),
                () -> "timestamp is ISO-8601 UTC with millis: " + line);
            final Instant t = Instant.parse(ts);
            assertTrue(!t.isBefore(earliest) && !t.isAfter(latest), () -> "timestamp is about now: " + line);
            assertTrue(line.get("level").isTextual() && LEVELS.contains(line.get("level").asText()),
                () -> "level is one of " + LEVELS + ": " + line);
            assertTrue(line.get("component").isTextual() && !line.get("component").asText().isEmpty(),
                () -> "component is a non-empty string: " + line);
            assertTrue(line.get("event").isTextual() && line.get("event").asText().matches("[a-z][a-z_]*"),
                () -> "event is a snake_case name: " + line);
        }
        return lines;
    }

    /** @return the first {@code n} field names of an object, in order. */
    static List<String> firstKeys(final JsonNode object, final int n) {
        final List<String> keys = new ArrayList<>();
        for (final Iterator<String> it = object.fieldNames(); it.hasNext() && keys.size() < n; ) {
            keys.add(it.next());
        }
        return keys;
    }

    /** @return the lines whose {@code event} is {@code name}, in order. */
    static List<JsonNode> events(final List<JsonNode> lines, final String name) {
        return lines.stream().filter(l -> name.equals(l.path("event").asText())).collect(Collectors.toList());
    }

    /** @return the event names, in order (for failure messages). */
    static String names(final List<JsonNode> lines) {
        return lines.stream().map(l -> l.path("event").asText()).collect(Collectors.groupingBy(s -> s,
            java.util.TreeMap::new, Collectors.counting())).toString();
    }
}
