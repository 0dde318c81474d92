package dev.pipescope.source;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads readings from CSV text. The first line is a header naming the columns: {@code sensor},
 * {@code timestamp} and {@code value} in any order (other columns are ignored), or just
 * {@code timestamp,value} for a single sensor whose name the caller gives (the program uses the file's
 * name). Timestamps are ISO-8601 or epoch milliseconds; values are decimal numbers. Fields may be quoted
 * with {@code "} (a doubled quote inside stands for one). Blank lines are skipped.
 *
 * <p>A malformed line (wrong field count, bad timestamp, a value that is not a finite number, an
 * overlong line) is counted, reported to the {@link RejectListener} with its line number, reason and
 * text, and skipped; every valid line is kept. Parsing is done on a reused char buffer: steady-state
 * reading allocates nothing except for numbers beyond 15 significant digits.
 */
public final class CsvRecordSource implements RecordSource {
    /** Lines longer than this many chars are rejected. */
    public static final int MAX_LINE_LENGTH = 64 * 1024;

    private final Reader reader;
    private final String name;
    private final SensorRegistry registry;
    private final RejectListener rejectListener;
    private final String singleSensorName;
    private final TimestampParser timestamps = new TimestampParser();
    private final DecimalParser decimals = new DecimalParser();
    private final CharView view = new CharView();

    private char[] buffer = new char[16 * 1024];
    private int start;
    private int limit;
    private boolean endOfInput;
    private boolean exhausted;
    private long lineNumber;
    private long rejected;
    private long accepted;

    private boolean headerRead;
    private int sensorColumn = -1;
    private int timestampColumn = -1;
    private int valueColumn = -1;
    private int columns;
    private int singleSensorId = -1;

    /** {@link #split} result: a quoted field is not closed. */
    private static final int UNCLOSED_QUOTE = -1;
    /** {@link #split} result: more fields than {@link #fieldStart} can describe. */
    private static final int TOO_MANY_FIELDS = -2;

    private final int[] fieldStart = new int[64];
    private final int[] fieldLength = new int[64];
    private char[] unquoted = new char[256];
    private boolean unquotedUsed;

    /**
     * @param input            UTF-8 CSV text; closed by {@link #close()}.
     * @param name             a description for logs, e.g. the file name.
     * @param registry         where sensor names are registered.
     * @param singleSensorName the sensor name to use when the header has no {@code sensor} column.
     * @param rejectListener   told about each malformed line.
     */
    public CsvRecordSource(final InputStream input, final String name, final SensorRegistry registry,
        final String singleSensorName, final RejectListener rejectListener) {
        this(new InputStreamReader(input, StandardCharsets.UTF_8), name, registry, singleSensorName, rejectListener);
    }

    /**
     * @param reader           CSV text; closed by {@link #close()}.
     * @param name             a description for logs.
     * @param registry         where sensor names are registered.
     * @param singleSensorName the sensor name to use when the header has no {@code sensor} column.
     * @param rejectListener   told about each malformed line.
     */
    public CsvRecordSource(final Reader reader, final String name, final SensorRegistry registry,
        final String singleSensorName, final RejectListener rejectListener) {
        this.reader = reader;
        this.name = name;
        this.registry = registry;
        this.singleSensorName = singleSensorName;
        this.rejectListener = rejectListener;
    }

    @Override
    public int fill(final RecordBatch batch) {
        batch.clear();
        while (!batch.isFull() && !exhausted) {
            final int lineEnd = nextLine();
            if (lineEnd < 0) {
                exhausted = true;
                break;
            }
            final int lineStart = start;
            int contentEnd = lineEnd;
            if (contentEnd > lineStart && buffer[contentEnd - 1] == '\r') {
                contentEnd--;
            }
            start = lineEnd + 1;
            lineNumber++;
            if (contentEnd - lineStart > MAX_LINE_LENGTH) {
                reject("line is longer than " + MAX_LINE_LENGTH + " characters", lineStart, MAX_LINE_LENGTH);
                continue;
            }
            if (isBlank(lineStart, contentEnd)) {
                continue;
            }
            if (!headerRead) {
                readHeader(lineStart, contentEnd);
                continue;
            }
            parseRecord(batch, lineStart, contentEnd);
        }
        return batch.size();
    }

    /**
     * Finds the end of the next line, reading more input as needed.
     *
     * @return the index of its '\n' (or of the end of input for a last line without one), or -1 at the end.
     */
    private int nextLine() {
        int scan = start;
        while (true) {
            for (; scan < limit; scan++) {
                if (buffer[scan] == '\n') {
                    return scan;
                }
            }
            if (endOfInput) {
                if (start < limit) {
                    ensureRoom();
                    buffer[limit] = '\n';
                    return limit++;
                }
                return -1;
            }
            final int consumed = start;
            ensureRoom();
            scan = Math.min(scan - (consumed - start), limit);
            read();
        }
    }

    private void ensureRoom() {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, limit - start);
            limit -= start;
            start = 0;
        }
        if (limit == buffer.length) {
            if (buffer.length > 4 * MAX_LINE_LENGTH) {
                // an endless line: keep its head for the report and drop the rest as it streams in
                limit = MAX_LINE_LENGTH + 1;
            } else {
                buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
            }
        }
    }

    private void read() {
        try {
            final int n = reader.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                endOfInput = true;
            } else {
                limit += n;
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + name + " after line " + lineNumber, e);
        }
    }

    private boolean isBlank(final int from, final int to) {
        for (int i = from; i < to; i++) {
            if (buffer[i] > ' ') {
                return false;
            }
        }
        return true;
    }

    private void readHeader(final int from, final int to) {
        final int n = split(from, to);
        if (n < 0) {
            throw new CsvFormatException(name, lineNumber, "the header line is malformed: " + text(from, to));
        }
        for (int i = 0; i < n; i++) {
            final String column = new String(fieldChars(), fieldStart[i], fieldLength[i]).strip()
                .toLowerCase(java.util.Locale.ROOT);
            switch (column) {
                case "sensor": sensorColumn = i; break;
                case "timestamp": timestampColumn = i; break;
                case "value": valueColumn = i; break;
                default: break;
            }
        }
        if (timestampColumn < 0 || valueColumn < 0) {
            throw new CsvFormatException(name, lineNumber, "the header must name the columns"
                + " 'sensor,timestamp,value' or 'timestamp,value', found '" + text(from, to) + "'");
        }
        if (sensorColumn < 0) {
            singleSensorId = registry.register(singleSensorName);
        }
        columns = n;
        headerRead = true;
    }

    private void parseRecord(final RecordBatch batch, final int from, final int to) {
        final int n = split(from, to);
        if (n == TOO_MANY_FIELDS) {
            reject("too many fields for the header's columns", from, to - from);
            return;
        }
        if (n == UNCLOSED_QUOTE) {
            reject("a quoted field is not closed", from, to - from);
            return;
        }
        if (n != columns) {
            reject(n < columns ? "too few fields for the header's columns" : "too many fields for the header's columns",
                from, to - from);
            return;
        }
        final char[] chars = fieldChars();
        final int sensorId;
        if (sensorColumn >= 0) {
            final int s = trimStart(chars, fieldStart[sensorColumn], fieldLength[sensorColumn]);
            final int len = trimLength(chars, s, fieldStart[sensorColumn] + fieldLength[sensorColumn]);
            if (len == 0) {
                reject("sensor name is empty", from, to - from);
                return;
            }
            final int found = registry.find(chars, s, len);
            if (found != SensorRegistry.NOT_FOUND) {
                sensorId = found;
            } else if (registry.size() < registry.capacity()) {
                sensorId = registry.register(new String(chars, s, len));
            } else {
                reject("too many distinct sensors (capacity " + registry.capacity() + ")", from, to - from);
                return;
            }
        } else {
            sensorId = singleSensorId;
        }
        final int ts = trimStart(chars, fieldStart[timestampColumn], fieldLength[timestampColumn]);
        final long epochMs = timestamps.parse(chars, ts,
            trimLength(chars, ts, fieldStart[timestampColumn] + fieldLength[timestampColumn]));
        if (epochMs == TimestampParser.INVALID) {
            reject(timestamps.error(), from, to - from);
            return;
        }
        final int vs = trimStart(chars, fieldStart[valueColumn], fieldLength[valueColumn]);
        final double value = decimals.parse(chars, vs, trimLength(chars, vs, fieldStart[valueColumn] + fieldLength[valueColumn]));
        if (Double.isNaN(value)) {
            reject(decimals.error(), from, to - from);
            return;
        }
        batch.add(sensorId, epochMs, lineNumber, value);
        accepted++;
    }

    private char[] fieldChars() {
        return unquotedUsed ? unquoted : buffer;
    }

    /**
     * Splits a line into fields. Unquoted lines are described in place in the read buffer; a line with
     * quotes is copied, unescaped, into a scratch buffer.
     *
     * @return the number of fields, {@link #UNCLOSED_QUOTE} or {@link #TOO_MANY_FIELDS}.
     */
    private int split(final int from, final int to) {
        unquotedUsed = false;
        for (int i = from; i < to; i++) {
            if (buffer[i] == '"') {
                return splitQuoted(from, to);
            }
        }
        int n = 0;
        int fieldFrom = from;
        for (int i = from; i <= to; i++) {
            if (i == to || buffer[i] == ',') {
                if (n == fieldStart.length) {
                    return TOO_MANY_FIELDS;
                }
                fieldStart[n] = fieldFrom;
                fieldLength[n] = i - fieldFrom;
                n++;
                fieldFrom = i + 1;
            }
        }
        return n;
    }

    private int splitQuoted(final int from, final int to) {
        unquotedUsed = true;
        if (unquoted.length < to - from) {
            unquoted = new char[Math.max(to - from, unquoted.length * 2)];
        }
        int n = 0;
        int out = 0;
        int fieldFrom = 0;
        boolean quoted = false;
        for (int i = from; i < to; i++) {
            final char ch = buffer[i];
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < to && buffer[i + 1] == '"') {
                        unquoted[out++] = '"';
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    unquoted[out++] = ch;
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                if (n == fieldStart.length) {
                    return TOO_MANY_FIELDS;
                }
                fieldStart[n] = fieldFrom;
                fieldLength[n] = out - fieldFrom;
                n++;
                fieldFrom = out;
            } else {
                unquoted[out++] = ch;
            }
        }
        if (quoted) {
            return UNCLOSED_QUOTE;
        }
        if (n == fieldStart.length) {
            return TOO_MANY_FIELDS;
        }
        fieldStart[n] = fieldFrom;
        fieldLength[n] = out - fieldFrom;
        return n + 1;
    }

    private static int trimStart(final char[] c, final int from, final int length) {
        int s = from;
        final int end = from + length;
        while (s < end && c[s] <= ' ') {
            s++;
        }
        return s;
    }

    private static int trimLength(final char[] c, final int from, final int end) {
        int e = end;
        while (e > from && c[e - 1] <= ' ') {
            e--;
        }
        return e - from;
    }

    private void reject(final String reason, final int from, final int length) {
        rejected++;
        rejectListener.rejected(lineNumber, reason, view.wrap(buffer, from, length));
    }

    private String text(final int from, final int to) {
        return new String(buffer, from, Math.min(to - from, 200));
    }

    @Override
    public boolean isExhausted() {
        return exhausted;
    }

    @Override
    public String describe() {
        return "csv(" + name + ")";
    }

    @Override
    public long rejected() {
        return rejected;
    }

    /** @return valid records read so far. */
    public long accepted() {
        return accepted;
    }

    /** @return lines read so far, header and blank lines included. */
    public long lines() {
        return lineNumber;
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot close " + name, e);
        }
    }
}
