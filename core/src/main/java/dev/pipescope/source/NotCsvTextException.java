package dev.pipescope.source;

/**
 * The input is not a CSV text file: the start of it holds NUL characters, or too many bytes that are not
 * UTF-8 or control characters to be text (a binary file, a compressed one, UTF-16). Thrown before any
 * line is read, so a program can refuse the input with {@link #getMessage()}, which begins
 * {@code <name>: not a CSV text file} and shows the first characters escaped.
 */
public final class NotCsvTextException extends CsvFormatException {
    private static final long serialVersionUID = 1L;

    /**
     * @param name   the input's name.
     * @param reason what gave it away, and the escaped start of the input.
     */
    NotCsvTextException(final String name, final String reason) {
        super(name + ": not a CSV text file: " + reason, name, 0);
    }
}
