package dev.pipescope.source;

/**
 * The CSV input cannot be read at all: its header does not name the needed columns, or (the subclass
 * {@link NotCsvTextException}) it is not text. A usage error for a program (exit 2), not a run-time
 * failure; malformed data lines are rejected one by one instead, see {@link RejectListener}. Any input
 * quoted in the message is escaped ({@code \xNN} for bytes that are not UTF-8, {@code \}{@code uXXXX} for
 * control characters), so printing it is safe.
 */
public class CsvFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The input's name, as given to the source. */
    private final String inputName;
    /** The 1-based line at fault, or 0. */
    private final long line;

    /**
     * @param name    the input's name.
     * @param line    the line at fault.
     * @param message what is wrong and what is expected.
     */
    public CsvFormatException(final String name, final long line, final String message) {
        this(name + ":" + line + ": " + message, name, line);
    }

    /**
     * For subclasses that word the whole message themselves.
     *
     * @param fullMessage the message, naming the input.
     * @param name        the input's name.
     * @param line        the line at fault, 0 when the fault is not a line's.
     */
    protected CsvFormatException(final String fullMessage, final String name, final long line) {
        super(fullMessage);
        this.inputName = name;
        this.line = line;
    }

    /** @return the name of the input, as given to the source. */
    public String inputName() {
        return inputName;
    }

    /** @return the 1-based line at fault, or 0 when the fault is the input as a whole. */
    public long line() {
        return line;
    }
}
