package dev.pipescope.log;

import org.agrona.UnsafeApi;

/**
 * Copies short byte runs eight bytes at a time. The encoder's fragments (keys, header parts) are 5 to 40
 * bytes: for those a {@code System.arraycopy} goes through a stub call that costs more than the copy, while
 * two to five long loads and stores do not. The price is that up to seven bytes past the run are read from
 * the source and written to the destination: sources are padded for it, and the encoder only copies where
 * its line buffer has that slack (its reserve keeps more than seven bytes free past every limit). Both
 * ranges, slack included, are checked once per copy before the raw word accesses, so a broken invariant
 * throws instead of writing outside an array.
 */
final class WordCopy {
    /** Bytes a source must hold past its run, and a destination must have free past it. */
    static final int SLACK = 7;

    private static final long BYTE_ARRAY_BASE = UnsafeApi.arrayBaseOffset(byte[].class);

    private WordCopy() {
    }

    /**
     * Copies {@code src[srcOffset, srcOffset + length)} to {@code dst} at {@code dstOffset}, also copying
     * up to {@link #SLACK} bytes after it.
     *
     * @return {@code dstOffset + length}.
     */
    static int copy(final byte[] src, final int srcOffset, final int length, final byte[] dst, final int dstOffset) {
        // One bounds check per copy (both ends, slack included) instead of two per word.
        if (srcOffset < 0 || dstOffset < 0 || length < 0 || srcOffset + length + SLACK > src.length
            || dstOffset + length + SLACK > dst.length) {
            throw new IndexOutOfBoundsException("copy of " + length + " bytes");
        }
        final long from = BYTE_ARRAY_BASE + srcOffset;
        final long to = BYTE_ARRAY_BASE + dstOffset;
        for (int i = 0; i < length; i += 8) {
            UnsafeApi.putLong(dst, to + i, UnsafeApi.getLong(src, from + i));
        }
        return dstOffset + length;
    }

    /**
     * @param bytes the run.
     * @return a copy of {@code bytes} with room for {@link #copy}'s over-read (and one spare word).
     */
    static byte[] padded(final byte[] bytes) {
        final byte[] out = new byte[(bytes.length + 15) & ~7];
        System.arraycopy(bytes, 0, out, 0, bytes.length);
        return out;
    }
}
