package dev.pipescope.log;

import org.agrona.UnsafeApi;

/**
 * Gives the encoder a {@code String}'s own bytes when the JDK stores it one byte per char (its compact
 * Latin-1 form), so that a value is read eight bytes at a time straight from the string, checked and copied
 * in one pass, instead of being copied out first ({@code String.getBytes} costs a bounds check and an
 * arraycopy stub call, which for the 5 to 40 byte values of a log line was a third of the string's time).
 *
 * <p>The JDK keeps no public accessor for either, so this reads the string's {@code coder} byte and its
 * {@code value} array. The array is only ever read. It checks itself once, on a string known to be
 * Latin-1 and one known not to be, and answers null for every string when the JVM's strings are laid out
 * otherwise (another JDK, {@code -XX:-CompactStrings}); the encoder then takes its char path.
 */
final class Latin1Strings {
    private static final long CODER_OFFSET;
    private static final long VALUE_OFFSET;

    static {
        long coder = -1;
        long value = -1;
        try {
            final long c = UnsafeApi.objectFieldOffset(String.class, "coder");
            final long v = UnsafeApi.objectFieldOffset(String.class, "value");
            final String latin1 = new String(new char[] {'a', '\u00b5'});
            final String utf16 = new String(new char[] {'a', '\u0100'});
            final Object latin1Value = UnsafeApi.getReference(latin1, v);
            final boolean coderWorks = UnsafeApi.getByte(latin1, c) == 0 && UnsafeApi.getByte(utf16, c) == 1;
            final boolean valueWorks = latin1Value instanceof byte[]
                && java.util.Arrays.equals((byte[]) latin1Value, new byte[] {'a', (byte) 0xb5});
            if (coderWorks && valueWorks) {
                coder = c;
                value = v;
            }
        } catch (final RuntimeException | LinkageError e) {
            // no such fields on this JDK: every string takes the char path
        }
        CODER_OFFSET = coder;
        VALUE_OFFSET = value;
    }

    private Latin1Strings() {
    }

    /**
     * @param s a string.
     * @return true when {@code s} is held one byte per char; false when not, or when that cannot be known.
     */
    static boolean isLatin1(final String s) {
        return CODER_OFFSET >= 0 && UnsafeApi.getByte(s, CODER_OFFSET) == 0;
    }

    /**
     * @param s a string.
     * @return the string's own array of one byte per char ({@code length()} bytes, each the char's value):
     *     read it, never write it; null when {@code s} is not held that way or that cannot be known.
     */
    static byte[] bytesIfLatin1(final String s) {
        return isLatin1(s) ? (byte[]) UnsafeApi.getReference(s, VALUE_OFFSET) : null;
    }

    /** @return true when the fast check works on this JVM (for tests). */
    static boolean available() {
        return CODER_OFFSET >= 0;
    }
}
