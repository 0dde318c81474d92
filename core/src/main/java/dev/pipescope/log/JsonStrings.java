package dev.pipescope.log;

import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The one place where text becomes a JSON string literal: RFC 8259 escaping plus UTF-8 encoding, written
 * char by char so it never allocates on the hot path.
 *
 * <p>Rules, shared by keys, values and pre-encoded names: quote, backslash and U+0000–U+001F are escaped
 * (short forms {@code \n \r \t \b \f} where they exist), U+2028/U+2029 are escaped so a line is also
 * safe inside JavaScript, other non-ASCII text is written as UTF-8 bytes directly, and a lone surrogate
 * becomes U+FFFD. Bounded writers stop on a code-point boundary, so a cut never splits a UTF-8 sequence
 * or an escape.
 *
 * <p>The {@code byte[]} methods exist for assembly-time callers (sensor names, stage names) and may
 * allocate; the {@link MutableDirectBuffer} methods do not.
 */
public final class JsonStrings {
    /** Appended to a string value that was cut short to fit the line, so readers see the loss. */
    public static final String TRUNCATION_MARKER = "\u2026[truncated]";

    /**
     * The fewest bytes {@link #writeQuotedTruncated} needs: two quotes and the UTF-8
     * {@link #TRUNCATION_MARKER}.
     */
    public static final int MIN_TRUNCATED_LITERAL_LENGTH;

    private static final byte[] TRUNCATION_MARKER_UTF8 = TRUNCATION_MARKER.getBytes(StandardCharsets.UTF_8);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final int LARGEST_SAFE_LENGTH = Integer.MAX_VALUE - 16;
    /** ASCII chars written escaped: controls, quote, backslash. */
    private static final boolean[] NEEDS_ESCAPE = new boolean[0x80];
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long BYTE_ARRAY_BASE = UnsafeApi.arrayBaseOffset(byte[].class);
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    /**
     * Whether the first eight bytes from a byte array's base offset lie inside the array object even when it
     * holds fewer: objects are allocated in multiples of eight bytes (HotSpot's ObjectAlignmentInBytes is at
     * least 8), so with the base at a multiple of eight, a non-empty array's object extends at least a word
     * past it. Lets text shorter than a word be read as one word (the bytes past its end masked off)
     * instead of gathered byte by byte; where the base is not so aligned (e.g. compact object headers) the
     * bytes are gathered.
     */
    private static final boolean FIRST_WORD_IN_ARRAY = BYTE_ARRAY_BASE % 8 == 0;
    private static final long[] LATIN1_FORMS = latin1Forms();

