package dev.pipescope.log;

/**
 * Severity of a log event, lowest first. A logger emits an event when the event's level is at or above the
 * logger's threshold.
 */
public enum LogLevel {
    /** Detail for diagnosing a problem; usually off in production. */
    DEBUG,
    /** Normal operation worth recording, e.g. a stage completed. */
    INFO,
    /** Something degraded but the pipeline carries on, e.g. a circuit opened. */
    WARNING,
    /** Something failed and needs attention. */
    ERROR;

    // Encoded once so a log line copies the level instead of escaping it.
    private final byte[] quotedName = JsonStrings.quotedUtf8(name());

    /**
     * @param threshold the lowest level that should be emitted.
     * @return true when this level is at or above {@code threshold}.
     */
    public boolean isAtLeast(final LogLevel threshold) {
        return ordinal() >= threshold.ordinal();
    }

    /** @return the name as a quoted JSON literal; callers must not modify it. */
    byte[] quotedName() {
        return quotedName;
    }
}
