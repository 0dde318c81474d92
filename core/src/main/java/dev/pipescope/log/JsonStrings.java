package dev.pipescope.log;

/**
 * JSON string escaping for values known at assembly time (sensor names, stage names), done once so the
 * hot path copies bytes instead of escaping.
 */
public final class JsonStrings {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private JsonStrings() {
    }

    /**
     * Encodes {@code s} as a quoted JSON string literal in UTF-8, escaped per RFC 8259: quote, backslash
     * and U+0000–U+001F are escaped, U+2028/U+2029 are escaped so the text is also safe in JavaScript, and
     * a lone surrogate becomes U+FFFD.
     *
     * @param s any string.
     * @return the literal's bytes, quotes included.
     */
    public static byte[] quotedUtf8(final CharSequence s) {
        final byte[] out = new byte[maxQuotedLength(s.length())];
        final int length = writeQuoted(s, out, 0);
        return java.util.Arrays.copyOf(out, length);
    }

    /**
     * @param chars number of UTF-16 chars.
     * @return the largest number of bytes {@link #writeQuoted} can produce for that many chars.
     */
    public static int maxQuotedLength(final int chars) {
        return 2 + chars * 6;
    }

    /**
     * Writes {@code s} as a quoted, escaped UTF-8 literal into {@code out} at {@code offset}.
     *
     * @param s      the string.
     * @param out    destination, with at least {@link #maxQuotedLength(int)} bytes free.
     * @param offset where to start.
     * @return the offset after the closing quote.
     */
    public static int writeQuoted(final CharSequence s, final byte[] out, final int offset) {
        int p = offset;
        out[p++] = '"';
        final int n = s.length();
        for (int i = 0; i < n; i++) {
            final char c = s.charAt(i);
            if (c < 0x80) {
                if (c == '"' || c == '\\') {
                    out[p++] = '\\';
                    out[p++] = (byte) c;
                } else if (c < 0x20) {
                    p = writeControl(c, out, p);
                } else {
                    out[p++] = (byte) c;
                }
            } else if (c < 0x800) {
                out[p++] = (byte) (0xC0 | (c >> 6));
                out[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (c == '\u2028' || c == '\u2029') {
                p = writeUnicodeEscape(c, out, p);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                final int cp = Character.toCodePoint(c, s.charAt(++i));
                out[p++] = (byte) (0xF0 | (cp >> 18));
                out[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[p++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                final char bmp = Character.isSurrogate(c) ? '\uFFFD' : c;
                out[p++] = (byte) (0xE0 | (bmp >> 12));
                out[p++] = (byte) (0x80 | ((bmp >> 6) & 0x3F));
                out[p++] = (byte) (0x80 | (bmp & 0x3F));
            }
        }
        out[p++] = '"';
        return p;
    }

    private static int writeControl(final char c, final byte[] out, final int offset) {
        int p = offset;
        switch (c) {
            case '\n': out[p++] = '\\'; out[p++] = 'n'; return p;
            case '\r': out[p++] = '\\'; out[p++] = 'r'; return p;
            case '\t': out[p++] = '\\'; out[p++] = 't'; return p;
            case '\b': out[p++] = '\\'; out[p++] = 'b'; return p;
            case '\f': out[p++] = '\\'; out[p++] = 'f'; return p;
            default: return writeUnicodeEscape(c, out, p);
        }
    }

    private static int writeUnicodeEscape(final char c, final byte[] out, final int offset) {
        int p = offset;
        out[p++] = '\\';
        out[p++] = 'u';
        out[p++] = HEX[(c >> 12) & 0xF];
        out[p++] = HEX[(c >> 8) & 0xF];
        out[p++] = HEX[(c >> 4) & 0xF];
        out[p++] = HEX[c & 0xF];
        return p;
    }
}