    static {
        MIN_TRUNCATED_LITERAL_LENGTH = 2 + TRUNCATION_MARKER_UTF8.length;
        for (int c = 0; c < 0x20; c++) {
            NEEDS_ESCAPE[c] = true;
        }
        NEEDS_ESCAPE['"'] = true;
        NEEDS_ESCAPE['\\'] = true;
    }

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
        return Arrays.copyOf(out, length);
    }

    /**
     * Like {@link #quotedUtf8(CharSequence)}, but never longer than {@code maxLength} bytes: a longer
     * literal is cut on a code-point boundary and ends with {@link #TRUNCATION_MARKER}.
     *
     * @param s         any string.
     * @param maxLength the largest literal wanted, at least {@link #MIN_TRUNCATED_LITERAL_LENGTH}.
     * @return the literal's bytes, quotes included.
     * @throws IllegalArgumentException when {@code maxLength} is too small to hold the marker.
     */
    public static byte[] quotedUtf8(final CharSequence s, final int maxLength) {
        if (maxLength < MIN_TRUNCATED_LITERAL_LENGTH) {
            throw new IllegalArgumentException("maxLength must be at least " + MIN_TRUNCATED_LITERAL_LENGTH
                + " bytes to hold the truncation marker, was " + maxLength);
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[Math.min(maxLength, maxQuotedLength(s.length()))]);
        int end = writeQuoted(s, buffer, 0, buffer.capacity());
        if (end < 0) {
            end = writeQuotedTruncated(s, buffer, 0, buffer.capacity());
        }
        return Arrays.copyOf(buffer.byteArray(), end);
    }

    /**
     * @param chars number of UTF-16 chars.
     * @return the largest number of bytes a quoted literal of that many chars can take (6 per char for
     *     {@code \}{@code u0000} escapes, plus two quotes).
     */
    public static int maxQuotedLength(final int chars) {
        return (int) Math.min(LARGEST_SAFE_LENGTH, 2L + 6L * chars);
    }

    /**
     * Writes {@code s} as a quoted, escaped UTF-8 literal into {@code out} at {@code offset}. Meant for
     * assembly time: it wraps the array, which allocates a small view object.
     *
     * @param s      the string.
     * @param out    destination, with at least {@link #maxQuotedLength(int)} bytes free.
     * @param offset where to start.
     * @return the offset after the closing quote.
     * @throws IndexOutOfBoundsException when the literal does not fit.
     */
    public static int writeQuoted(final CharSequence s, final byte[] out, final int offset) {
        final int end = writeQuoted(s, new UnsafeBuffer(out), offset, out.length);
        if (end < 0) {
            throw new IndexOutOfBoundsException("quoted literal does not fit in " + (out.length - offset) + " bytes");
        }
        return end;
    }

    /**
     * Writes {@code s} as a quoted, escaped UTF-8 literal, without allocating, if it fits before
     * {@code limit}.
     *
     * @param s      the string.
     * @param buffer destination.
     * @param offset where the opening quote goes.
     * @param limit  first index that must not be written.
     * @return the offset after the closing quote, or a negative number when the literal does not fit (the
     *     bytes between {@code offset} and {@code limit} are then unspecified).
     */
    public static int writeQuoted(
        final CharSequence s, final MutableDirectBuffer buffer, final int offset, final int limit) {
        if (limit - offset < 2) {
            return -1;
        }
        buffer.putByte(offset, (byte) '"');
        final int end = writeEscaped(s, buffer, offset + 1, limit - 1);
        if (end < 0) {
            return end;
        }
        buffer.putByte(end, (byte) '"');
        return end + 1;
    }

    /**
     * Writes a quoted literal holding as much of {@code s} as fits before {@code limit}, cut on a code-point
     * boundary and followed by {@link #TRUNCATION_MARKER}. Call it after {@link #writeQuoted} reported that
     * the whole string does not fit; it always appends the marker.
     *
     * @param s      the string.
     * @param buffer destination.
     * @param offset where the opening quote goes.
     * @param limit  first index that must not be written; {@code limit - offset} must be at least
     *               {@link #MIN_TRUNCATED_LITERAL_LENGTH}.
     * @return the offset after the closing quote.
     * @throws IllegalArgumentException when there is no room for the marker (a caller bug).
     */
    public static int writeQuotedTruncated(
        final CharSequence s, final MutableDirectBuffer buffer, final int offset, final int limit) {
        if (limit - offset < MIN_TRUNCATED_LITERAL_LENGTH) {
            throw new IllegalArgumentException("no room for the truncation marker");
        }
        buffer.putByte(offset, (byte) '"');
        final int written = writeEscaped(s, buffer, offset + 1, limit - 1 - TRUNCATION_MARKER_UTF8.length);
        final int cut = written < 0 ? ~written : written;
        buffer.putBytes(cut, TRUNCATION_MARKER_UTF8);
        final int end = cut + TRUNCATION_MARKER_UTF8.length;
        buffer.putByte(end, (byte) '"');
        return end + 1;
    }

    /**
     * Writes the escaped UTF-8 form of {@code s}, without quotes, stopping before the first code point whose
     * bytes would reach {@code limit}. Never allocates.
     *
     * @param s      the text.
     * @param buffer destination.
     * @param offset where to start.
     * @param limit  first index that must not be written.
     * @return the offset after the last byte when all of {@code s} fitted; otherwise the bitwise complement
     *     ({@code ~cut}, always negative) of the offset where writing stopped, which is a code-point
     *     boundary.
     */
    public static int writeEscaped(
        final CharSequence s, final MutableDirectBuffer buffer, final int offset, final int limit) {
        int p = offset;
        for (int i = 0, n = s.length(); i < n; i++) {
            final char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    // The common case for keys and most values: one byte, no escape.
                    if (p >= limit) {
                        return ~p;
                    }
                    buffer.putByte(p++, (byte) c);
                } else {
                    if (p + asciiEscapeLength(c) > limit) {
                        return ~p;
                    }
                    p = putAsciiEscape(c, buffer, p);
                }
                continue;
            }
            int codePoint = c;
            int chars = 1;
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    codePoint = Character.toCodePoint(c, s.charAt(i + 1));
                    chars = 2;
                } else {
                    // A lone surrogate has no UTF-8 form; U+FFFD keeps the line valid and shows the damage.
                    codePoint = 0xFFFD;
                }
            }
            if (p + encodedLength(codePoint) > limit) {
                return ~p;
            }
            p = putNonAscii(codePoint, buffer, p);
            i += chars - 1;
        }
        return p;
    }

    /**
     * {@link #writeEscaped(CharSequence, MutableDirectBuffer, int, int)} for text already copied into a char
     * array (e.g. by {@code String.getChars}, a bulk copy), written into a byte array: same bytes, same
     * result, same cut. The encoder's string values go through here. Per char, a buffer's {@code putByte}
     * re-checks bounds and an interface {@code charAt} re-checks the index and the string's coder; here a
     * run of plain ASCII is one bounds-known loop of array loads and stores.
     *
     * @param chars  the text, in {@code chars[0..n)}.
     * @param n      its length, at most {@code chars.length}.
     * @param out    destination.
     * @param offset where to start.
     * @param limit  first index that must not be written.
     * @return as {@link #writeEscaped(CharSequence, MutableDirectBuffer, int, int)}.
     */
    static int writeEscaped(final char[] chars, final int n, final byte[] out, final int offset, final int limit) {
        if (n < 0 || n > chars.length) {
            // n must describe the array; a clear error beats an index exception from inside the loop
            throw new IndexOutOfBoundsException("n = " + n + ", chars.length = " + chars.length);
        }
        int p = offset;
        int i = 0;
        while (true) {
            // As many plain chars as could fit at one byte each; the run stops early at anything else. A
            // plain loop: word-at-a-time variants (four or eight chars per long load, packed stores) measured
            // slower here than this one, whose loads, lookups and stores all pipeline.
            final int runEnd = Math.min(n, i + (limit - p));
            while (i < runEnd) {
                final char c = chars[i];
                if (c >= 0x80 || NEEDS_ESCAPE[c]) {
                    break;
                }
                out[p++] = (byte) c;
                i++;
            }
            if (i == n) {
                return p;
            }
            final char c = chars[i];
            if (c < 0x80) {
                if (!NEEDS_ESCAPE[c] || p + asciiEscapeLength(c) > limit) {
                    return ~p; // a plain char that did not fit, or an escape that does not
                }
                p = putAsciiEscape(c, out, p);
                i++;
                continue;
            }
            int codePoint = c;
            int used = 1;
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(chars[i + 1])) {
                    codePoint = Character.toCodePoint(c, chars[i + 1]);
                    used = 2;
                } else {
                    codePoint = 0xFFFD;
                }
            }
            if (p + encodedLength(codePoint) > limit) {
                return ~p;
            }
            p = putNonAscii(codePoint, out, p);
            i += used;
        }
    }

    /**
     * Bytes past {@code limit} that {@link #writeEscapedLatin1} may overwrite: it stores whole words and whole
     * escapes and checks the limit after them.
     */
    static final int LATIN1_OVERRUN = 16;

    /**
     * Writes Latin-1 text (one byte per char, e.g. a compact {@code String}'s own bytes) as the escaped UTF-8
     * of a JSON string's content: the same bytes as {@link #writeEscaped(char[], int, byte[], int, int)} for
     * those chars, and negative exactly when that does not fit (the caller then writes the cut form the char
     * way). One pass, eight bytes at a time: each word is loaded from the text, stored to {@code out} and
     * checked for bytes that need escaping or UTF-8; a word without any advances by eight, otherwise the
     * plain bytes before the first such byte are kept and that byte is escaped or encoded on its own. The
     * last, partial word is the text's final eight bytes shifted; text shorter than a word is read as the
     * array's first word with the bytes past the text masked off (see {@code FIRST_WORD_IN_ARRAY}).
     *
     * @param latin1 the text, all of the array.
     * @param out    the destination, with {@link #LATIN1_OVERRUN} bytes past {@code limit} that may be
     *               overwritten.
     * @param offset where to write.
     * @param limit  the first index the text must not reach.
     * @return the offset after the last byte, or negative when the text does not fit before {@code limit}.
     */
    static int writeEscapedLatin1(final byte[] latin1, final byte[] out, final int offset, final int limit) {
        if (offset < 0 || offset > limit || limit > out.length - LATIN1_OVERRUN) {
            throw new IndexOutOfBoundsException("offset " + offset + ", limit " + limit + ", length " + out.length);
        }
        if (!LITTLE_ENDIAN) {
            return writeEscapedLatin1Bytewise(latin1, out, offset, limit);
        }
        final int n = latin1.length;
        int i = 0;
        int p = offset;
        while (true) {
            if (p > limit) {
                return -1;
            }
            final int left = n - i;
            final long word;
            final long special;
            if (left >= 8) {
                word = UnsafeApi.getLong(latin1, BYTE_ARRAY_BASE + i);
                special = specialBytes(word);
            } else if (left == 0) {
                return p;
            } else {
                final int pastText = (8 - left) << 3;
                final long valid = -1L >>> pastText;
                if (n >= 8) {
                    word = UnsafeApi.getLong(latin1, BYTE_ARRAY_BASE + n - 8) >>> pastText;
                } else if (FIRST_WORD_IN_ARRAY) {
                    word = UnsafeApi.getLong(latin1, BYTE_ARRAY_BASE) >>> (i << 3) & valid;
                } else {
                    word = gather(latin1, i, n);
                }
                special = specialBytes(word) & valid;
            }
            UnsafeApi.putLong(out, BYTE_ARRAY_BASE + p, word);
            if (special == 0) {
                final int taken = Math.min(8, left);
                i += taken;
                p += taken;
                continue;
            }
            final int plain = Long.numberOfTrailingZeros(special) >>> 3;
            p += plain;
            i += plain;
            // the byte's escape or UTF-8 form as one word store, no branch on what kind of byte it is
            final long form = LATIN1_FORMS[latin1[i++] & 0xFF];
            UnsafeApi.putLong(out, BYTE_ARRAY_BASE + p, form);
            p += (int) (form >>> 56);
        }
    }

    /**
     * Per Latin-1 byte, the bytes {@link #writeEscapedLatin1} writes for it when it is not copied as it is
     * (its escape, or its two UTF-8 bytes), first byte lowest, and their count in the top byte.
     */
    private static long[] latin1Forms() {
        final long[] forms = new long[256];
        final byte[] scratch = new byte[8];
        for (int c = 0; c < 256; c++) {
            final int length = c < 0x80 ? putAsciiEscape((char) c, scratch, 0) : putNonAscii(c, scratch, 0);
            long form = (long) length << 56;
            for (int k = 0; k < length; k++) {
                form |= (scratch[k] & 0xFFL) << (k << 3);
            }
            forms[c] = form;
        }
        return forms;
    }

    /** Up to seven bytes {@code [from, to)} as the low bytes of a little-endian word, the rest zero. */
    private static long gather(final byte[] bytes, final int from, final int to) {
        long word = 0;
        for (int k = to - 1; k >= from; k--) {
            word = word << 8 | (bytes[k] & 0xFF);
        }
        return word;
    }

    /**
     * {@link #writeEscapedLatin1} a byte at a time, same bytes and same result: what it does where the native
     * byte order is not little-endian (its word pass reads the first char from a word's lowest byte).
     */
    static int writeEscapedLatin1Bytewise(final byte[] latin1, final byte[] out, final int offset,
        final int limit) {
        int p = offset;
        for (final byte b : latin1) {
            final char c = (char) (b & 0xFF);
            if (c < 0x80 && !NEEDS_ESCAPE[c]) {
                out[p++] = b;
            } else {
                p = c < 0x80 ? putAsciiEscape(c, out, p) : putNonAscii(c, out, p);
            }
            if (p > limit) {
                return -1;
            }
        }
        return p;
    }

    /**
     * The high bit of each byte of {@code word} that needs escaping or is not ASCII, no other bit. Exact per
     * byte: with the high bits cleared first, no sum below carries into the next byte.
     */
    private static long specialBytes(final long word) {
        final long low = word & 0x7F7F7F7F7F7F7F7FL;
        final long nonAscii = word & HIGH_BITS;
        final long control = ~(low + 0x6060606060606060L) & HIGH_BITS; // below 0x20: no high bit after + 0x60
        final long quote = low ^ 0x2222222222222222L;
        final long backslash = low ^ 0x5C5C5C5C5C5C5C5CL;
        final long isQuote = ~((quote + 0x7F7F7F7F7F7F7F7FL) | quote) & HIGH_BITS; // a zero byte keeps no high bit
        final long isBackslash = ~((backslash + 0x7F7F7F7F7F7F7F7FL) | backslash) & HIGH_BITS;
        return nonAscii | control | isQuote | isBackslash;
    }

    /** @return the letter of a two-byte escape ({@code \n} → {@code n}), or 0 when the char needs {@code \\u00XX}. */
    private static byte shortEscape(final char c) {
        switch (c) {
            case '"': return '"';
            case '\\': return '\\';
            case '\n': return 'n';
            case '\r': return 'r';
            case '\t': return 't';
            case '\b': return 'b';
            case '\f': return 'f';
            default: return 0;
        }
    }

    private static int putAsciiEscape(final char c, final byte[] out, final int offset) {
        final byte shortForm = shortEscape(c);
        if (shortForm == 0) {
            return putUnicodeEscape(c, out, offset);
        }
        out[offset] = '\\';
        out[offset + 1] = shortForm;
        return offset + 2;
    }

    private static int putNonAscii(final int cp, final byte[] out, final int offset) {
        int p = offset;
        if (cp < 0x800) {
            out[p++] = (byte) (0xC0 | (cp >> 6));
            out[p++] = (byte) (0x80 | (cp & 0x3F));
        } else if (cp == 0x2028 || cp == 0x2029) {
            p = putUnicodeEscape((char) cp, out, p);
        } else if (cp < 0x10000) {
            out[p++] = (byte) (0xE0 | (cp >> 12));
            out[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            out[p++] = (byte) (0x80 | (cp & 0x3F));
        } else {
            out[p++] = (byte) (0xF0 | (cp >> 18));
            out[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            out[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            out[p++] = (byte) (0x80 | (cp & 0x3F));
        }
        return p;
    }

    private static int putUnicodeEscape(final char c, final byte[] out, final int offset) {
        out[offset] = '\\';
        out[offset + 1] = 'u';
        out[offset + 2] = HEX[(c >> 12) & 0xF];
        out[offset + 3] = HEX[(c >> 8) & 0xF];
        out[offset + 4] = HEX[(c >> 4) & 0xF];
        out[offset + 5] = HEX[c & 0xF];
        return offset + 6;
    }

    private static int asciiEscapeLength(final char c) {
        return shortEscape(c) != 0 ? 2 : 6;
    }

    private static int putAsciiEscape(final char c, final MutableDirectBuffer buffer, final int offset) {
        final byte shortForm = shortEscape(c);
        if (shortForm == 0) {
            return putUnicodeEscape(c, buffer, offset);
        }
        buffer.putByte(offset, (byte) '\\');
        buffer.putByte(offset + 1, shortForm);
        return offset + 2;
    }

    private static int encodedLength(final int codePoint) {
        if (codePoint < 0x800) {
            return 2;
        }
        if (codePoint == 0x2028 || codePoint == 0x2029) {
            return 6;
        }
        return codePoint < 0x10000 ? 3 : 4;
    }

    private static int putNonAscii(final int cp, final MutableDirectBuffer buffer, final int offset) {
        int p = offset;
        if (cp < 0x800) {
            buffer.putByte(p++, (byte) (0xC0 | (cp >> 6)));
            buffer.putByte(p++, (byte) (0x80 | (cp & 0x3F)));
        } else if (cp == 0x2028 || cp == 0x2029) {
            // Valid JSON either way, but raw line/paragraph separators break JavaScript string literals.
            p = putUnicodeEscape((char) cp, buffer, p);
        } else if (cp < 0x10000) {
            buffer.putByte(p++, (byte) (0xE0 | (cp >> 12)));
            buffer.putByte(p++, (byte) (0x80 | ((cp >> 6) & 0x3F)));
            buffer.putByte(p++, (byte) (0x80 | (cp & 0x3F)));
        } else {
            buffer.putByte(p++, (byte) (0xF0 | (cp >> 18)));
            buffer.putByte(p++, (byte) (0x80 | ((cp >> 12) & 0x3F)));
            buffer.putByte(p++, (byte) (0x80 | ((cp >> 6) & 0x3F)));
            buffer.putByte(p++, (byte) (0x80 | (cp & 0x3F)));
        }
        return p;
    }

    private static int putUnicodeEscape(final char c, final MutableDirectBuffer buffer, final int offset) {
        buffer.putByte(offset, (byte) '\\');
        buffer.putByte(offset + 1, (byte) 'u');
        buffer.putByte(offset + 2, HEX[(c >> 12) & 0xF]);
        buffer.putByte(offset + 3, HEX[(c >> 8) & 0xF]);
        buffer.putByte(offset + 4, HEX[(c >> 4) & 0xF]);
        buffer.putByte(offset + 5, HEX[c & 0xF]);
        return offset + 6;
    }
}
