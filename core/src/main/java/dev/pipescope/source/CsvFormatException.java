package dev.pipescope.source;

/** The CSV input cannot be read at all (for instance its header does not name the needed columns). */
public final class CsvFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param name    the input's name.
     * @param line    the line at fault.
     * @param message what is wrong and what is expected.
     */
    public CsvFormatException(final String name, final long line, final String message) {
        super(name + ":" + line + ": " + message);
    }
}
