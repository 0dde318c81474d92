package dev.pipescope.log;

import java.util.Objects;

/**
 * How lines are shaped: the largest line in bytes (the encoder's buffer capacity), the field-name profile
 * and how non-finite doubles are written. Immutable; the {@code with...} methods return copies.
 *
 * @param maxLineLength  the largest line in bytes, newline included, between {@link #MIN_LINE_LENGTH} and
 *                       {@link #MAX_LINE_LENGTH}. Longer content is truncated, never split across lines.
 * @param profile        the names of the standard fields.
 * @param nonFiniteStyle how NaN and infinities are written.
 */
public record LogFormat(int maxLineLength, LogProfile profile, NonFiniteStyle nonFiniteStyle) {
    /** The smallest line length: enough for the standard fields with a shortened component and event. */
    public static final int MIN_LINE_LENGTH = 256;
    /** The largest line length, 1 MiB: beyond that a "line" is a payload, not a log event. */
    public static final int MAX_LINE_LENGTH = 1 << 20;
    /** The default line length, 8 KiB. */
    public static final int DEFAULT_LINE_LENGTH = 8 * 1024;

    /**
     * Validates the components.
     *
     * @param maxLineLength  the largest line in bytes.
     * @param profile        the names of the standard fields.
     * @param nonFiniteStyle how NaN and infinities are written.
     * @throws IllegalArgumentException when the line length is out of range.
     * @throws NullPointerException     when the profile or the style is null.
     */
    public LogFormat {
        if (maxLineLength < MIN_LINE_LENGTH || maxLineLength > MAX_LINE_LENGTH) {
            throw new IllegalArgumentException("maxLineLength must be between " + MIN_LINE_LENGTH + " and "
                + MAX_LINE_LENGTH + " bytes, was " + maxLineLength);
        }
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(nonFiniteStyle, "nonFiniteStyle");
    }

    /** @return 8 KiB lines, the {@link LogProfile#DEFAULT} profile, non-finite doubles as {@code null}. */
    public static LogFormat defaults() {
        return new LogFormat(DEFAULT_LINE_LENGTH, LogProfile.DEFAULT, NonFiniteStyle.NULL);
    }

    /**
     * @param length the largest line in bytes.
     * @return a copy with that line length.
     */
    public LogFormat withMaxLineLength(final int length) {
        return new LogFormat(length, profile, nonFiniteStyle);
    }

    /**
     * @param newProfile the field-name profile.
     * @return a copy with that profile.
     */
    public LogFormat withProfile(final LogProfile newProfile) {
        return new LogFormat(maxLineLength, newProfile, nonFiniteStyle);
    }

    /**
     * @param style how non-finite doubles are written.
     * @return a copy with that style.
     */
    public LogFormat withNonFiniteStyle(final NonFiniteStyle style) {
        return new LogFormat(maxLineLength, profile, style);
    }
}
