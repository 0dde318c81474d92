package dev.pipescope.output;

import java.util.Locale;

/**
 * How {@link RecordLineSink} writes a record: one line each, UTF-8, ending in {@code '\n'}, with these
 * columns in this order (CSV header names and JSON keys alike):
 *
 * <table>
 *   <caption>Record columns</caption>
 *   <tr><th>column</th><th>content</th></tr>
 *   <tr><td>{@code sensor}</td><td>the sensor's name from the {@code SensorRegistry}</td></tr>
 *   <tr><td>{@code timestamp}</td><td>the reading's time, ISO-8601 UTC with milliseconds
 *       ({@code 2013-12-02T21:15:00.000Z}); instants outside the years 0000..9999 are clamped to them,
 *       {@code epochMs} stays exact</td></tr>
 *   <tr><td>{@code epochMs}</td><td>the same instant, milliseconds since the epoch</td></tr>
 *   <tr><td>{@code sequence}</td><td>the record's position in its source (a CSV line number)</td></tr>
 *   <tr><td>{@code raw}</td><td>the reading as it entered the pipeline</td></tr>
 *   <tr><td>{@code value}</td><td>the working value, calibrated if {@code calibrate} ran</td></tr>
 *   <tr><td>{@code normalized}, {@code ewma}, {@code delta}, {@code zScore}</td><td>derived columns
 *       ({@code normalize}, {@code feature}, the detector's statistic)</td></tr>
 *   <tr><td>{@code score}</td><td>the anomaly detector's score in [0, 1] ({@code RecordBatch.score}): the
 *       record is flagged exactly when it reaches the detector's threshold; absent when no detector scored
 *       the record (none in the pipeline, or an invalid reading)</td></tr>
 *   <tr><td>{@code flags}</td><td>the flag names joined by {@code |}, most telling first: {@code ANOMALY},
 *       {@code INVALID}, {@code DEGRADED}, {@code STALE_CALIBRATION}, {@code CALIBRATED}, then any other
 *       bit as {@code BITn}; empty when none</td></tr>
 *   <tr><td>{@code anomaly}</td><td>{@code true} or {@code false}: whether {@code ANOMALY} is set</td></tr>
 * </table>
 *
 * Doubles are written as the shortest decimal that reads back as the same double ({@code 21.5},
 * {@code 1.0E-7}, {@code -0.0}), so a reader gets every bit back; NaN and infinities (a column no stage
 * wrote, for instance) are an empty CSV field and JSON {@code null}.
 */
public enum RecordFormat {
    /**
     * RFC 4180 CSV with a header line: fields separated by commas; a field holding a comma or a quote, or
     * starting or ending with a space or tab, is enclosed in quotes with inner quotes doubled. Only
     * {@code sensor} can need it. A line break cannot be part of a field here, so a control character, a
     * C1 control or U+2028/U+2029 in a name is written as the six characters {@code \}{@code uXXXX} (CSV
     * has no escapes; one record stays one line for every reader); a lone surrogate becomes U+FFFD.
     */
    CSV("csv"),
    /**
     * JSON Lines: one RFC 8259 object per line, keys in column order, strings escaped by
     * {@link dev.pipescope.log.JsonStrings}; {@code flags} is a string, {@code anomaly} a boolean.
     */
    JSONL("jsonl");

    private final String label;

    RecordFormat(final String label) {
        this.label = label;
    }

    /** @return the lower-case name used on the command line and in logs: {@code csv} or {@code jsonl}. */
    public String label() {
        return label;
    }

    /**
     * Reads a format as a user would type it: {@code csv}, {@code jsonl} (or {@code ndjson}), any case.
     *
     * @param text the text.
     * @return the format.
     * @throws IllegalArgumentException naming the accepted values when none matches.
     */
    public static RecordFormat parse(final String text) {
        final String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        switch (t) {
            case "csv": return CSV;
            case "jsonl": case "ndjson": return JSONL;
            default: throw new IllegalArgumentException("output format must be csv or jsonl, was '" + text + "'");
        }
    }
}
