package dev.pipescope.log;

/**
 * How a double that is not a finite number is written. JSON has no NaN or infinity tokens, so a bare
 * {@code NaN} would make the whole line unparseable.
 */
public enum NonFiniteStyle {
    /** Write {@code null}: every JSON reader accepts it and the value is clearly absent. */
    NULL,
    /** Write the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}, keeping which one it was. */
    STRING
}
