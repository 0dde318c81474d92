package dev.pipescope.batch;

import java.util.Arrays;

/**
 * Maps sensor names to dense int ids and back. Ids come only from {@link #register(String)}: a batch's
 * {@code sensor} column holds these ids, and every stage sizes its per-sensor state by {@link #capacity()}.
 *
 * <p>Lookups by {@code char[]} range ({@link #find(char[], int, int)}) do not allocate, so a parser can
 * resolve names straight from its read buffer. Registration allocates (once per new sensor). The
 * registry is written by one thread (the source) and may be read by others once ids have been
 * published through the batch hand-off; names never change once registered.
 */
public final class SensorRegistry {
    /** Returned by lookups when a name is not registered. */
    public static final int NOT_FOUND = -1;

    private final int capacity;
    private final String[] names;
    private final int[] slots;
    private final int mask;
    private volatile int count;

    /**
     * @param capacity the maximum number of distinct sensors; per-sensor state in stages is sized by it.
     */
    public SensorRegistry(final int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("sensor capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        names = new String[capacity];
        int tableSize = Integer.highestOneBit(capacity * 2 - 1) << 1;
        slots = new int[Math.max(tableSize, 4)];
        Arrays.fill(slots, NOT_FOUND);
        mask = slots.length - 1;
    }

    /** @return the maximum number of sensors. */
    public int capacity() {
        return capacity;
    }

    /** @return how many sensors are registered; ids are {@code 0 .. size()-1}. */
    public int size() {
        return count;
    }

    /**
     * Returns the id of {@code name}, registering it if new.
     *
     * @param name the sensor name.
     * @return its id.
     * @throws IllegalStateException when the registry is full.
     */
    public int register(final String name) {
        final int existing = find(name);
        if (existing != NOT_FOUND) {
            return existing;
        }
        final int id = count;
        if (id == capacity) {
            throw new IllegalStateException("too many sensors: the registry holds at most " + capacity
                + " (set a larger sensor capacity)");
        }
        names[id] = name;
        int slot = hash(name) & mask;
        while (slots[slot] != NOT_FOUND) {
            slot = (slot + 1) & mask;
        }
        slots[slot] = id;
        count = id + 1;
        return id;
    }

    /**
     * @param name a sensor name.
     * @return its id, or {@link #NOT_FOUND}.
     */
    public int find(final CharSequence name) {
        int slot = hash(name) & mask;
        int id;
        while ((id = slots[slot]) != NOT_FOUND) {
            if (contentEquals(names[id], name)) {
                return id;
            }
            slot = (slot + 1) & mask;
        }
        return NOT_FOUND;
    }

    /**
     * Finds a name given as a range of characters, without allocating.
     *
     * @param chars  the characters.
     * @param offset first character of the name.
     * @param length number of characters.
     * @return its id, or {@link #NOT_FOUND}.
     */
    public int find(final char[] chars, final int offset, final int length) {
        int h = 0;
        for (int i = 0; i < length; i++) {
            h = 31 * h + chars[offset + i];
        }
        int slot = spread(h) & mask;
        int id;
        while ((id = slots[slot]) != NOT_FOUND) {
            final String candidate = names[id];
            if (candidate.length() == length && regionEquals(candidate, chars, offset, length)) {
                return id;
            }
            slot = (slot + 1) & mask;
        }
        return NOT_FOUND;
    }

    /**
     * @param id a registered id.
     * @return its name.
     */
    public String name(final int id) {
        return names[id];
    }

    private static boolean regionEquals(final String s, final char[] chars, final int offset, final int length) {
        for (int i = 0; i < length; i++) {
            if (s.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean contentEquals(final String s, final CharSequence other) {
        if (s.length() != other.length()) {
            return false;
        }
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) != other.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int hash(final CharSequence s) {
        int h = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            h = 31 * h + s.charAt(i);
        }
        return spread(h);
    }

    private static int spread(final int h) {
        return h ^ (h >>> 16);
    }
}
