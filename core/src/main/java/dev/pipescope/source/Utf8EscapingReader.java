package dev.pipescope.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;

/**
 * Decodes UTF-8 strictly, keeping every byte that is not part of a well-formed sequence instead of
 * hiding it behind U+FFFD: such a byte {@code b} (always 0x80..0xFF, ASCII is always valid) becomes the
 * lone low surrogate {@code U+DC00 + b} (U+DC80..U+DCFF), the trick of Python's {@code surrogateescape}.
 * Well-formed UTF-8 never yields a lone surrogate, so the reader of these chars can tell exactly which
 * bytes were wrong and show them as {@code \xNN} ({@link EscapedText}).
 *
 * <p>Well-formed means RFC 3629: no overlong forms, no encoded surrogates, nothing above U+10FFFF. An
 * ill-formed sequence gives one escape per byte, and decoding resumes at the next byte. The
 * {@link java.io.InputStreamReader} this replaces would turn them all into U+FFFD, which cannot be told
 * from a real U+FFFD in the text and loses the byte's value.
 *
 * <p>Not thread-safe (one source, one thread) and allocation-free after construction.
 */
final class Utf8EscapingReader extends Reader {
    /** An ill-formed byte {@code b} is decoded as {@code (char) (ESCAPED_BYTE_BASE + b)}. */
    static final char ESCAPED_BYTE_BASE = '\uDC00';

    private final InputStream in;
    private final byte[] bytes;
    private int position;
    private int limit;
    private boolean endOfInput;
    /** The low half of a supplementary character that did not fit in the caller's last read. */
    private char pendingLow;

    /**
     * @param in the bytes; closed by {@link #close()}.
     */
    Utf8EscapingReader(final InputStream in) {
        this(in, 16 * 1024);
    }

    /**
     * @param in         the bytes; closed by {@link #close()}.
     * @param bufferSize bytes read from {@code in} at a time, at least 4 (one whole sequence).
     */
    Utf8EscapingReader(final InputStream in, final int bufferSize) {
        this.in = in;
        bytes = new byte[Math.max(4, bufferSize)];
    }

    /**
     * Decodes into {@code dst}. Blocks only when nothing at all is buffered: once some chars are decoded,
     * it returns them rather than wait for the rest of a split sequence.
     */
    @Override
    public int read(final char[] dst, final int offset, final int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int out = offset;
        final int end = offset + length;
        if (pendingLow != 0) {
            dst[out++] = pendingLow;
            pendingLow = 0;
        }
        while (out < end) {
            if (position == limit) {
                if (out > offset || !fill()) {
                    break;
                }
            }
            final int b = bytes[position] & 0xFF;
            if (b < 0x80) {
                dst[out++] = (char) b;
                position++;
                continue;
            }
            final int needed = sequenceLength(b);
            if (needed > 0 && limit - position < needed && !endOfInput) {
                // the sequence is split across reads: return what we have, or read on if we have nothing
                if (out > offset) {
                    break;
                }
                compactAndRead();
                continue;
            }
            final int codePoint = needed > 0 && limit - position >= needed ? decode(b, needed) : -1;
            if (codePoint < 0) {
                dst[out++] = (char) (ESCAPED_BYTE_BASE + b);
                position++;
            } else if (codePoint < 0x10000) {
                dst[out++] = (char) codePoint;
                position += needed;
            } else {
                dst[out++] = Character.highSurrogate(codePoint);
                final char low = Character.lowSurrogate(codePoint);
                if (out < end) {
                    dst[out++] = low;
                } else {
                    pendingLow = low;
                }
                position += needed;
            }
        }
        return out == offset ? -1 : out - offset;
    }

    /** @return 2..4 for a valid lead byte, 0 for a byte that can never start a sequence. */
    private static int sequenceLength(final int lead) {
        if (lead >= 0xC2 && lead <= 0xDF) {
            return 2;
        }
        if (lead >= 0xE0 && lead <= 0xEF) {
            return 3;
        }
        if (lead >= 0xF0 && lead <= 0xF4) {
            return 4;
        }
        return 0; // continuation bytes, C0/C1 (always overlong), F5..FF (beyond U+10FFFF)
    }

    /** @return the code point of the whole sequence at {@link #position}, or -1 when it is ill-formed. */
    private int decode(final int lead, final int length) {
        final int b1 = bytes[position + 1] & 0xFF;
        // the second byte's range depends on the lead: it is what excludes overlong forms, surrogates and
        // code points beyond U+10FFFF (RFC 3629, table 3-7 of the Unicode standard)
        final int low = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
        final int high = lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
        if (b1 < low || b1 > high) {
            return -1;
        }
        if (length == 2) {
            return (lead & 0x1F) << 6 | (b1 & 0x3F);
        }
        final int b2 = bytes[position + 2] & 0xFF;
        if ((b2 & 0xC0) != 0x80) {
            return -1;
        }
        if (length == 3) {
            return (lead & 0x0F) << 12 | (b1 & 0x3F) << 6 | (b2 & 0x3F);
        }
        final int b3 = bytes[position + 3] & 0xFF;
        if ((b3 & 0xC0) != 0x80) {
            return -1;
        }
        return (lead & 0x07) << 18 | (b1 & 0x3F) << 12 | (b2 & 0x3F) << 6 | (b3 & 0x3F);
    }

    /** Reads into an empty buffer; @return false at the end of the input. */
    private boolean fill() throws IOException {
        position = 0;
        limit = 0;
        compactAndRead();
        return limit > 0;
    }

    /** Moves the undecoded tail to the front and reads more after it, until some bytes come or the end. */
    private void compactAndRead() throws IOException {
        if (position > 0) {
            System.arraycopy(bytes, position, bytes, 0, limit - position);
            limit -= position;
            position = 0;
        }
        while (!endOfInput) {
            final int n = in.read(bytes, limit, bytes.length - limit);
            if (n < 0) {
                endOfInput = true;
            } else if (n > 0) {
                limit += n;
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
