package dev.pipescope.source;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class Utf8EscapingReaderTest {

    /** Reads everything, asking for {@code chunk} chars at a time from a stream handing out {@code trickle} bytes. */
    private static String decode(final byte[] bytes, final int chunk, final int trickle, final int bufferSize)
        throws IOException {
        final InputStream in = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(final byte[] b, final int off, final int len) {
                return super.read(b, off, Math.min(len, trickle));
            }
        };
        final StringBuilder out = new StringBuilder();
        try (Utf8EscapingReader reader = new Utf8EscapingReader(in, bufferSize)) {
            final char[] buffer = new char[chunk];
            int n;
            while ((n = reader.read(buffer, 0, chunk)) >= 0) {
                out.append(buffer, 0, n);
            }
        }
        return out.toString();
    }

    private static String decode(final byte[] bytes) throws IOException {
        return decode(bytes, 64, Integer.MAX_VALUE, 16);
    }

    /** The inverse: escaped bytes back to their byte, everything else to UTF-8. */
    private static byte[] encodeBack(final String s) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.writeBytes(s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
                i++;
            } else if (c >= 0xDC80 && c <= 0xDCFF) {
                out.write(c - 0xDC00);
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    @Test
    void wellFormedTextDecodesLikeTheJdkWhateverTheChunking() throws IOException {
        final String text = "sensor,timestamp,value\nT\u00b0C \u6e29\u5ea6,1,20.5\n\ud83d\ude00 \ud83c\udf21\ufe0f,2,\u20ac\n"
            + "\u0800\uffff\ud800\udc00\udbff\udfff\n";
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (final int chunk : new int[] {1, 2, 3, 7, 64}) {
            for (final int trickle : new int[] {1, 2, 3, 5, 1000}) {
                assertEquals(text, decode(bytes, chunk, trickle, 4), "chunk " + chunk + " trickle " + trickle);
                assertEquals(text, decode(bytes, chunk, trickle, 16 * 1024), "chunk " + chunk + " trickle " + trickle);
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "e9 | \\xE9 latin-1 e-acute",
        "80 | a lone continuation byte",
        "c0af | overlong slash",
        "c1bf | overlong",
        "e08080 | overlong 3-byte",
        "eda080 | an encoded surrogate",
        "f08080 80 | overlong 4-byte",
        "f4908080 | beyond U+10FFFF",
        "f5808080 | never a lead byte",
        "ff fe | a UTF-16 byte order mark",
        "e282 | truncated at the end of the input",
        "f09f98 | truncated 4-byte at the end",
    })
    void everyIllFormedByteBecomesItsOwnEscape(final String hex, final String what) throws IOException {
        final byte[] bad = HexFormat.of().parseHex(hex.replace(" ", ""));
        final String decoded = decode(bad);
        assertEquals(bad.length, decoded.length(), what + ": one char per byte");
        for (int i = 0; i < bad.length; i++) {
            assertEquals(0xDC00 + (bad[i] & 0xFF), decoded.charAt(i), what);
        }
        // and the text around them is untouched
        final ByteArrayOutputStream around = new ByteArrayOutputStream();
        around.write('a');
        around.writeBytes(bad);
        around.writeBytes("z\u00e9\n".getBytes(StandardCharsets.UTF_8));
        final String d = decode(around.toByteArray());
        assertEquals("a", d.substring(0, 1));
        assertEquals("z\u00e9\n", d.substring(1 + bad.length));
    }

    @Test
    void aTruncatedSequenceBeforeValidTextEscapesOnlyItsOwnBytes() throws IOException {
        // E2 82 is the start of the euro sign; 'A' cannot continue it
        assertEquals("\udce2\udc82A\u20ac", decode(new byte[] {(byte) 0xE2, (byte) 0x82, 'A', (byte) 0xE2, (byte) 0x82,
            (byte) 0xAC}));
    }

    @Test
    void randomBytesRoundTripExactly() throws IOException {
        final SplittableRandom r = new SplittableRandom(3629);
        final String[] pieces = {"a", ",", "\n", "\u00e9", "\u6e29", "\ud83d\ude00", "\u0000", "\r\n", "1.5"};
        for (int round = 0; round < 300; round++) {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            final int n = r.nextInt(200);
            for (int i = 0; i < n; i++) {
                if (r.nextInt(4) == 0) {
                    bytes.write(r.nextInt(256));
                } else {
                    bytes.writeBytes(pieces[r.nextInt(pieces.length)].getBytes(StandardCharsets.UTF_8));
                }
            }
            final byte[] input = bytes.toByteArray();
            final int chunk = 1 + r.nextInt(9);
            final int trickle = 1 + r.nextInt(9);
            final String decoded = decode(input, chunk, trickle, 4 + r.nextInt(20));
            assertArrayEquals(input, encodeBack(decoded), "round " + round);
            assertEquals(decoded, decode(input), "the chunking does not change the result, round " + round);
        }
    }
}
