package dev.pipescope.log;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Strict parsing of encoded lines for the tests: Jackson defaults (no NaN tokens) plus duplicate keys and trailing tokens rejected. */
final class JsonLines {
    static final ObjectMapper STRICT = new ObjectMapper()
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private JsonLines() {
    }

    /** Copies a line out of a buffer. */
    static byte[] bytes(final DirectBuffer buffer, final int offset, final int length) {
        final byte[] out = new byte[length];
        buffer.getBytes(offset, out, 0, length);
        return out;
    }

    /** Checks one line is strict UTF-8, a single JSON object, terminated by exactly one newline, and parses it. */
    static JsonNode parseLine(final byte[] line) {
        assertTrue(line.length > 0 && line[line.length - 1] == '\n', "line must end with a newline");
        for (int i = 0; i < line.length - 1; i++) {
            if (line[i] == '\n') {
                fail("raw newline inside line: " + new String(line, StandardCharsets.UTF_8));
            }
        }
        final String text = strictUtf8(line);
        try {
            final JsonNode node = STRICT.readTree(text);
            assertTrue(node.isObject(), "line must be an object: " + text);
            return node;
        } catch (final IOException ex) {
            throw new AssertionError("invalid JSON line: " + text, ex);
        }
    }

    /** Parses the encoder's last line. */
    static JsonNode parse(final JsonLogEncoder encoder) {
        return parseLine(bytes(encoder.buffer(), 0, encoder.length()));
    }

    /** Text of the encoder's last line. */
    static String text(final JsonLogEncoder encoder) {
        return new String(bytes(encoder.buffer(), 0, encoder.length()), StandardCharsets.UTF_8);
    }

    /** Decodes, failing on any malformed or truncated UTF-8 sequence. */
    static String strictUtf8(final byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (final CharacterCodingException ex) {
            throw new AssertionError("invalid UTF-8", ex);
        }
    }

    /** Splits captured output into lines (each keeps its newline) and parses each. */
    static List<JsonNode> parseAll(final byte[] output) {
        final List<JsonNode> nodes = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < output.length; i++) {
            if (output[i] == '\n') {
                final byte[] line = new byte[i + 1 - start];
                System.arraycopy(output, start, line, 0, line.length);
                nodes.add(parseLine(line));
                start = i + 1;
            }
        }
        assertEquals(output.length, start, "output must end with a complete line");
        return nodes;
    }

    /** What a string should read back as: lone surrogates become U+FFFD. */
    static String expectedRoundTrip(final CharSequence s) {
        final StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                sb.append('\uFFFD');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static UncheckedIOException unchecked(final IOException ex) {
        return new UncheckedIOException(ex);
    }
}
