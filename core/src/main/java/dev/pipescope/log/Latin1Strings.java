package dev.pipescope.log;

import org.agrona.UnsafeApi;

/**
 * Tells whether a {@code String} is stored one byte per char (the JDK's compact Latin-1 form), so that its
 * bytes can be bulk-copied with {@link String#getBytes(int, int, byte[], int)} and checked eight at a time
 * instead of being widened to chars and narrowed back one by one. That getBytes keeps the low byte of each
 * char, which is the char itself only for a Latin-1 string; for any other the answer here is false and the
 * caller takes the char path.
 *
 * <p>The JDK keeps no public accessor for the form, so this reads the string's {@code coder} byte. It
 * checks itself once, on a string known to be Latin-1 and one known not to be, and answers false for
 * every string when the JVM's strings are laid out otherwise (another JDK, {@code -XX:-CompactStrings}).
 */
final class Latin1Strings {
    private static final long CODER_OFFSET = coderOffset();

    private Latin1Strings() {
    }

    /**
     * @param s a string.
     * @return true when {@code s} is held one byte per char; false when not, or when that cannot be known.
     */
    static boolean isLatin1(final String s) {
        return CODER_OFFSET >= 0 && UnsafeApi.getByte(s, CODER_OFFSET) == 0;
    }

    /** @return true when the fast check works on this JVM (for tests). */
    static boolean available() {
        return CODER_OFFSET >= 0;
    }

    private static long coderOffset() {
        try {
            final long offset = UnsafeApi.objectFieldOffset(String.class, "coder");
            final String latin1 = new String(new char[] {'a', '\u00b5'});
            final String utf16 = new String(new char[] {'a', '\u0100'});
            return UnsafeApi.getByte(latin1, offset) == 0 && UnsafeApi.getByte(utf16, offset) == 1 ? offset : -1;
        } catch (final RuntimeException | LinkageError e) {
            return -1; // no such field on this JDK: every string takes the char path
        }
    }
}
