package dev.pipescope.log;

/**
 * A field name encoded once, for callers that log the same fields line after line: kept as a constant
 * ({@code static final JsonKey RECORDS_IN = JsonKey.of("recordsIn")}) and passed as the key of any
 * {@link JsonLogEncoder} field or container method, a key is one copy of ready bytes with no lookup (the
 * role of Jackson's {@code SerializedString}). A plain {@code String} key stays as good as before, found in the encoder's
 * key cache; this only skips that lookup.
 *
 * <p>The line is exactly what the same name as a {@code String} writes: same escaping (see
 * {@link JsonStrings}), same renaming of a top-level key reserved by the encoder's profile, same dropping
 * and truncation when it does not fit, which are all left to the general path. It is a
 * {@link CharSequence} (its name) so that it goes through the encoder's existing methods; anything else
 * that takes a {@code CharSequence} sees just the name. Immutable and thread-safe.
 */
public final class JsonKey implements CharSequence {
    private final String name;
    // ,"name": (escaped, UTF-8), padded for WordCopy; copied from 1 when no comma is due
    private final byte[] encoded;
    private final int encodedLength;
    // bit i set: reserved in LogProfile.values()[i], so renamed at the top level by the general path
    private final int reservedInProfiles;

    private JsonKey(final String name) {
        this.name = name;
        final byte[] quoted = JsonStrings.quotedUtf8(name);
        final byte[] withSeparators = new byte[quoted.length + 2];
        withSeparators[0] = ',';
        System.arraycopy(quoted, 0, withSeparators, 1, quoted.length);
        withSeparators[quoted.length + 1] = ':';
        encoded = WordCopy.padded(withSeparators);
        encodedLength = withSeparators.length;
        int reserved = 0;
        for (final LogProfile profile : LogProfile.values()) {
            if (profile.isReserved(name)) {
                reserved |= 1 << profile.ordinal();
            }
        }
        reservedInProfiles = reserved;
    }

    /**
     * @param name the field name, any text; escaped as a string key would be.
     * @return the encoded key (allocates: create keys once, as constants).
     * @throws NullPointerException when {@code name} is null.
     */
    public static JsonKey of(final String name) {
        if (name == null) {
            throw new NullPointerException("name");
        }
        return new JsonKey(name);
    }

    /** @return the field name. */
    public String name() {
        return name;
    }

    byte[] encoded() {
        return encoded;
    }

    int encodedLength() {
        return encodedLength;
    }

    boolean reservedIn(final int profileBit) {
        return (reservedInProfiles & profileBit) != 0;
    }

    @Override
    public int length() {
        return name.length();
    }

    @Override
    public char charAt(final int index) {
        return name.charAt(index);
    }

    @Override
    public CharSequence subSequence(final int start, final int end) {
        return name.subSequence(start, end);
    }

    /** @return the field name. */
    @Override
    public String toString() {
        return name;
    }
}
