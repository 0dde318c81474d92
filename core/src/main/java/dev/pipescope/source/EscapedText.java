package dev.pipescope.source;

/**
 * Makes input text safe to show in an error: what a terminal or a log viewer would act on or hide is
 * written as an escape, everything else as it is.
 *
 * <ul>
 *   <li>a byte that was not UTF-8 (decoded by {@link Utf8EscapingReader} as U+DC80..U+DCFF) becomes
 *       {@code \xNN}, the byte's value;</li>
 *   <li>control characters (U+0000–U+001F, U+007F, U+0080–U+009F, tab included), lone surrogates, line and
 *       paragraph separators and invisible format characters (bidirectional overrides, zero-width
 *       characters, a byte order mark) become {@code \}{@code uXXXX};</li>
 *   <li>a backslash stays a backslash: the escapes are for reading, not for decoding back.</li>
 * </ul>
 * Hex digits are upper case. {@link #escape} reuses one buffer and a view, so a stream of rejected lines
 * does not allocate; {@link #toDisplayString} allocates, for exception messages.
 */
final class EscapedText {
    /** {@link #nameProblem} result: the name is fine. */
    static final int NAME_OK = 0;
    /** {@link #nameProblem} result: the name holds a control character. */
    static final int NAME_CONTROL = 1;
    /** {@link #nameProblem} result: the name holds bytes that are not UTF-8 (or a lone surrogate). */
    static final int NAME_NOT_UTF8 = 2;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final boolean bytesEscaped;
    private final CharView view = new CharView();
    private char[] out = new char[256];

    /**
     * @param bytesEscaped true when the text comes from a {@link Utf8EscapingReader}, so U+DC80..U+DCFF
     *                     are bytes to show as {@code \xNN}; false for text from elsewhere, where they
     *                     are shown as the lone surrogates they are.
     */
    EscapedText(final boolean bytesEscaped) {
        this.bytesEscaped = bytesEscaped;
    }

    /**
     * @param c    characters.
     * @param from first character.
     * @param len  number of characters.
     * @return the escaped text, a view valid until the next call.
     */
    CharSequence escape(final char[] c, final int from, final int len) {
        if (out.length < len * 6L) {
            // at most six chars per input char; grows once to the longest line seen
            out = new char[(int) Math.min(Integer.MAX_VALUE - 8, Math.max(len * 6L, out.length * 2L))];
        }
        return view.wrap(out, 0, write(c, from, len, out));
    }

    /**
     * @param c        characters.
     * @param from     first character.
     * @param len      number of characters.
     * @param maxChars the most input chars to show; more are cut and followed by "...".
     * @return the escaped text as a new string.
     */
    String toDisplayString(final char[] c, final int from, final int len, final int maxChars) {
        final int shown = Math.min(len, maxChars);
        final char[] buffer = new char[shown * 6];
        final int n = write(c, from, shown, buffer);
        return new String(buffer, 0, n) + (shown < len ? "..." : "");
    }

    private int write(final char[] c, final int from, final int len, final char[] dst) {
        int p = 0;
        final int end = from + len;
        for (int i = from; i < end; i++) {
            final char ch = c[i];
            if (ch >= 0x20 && ch < 0x7F) {
                dst[p++] = ch;
            } else if (Character.isHighSurrogate(ch) && i + 1 < end && Character.isLowSurrogate(c[i + 1])) {
                dst[p++] = ch;
                dst[p++] = c[++i];
            } else if (bytesEscaped && isEscapedByte(ch)) {
                dst[p++] = '\\';
                dst[p++] = 'x';
                dst[p++] = HEX[(ch >> 4) & 0xF];
                dst[p++] = HEX[ch & 0xF];
            } else if (needsUnicodeEscape(ch)) {
                dst[p++] = '\\';
                dst[p++] = 'u';
                dst[p++] = HEX[(ch >> 12) & 0xF];
                dst[p++] = HEX[(ch >> 8) & 0xF];
                dst[p++] = HEX[(ch >> 4) & 0xF];
                dst[p++] = HEX[ch & 0xF];
            } else {
                dst[p++] = ch;
            }
        }
        return p;
    }

    /** @return whether {@code ch} is how {@link Utf8EscapingReader} keeps an ill-formed byte. */
    static boolean isEscapedByte(final char ch) {
        return ch >= Utf8EscapingReader.ESCAPED_BYTE_BASE + 0x80 && ch <= Utf8EscapingReader.ESCAPED_BYTE_BASE + 0xFF;
    }

    /** @return whether {@code ch} is a control character: C0, DEL or C1. */
    static boolean isControl(final char ch) {
        return ch < 0x20 || ch >= 0x7F && ch <= 0x9F;
    }

    private static boolean needsUnicodeEscape(final char ch) {
        if (isControl(ch) || Character.isSurrogate(ch)) {
            return true; // a surrogate here is a lone one: pairs were handled before
        }
        if (ch < 0xA0) {
            return false;
        }
        final int type = Character.getType(ch);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    /**
     * Checks a sensor name before it is registered (once per new name, so off the steady-state path).
     * Invisible format characters are allowed (they occur inside emoji sequences); outputs escape what
     * their format needs.
     *
     * @param c    characters.
     * @param from first character.
     * @param len  number of characters.
     * @return {@link #NAME_OK}, {@link #NAME_CONTROL} or {@link #NAME_NOT_UTF8}.
     */
    static int nameProblem(final char[] c, final int from, final int len) {
        final int end = from + len;
        for (int i = from; i < end; i++) {
            final char ch = c[i];
            if (isControl(ch)) {
                return NAME_CONTROL;
            }
            if (Character.isSurrogate(ch)) {
                if (Character.isHighSurrogate(ch) && i + 1 < end && Character.isLowSurrogate(c[i + 1])) {
                    i++;
                } else {
                    return NAME_NOT_UTF8;
                }
            }
        }
        return NAME_OK;
    }
}
