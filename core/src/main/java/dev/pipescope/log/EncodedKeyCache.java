package dev.pipescope.log;

import java.nio.charset.StandardCharsets;

/**
 * Field names as ready bytes ({@code ,"name":}), found by the identity of the {@code String} the caller
 * passes. Callers log with constant keys, so after the first line each key is one copy instead of an
 * escaping loop over its characters (the way Jackson's {@code SerializedString} works, without asking
 * callers to use a special type). Owned by one encoder, hence one thread.
 *
 * <p>Only {@code String} keys are cached (a mutable {@code CharSequence} could change behind its identity),
 * only short plain-ASCII ones, and only while slots are free: a caller building keys on the fly fills the
 * table once and then takes the uncached path, never an unbounded one.
 */
final class EncodedKeyCache {
    private static final int SLOTS = 256;
    private static final int MASK = SLOTS - 1;
    private static final int PROBES = 4;
    private static final int MAX_KEY_LENGTH = 48;

    private final String[] keys = new String[SLOTS];
    private final byte[][] encoded = new byte[SLOTS][];
    private final int[] encodedLength = new int[SLOTS];
    private final boolean[] reserved = new boolean[SLOTS];
    private final LogProfile profile;
    private int free = SLOTS / 2; // keep the table at most half full so probes stay short

    EncodedKeyCache(final LogProfile profile) {
        this.profile = profile;
    }

    /**
     * @param key a field name.
     * @return the slot holding {@code key}, or -1 when it is not cached (and could not be added).
     */
    int slotOf(final String key) {
        final int start = System.identityHashCode(key) & MASK;
        for (int i = 0; i < PROBES; i++) {
            final int slot = (start + i) & MASK;
            final String k = keys[slot];
            if (k == key) {
                return slot;
            }
            if (k == null) {
                return add(slot, key);
            }
        }
        return -1;
    }

    /**
     * @return {@code ,"key":} as bytes, padded for {@link WordCopy}: copy from 0 when a comma is due, from
     *     1 when not. Only the first {@link #encodedLength} bytes are the name.
     */
    byte[] encoded(final int slot) {
        return encoded[slot];
    }

    /** @return the length of {@code ,"key":}, comma included. */
    int encodedLength(final int slot) {
        return encodedLength[slot];
    }

    /** @return true when the key is a standard field name of the profile (renamed at the top level). */
    boolean reserved(final int slot) {
        return reserved[slot];
    }

    private int add(final int slot, final String key) {
        if (free == 0 || key.length() > MAX_KEY_LENGTH) {
            return -1;
        }
        for (int i = 0; i < key.length(); i++) {
            final char c = key.charAt(i);
            if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
                return -1; // needs escaping or UTF-8: leave it to the general path
            }
        }
        // The comma is stored in front so that a field's separator and name are one copy.
        final byte[] name = (",\"" + key + "\":").getBytes(StandardCharsets.US_ASCII);
        encoded[slot] = WordCopy.padded(name);
        encodedLength[slot] = name.length;
        reserved[slot] = profile.isReserved(key);
        keys[slot] = key;
        free--;
        return slot;
    }
}
