package dev.pipescope.log;

import java.nio.charset.StandardCharsets;

/**
 * The names of the standard fields every line starts with. {@link #DEFAULT} uses short names; {@link #ECS}
 * follows the Elastic Common Schema so lines can be shipped to Elasticsearch without a mapping step.
 *
 * <p>Lines start with the timestamp, the level, the component and the event name, in that order. In the
 * ECS profile the event name is the {@code message} and an {@code ecs.version} field follows it. Fields
 * added by the caller at the top level must not reuse any of these names (nor
 * {@link JsonLogEncoder#TRUNCATED_KEY}); such a field is renamed with the
 * {@link JsonLogEncoder#RENAMED_KEY_PREFIX} prefix, so no key is ever emitted twice.
 */
public enum LogProfile {
    /** {@code timestamp}, {@code level}, {@code component}, {@code event}. */
    DEFAULT("timestamp", "level", "component", "event", null),
    /** {@code @timestamp}, {@code log.level}, {@code log.logger}, {@code message}, {@code ecs.version}. */
    ECS("@timestamp", "log.level", "log.logger", "message", LogProfile.ECS_VERSION);

    /** The ECS version the {@link #ECS} profile declares in every line. */
    public static final String ECS_VERSION = "8.11";

    private static final String ECS_VERSION_KEY = "ecs.version";

    private final String timestampKey;
    private final String levelKey;
    private final String componentKey;
    private final String eventKey;
    private final String[] reservedKeys;
    private final byte[] timestampPrefix;
    private final byte[] levelPrefix;
    private final byte[] componentPrefix;
    private final byte[] eventPrefix;
    private final byte[] trailer;

    LogProfile(
        final String timestampKey,
        final String levelKey,
        final String componentKey,
        final String eventKey,
        final String ecsVersion) {
        this.timestampKey = timestampKey;
        this.levelKey = levelKey;
        this.componentKey = componentKey;
        this.eventKey = eventKey;
        // The fixed parts of the header are pre-encoded so begin() copies bytes instead of escaping names.
        timestampPrefix = ascii("{\"" + timestampKey + "\":\"");
        levelPrefix = ascii("\",\"" + levelKey + "\":");
        componentPrefix = ascii(",\"" + componentKey + "\":");
        eventPrefix = ascii(",\"" + eventKey + "\":");
        if (ecsVersion == null) {
            trailer = new byte[0];
            reservedKeys = new String[] {timestampKey, levelKey, componentKey, eventKey, JsonLogEncoder.TRUNCATED_KEY};
        } else {
            trailer = ascii(",\"" + ECS_VERSION_KEY + "\":\"" + ecsVersion + "\"");
            reservedKeys = new String[] {
                timestampKey, levelKey, componentKey, eventKey, ECS_VERSION_KEY, JsonLogEncoder.TRUNCATED_KEY};
        }
    }

    /** @return the key of the ISO-8601 UTC timestamp. */
    public String timestampKey() {
        return timestampKey;
    }

    /** @return the key of the level. */
    public String levelKey() {
        return levelKey;
    }

    /** @return the key of the component (the logger's name). */
    public String componentKey() {
        return componentKey;
    }

    /** @return the key of the event name. */
    public String eventKey() {
        return eventKey;
    }

    /**
     * Tells whether a top-level field with this key would clash with a standard field. Compares lengths
     * first, so the usual miss costs a few int comparisons and never allocates.
     *
     * @param key a caller's field key.
     * @return true when the key is reserved by this profile.
     */
    public boolean isReserved(final CharSequence key) {
        final int length = key.length();
        for (final String reserved : reservedKeys) {
            if (reserved.length() == length && sameChars(reserved, key, length)) {
                return true;
            }
        }
        return false;
    }

    byte[] timestampPrefix() {
        return timestampPrefix;
    }

    byte[] levelPrefix() {
        return levelPrefix;
    }

    byte[] componentPrefix() {
        return componentPrefix;
    }

    byte[] eventPrefix() {
        return eventPrefix;
    }

    /** @return bytes written right after the event name ({@code ecs.version} in ECS), possibly empty. */
    byte[] trailer() {
        return trailer;
    }

    private static boolean sameChars(final String reserved, final CharSequence key, final int length) {
        for (int i = 0; i < length; i++) {
            if (reserved.charAt(i) != key.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(final String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
