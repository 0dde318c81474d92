package dev.pipescope.pipeline;

/**
 * An invalid pipeline definition. The message names where (config line), which stage, which parameter
 * and what is allowed, so it can be shown to a user as is.
 */
public final class PipelineConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int line;

    /**
     * @param origin  where the definition came from (file name, or {@code <code>}).
     * @param line    the line number, or 0 when not from a file.
     * @param message what is wrong and what is allowed.
     */
    public PipelineConfigException(final String origin, final int line, final String message) {
        super((line > 0 ? origin + ":" + line + ": " : origin + ": ") + message);
        this.line = line;
    }

    /** @return the config line at fault, or 0. */
    public int line() {
        return line;
    }
}
