package dev.pipescope.source;

/** Told about every input line a source rejects. Called on the processing thread. */
@FunctionalInterface
public interface RejectListener {
    /**
     * @param line   the 1-based line number in the input.
     * @param reason why the line was rejected.
     * @param input  the line's text, escaped for display (control characters as {@code \}{@code uXXXX}, bytes
     *               that are not UTF-8 as {@code \xNN}, so it never holds a raw control character); only
     *               valid during the call (it is a view of a reused buffer).
     */
    void rejected(long line, CharSequence reason, CharSequence input);

    /** A listener that ignores rejections (they are still counted by the source). */
    RejectListener IGNORE = (line, reason, input) -> { };
}
