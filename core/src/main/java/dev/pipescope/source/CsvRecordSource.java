package dev.pipescope.source;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads readings from CSV text, strictly, and says what it did with every line.
 *
 * <h2>Format</h2>
 * The first non-blank line is a header naming the columns {@code sensor}, {@code timestamp} and
 * {@code value} in any order and any case (other columns are ignored), or just {@code timestamp,value}
 * for a single sensor whose name the caller gives (the program uses the file's name). Timestamps are
 * ISO-8601 ({@code 2026-11-27T10:00:00Z}, {@code 2013-12-02 21:15:00} as UTC, {@code 2026-11-27}) or numbers
 * since the epoch in a {@link TimestampUnit} ({@link TimestampUnit#AUTO} decides from the first one);
 * values are decimal numbers. Fields may be quoted with {@code "} (a doubled quote inside stands for one)
 * and are trimmed of spaces and tabs. Lines end with LF or CRLF. A UTF-8 byte order mark at the start is
 * skipped. Input given as bytes is decoded as strict UTF-8 ({@link Utf8EscapingReader}).
 *
 * <h2>Every line is accounted for</h2>
 * {@link #lines()} {@code ==} {@link #blankLines()} {@code +} (1 if {@link #hasHeader()}) {@code +}
 * {@link #accepted()} {@code +} {@link #rejected()}, once the input is read:
 * <ul>
 *   <li>a blank line (nothing but spaces and tabs) is counted and skipped;</li>
 *   <li>a malformed line (wrong field count, bad timestamp, a value that is not a finite number, a sensor
 *       name with control characters or bytes that are not UTF-8, an overlong line, one sensor too many)
 *       is counted, reported to the {@link RejectListener} with its line number, a reason and its text
 *       escaped ({@link EscapedText}: never a raw control character), and skipped;</li>
 *   <li>every valid line becomes a record whose {@code sequence} is its line number.</li>
 * </ul>
 *
 * <h2>Refusing the input as a whole</h2>
 * {@link #open()} (called by the first {@link #fill} if not before) reads the start of the input:
 * <ul>
 *   <li>{@link NotCsvTextException} when it is not text (NUL characters, or more than a tenth of the first
 *       {@value #SNIFF_LENGTH} characters undecodable bytes or control characters);</li>
 *   <li>{@link CsvFormatException} when the header is malformed, lacks a needed column or names one twice;</li>
 *   <li>{@link #isEmptyInput()} when there is no data line: no line at all ({@link #hasHeader()} false) or
 *       a header alone. Not an error here: the caller decides what to say.</li>
 * </ul>
 * It also looks ahead at the first data line, so that with {@link TimestampUnit#AUTO} the unit is decided
 * ({@link #timestampUnitDecided()}) before the first batch and can be logged when the run starts.
 *
 * <p>Parsing is done on a reused char buffer: steady-state reading allocates nothing, except for numbers
 * beyond 15 significant digits and once per new sensor name. Called by the processing thread only.
 */
public final class CsvRecordSource implements RecordSource {
    /** Lines longer than this many chars are rejected. */
    public static final int MAX_LINE_LENGTH = 64 * 1024;
    /** How many characters at the start of the input {@link #open()} looks at to tell text from binary. */
    public static final int SNIFF_LENGTH = 1024;

    /** Characters of a refused input shown in the {@link NotCsvTextException}'s message. */
    private static final int SHOWN_START = 40;
    /** Characters of a bad header shown in the {@link CsvFormatException}'s message. */
    private static final int SHOWN_HEADER = 200;

    /** {@link #split} result: a quoted field is not closed. */
    private static final int UNCLOSED_QUOTE = -1;
    /** {@link #split} result: more fields than {@link #fieldStart} can describe. */
    private static final int TOO_MANY_FIELDS = -2;

    private final Reader reader;
    private final String name;
    private final SensorRegistry registry;
    private final RejectListener rejectListener;
    private final String singleSensorName;
    private final TimestampParser timestamps;
    private final DecimalParser decimals = new DecimalParser();
    private final EscapedText escaper;
    // built once: a rejection must not allocate, however many lines are bad
    private final String tooLongReason = "line is longer than " + MAX_LINE_LENGTH + " characters";
    private final String tooManySensorsReason;

    private char[] buffer = new char[16 * 1024];
    private int start;
    private int limit;
    private boolean endOfInput;
    private boolean exhausted;
    private long lineNumber;
    private long rejected;
    private long accepted;
    private long blankLines;

    private boolean opened;
    private RuntimeException openFailure;
    private boolean headerRead;
    private boolean emptyInput;
    private long unitDecidedAtLine;
    private int sensorColumn = -1;
    private int timestampColumn = -1;
    private int valueColumn = -1;
    private int columns;
    private int singleSensorId = -1;

    private final int[] fieldStart = new int[64];
    private final int[] fieldLength = new int[64];
    private char[] unquoted = new char[256];
    private boolean unquotedUsed;

    /**
     * Reads UTF-8 bytes with numeric timestamps in epoch milliseconds, as this constructor always did;
     * {@link #builder} offers the unit (and defaults to {@link TimestampUnit#AUTO}).
     *
     * @param input            UTF-8 CSV text; closed by {@link #close()}.
     * @param name             a description for logs, e.g. the file name.
     * @param registry         where sensor names are registered.
     * @param singleSensorName the sensor name to use when the header has no {@code sensor} column.
     * @param rejectListener   told about each malformed line.
     */
    public CsvRecordSource(final InputStream input, final String name, final SensorRegistry registry,
        final String singleSensorName, final RejectListener rejectListener) {
        this(new Utf8EscapingReader(input), true, name, registry, singleSensorName, rejectListener,
            TimestampUnit.MILLISECONDS);
    }

    /**
     * Reads text with numeric timestamps in epoch milliseconds, as this constructor always did;
     * {@link #builder} offers the unit (and defaults to {@link TimestampUnit#AUTO}).
     *
     * @param reader           CSV text; closed by {@link #close()}.
     * @param name             a description for logs.
     * @param registry         where sensor names are registered.
     * @param singleSensorName the sensor name to use when the header has no {@code sensor} column.
     * @param rejectListener   told about each malformed line.
     */
    public CsvRecordSource(final Reader reader, final String name, final SensorRegistry registry,
        final String singleSensorName, final RejectListener rejectListener) {
        this(reader, false, name, registry, singleSensorName, rejectListener, TimestampUnit.MILLISECONDS);
    }

    private CsvRecordSource(final Reader reader, final boolean bytesEscaped, final String name,
        final SensorRegistry registry, final String singleSensorName, final RejectListener rejectListener,
        final TimestampUnit unit) {
        this.reader = Objects.requireNonNull(reader, "input");
        this.name = Objects.requireNonNull(name, "name");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.singleSensorName = Objects.requireNonNull(singleSensorName, "singleSensorName");
        this.rejectListener = Objects.requireNonNull(rejectListener, "rejectListener");
        this.timestamps = new TimestampParser(unit);
        this.escaper = new EscapedText(bytesEscaped);
        this.tooManySensorsReason = "too many distinct sensors (capacity " + registry.capacity() + ")";
    }

    /**
     * Starts a source description; the unit defaults to {@link TimestampUnit#AUTO}, the single sensor's
     * name to {@code name}, the listener to {@link RejectListener#IGNORE}.
     *
     * @param name     the input's name for messages and logs, e.g. the file name or {@code -}.
     * @param registry where sensor names are registered.
     * @return a builder.
     */
    public static Builder builder(final String name, final SensorRegistry registry) {
        return new Builder(name, registry);
    }

    /**
     * Reads the start of the input: refuses it if it is not text, reads and checks the header, and looks
     * ahead at the first data line (deciding an {@link TimestampUnit#AUTO} unit from it). Idempotent: a
     * second call does nothing, or throws the first call's exception again. {@link #fill} calls it.
     *
     * @throws NotCsvTextException  when the input is not text.
     * @throws CsvFormatException   when the header is malformed or lacks a needed column.
     * @throws UncheckedIOException when the input cannot be read.
     */
    public void open() {
        if (openFailure != null) {
            throw openFailure;
        }
        if (opened) {
            return;
        }
        try {
            sniff();
            readHeaderAndLookAhead();
            opened = true;
        } catch (final RuntimeException e) {
            openFailure = e;
            exhausted = true;
            throw e;
        }
    }

    @Override
    public int fill(final RecordBatch batch) {
        batch.clear();
        if (!opened) {
            open();
        }
        while (!batch.isFull() && !exhausted) {
            final int lineEnd = nextLine();
            if (lineEnd < 0) {
                exhausted = true;
                break;
            }
            final int lineStart = start;
            final int contentEnd = contentEnd(lineStart, lineEnd);
            start = lineEnd + 1;
            lineNumber++;
            if (contentEnd - lineStart > MAX_LINE_LENGTH) {
                reject(tooLongReason, lineStart, MAX_LINE_LENGTH);
                continue;
            }
            if (isBlank(lineStart, contentEnd)) {
                blankLines++;
                continue;
            }
            parseRecord(batch, lineStart, contentEnd);
        }
        return batch.size();
    }

    /** Refuses input that is not text, judging by what the first read(s) brought, up to the first line. */
    private void sniff() {
        int scanned = 0;
        boolean lineSeen = false;
        while (!endOfInput && limit < SNIFF_LENGTH && !lineSeen) {
            read();
            for (; scanned < limit && !lineSeen; scanned++) {
                lineSeen = buffer[scanned] == '\n';
            }
        }
        final int n = Math.min(limit, SNIFF_LENGTH);
        int firstNul = -1;
        int suspicious = 0;
        for (int i = 0; i < n; i++) {
            final char ch = buffer[i];
            if (ch == 0) {
                if (firstNul < 0) {
                    firstNul = i;
                }
            } else if (EscapedText.isEscapedByte(ch) || ch == '\uFFFD' || Character.isSurrogate(ch)
                && !(Character.isHighSurrogate(ch) && i + 1 < n && Character.isLowSurrogate(buffer[i + 1]))
                || EscapedText.isControl(ch) && ch != '\t' && ch != '\n' && ch != '\r' && ch != '\f') {
                suspicious++;
            } else if (Character.isHighSurrogate(ch)) {
                i++; // the low half of a valid pair is not suspicious
            }
        }
        if (firstNul < 0 && suspicious * 10 <= n) {
            return;
        }
        final String why = firstNul >= 0
            ? "it holds NUL characters (the first is character " + (firstNul + 1) + ")"
            : suspicious + " of its first " + n + " characters are bytes that are not UTF-8 or control characters";
        throw new NotCsvTextException(name, why + utf16Hint(n) + "; it starts with \""
            + escaper.toDisplayString(buffer, 0, n, SHOWN_START) + "\"");
    }

    /** Names the likely cause when the input starts with a UTF-16 byte order mark. */
    private String utf16Hint(final int n) {
        if (n >= 2) {
            final char a = buffer[0];
            final char b = buffer[1];
            final char ff = (char) (Utf8EscapingReader.ESCAPED_BYTE_BASE + 0xFF);
            final char fe = (char) (Utf8EscapingReader.ESCAPED_BYTE_BASE + 0xFE);
            if (a == ff && b == fe || a == fe && b == ff) {
                return " (it looks like UTF-16: save it as UTF-8)";
            }
        }
        return "";
    }

    private void readHeaderAndLookAhead() {
        if (limit > 0 && buffer[0] == '\uFEFF') {
            start = 1; // a byte order mark says how the text is encoded; it is not part of the header
        }
        while (!headerRead) {
            final int lineEnd = nextLine();
            if (lineEnd < 0) {
                exhausted = true;
                emptyInput = true;
                return;
            }
            final int lineStart = start;
            final int contentEnd = contentEnd(lineStart, lineEnd);
            start = lineEnd + 1;
            lineNumber++;
            if (contentEnd - lineStart > MAX_LINE_LENGTH) {
                throw new CsvFormatException(name, lineNumber, "the header line is longer than " + MAX_LINE_LENGTH
                    + " characters");
            }
            if (isBlank(lineStart, contentEnd)) {
                blankLines++;
                continue;
            }
            readHeader(lineStart, contentEnd);
        }
        // Look ahead at the first data line without consuming it: fill() reads it again.
        while (true) {
            final int lineEnd = nextLine();
            if (lineEnd < 0) {
                exhausted = true;
                emptyInput = true;
                return;
            }
            final int contentEnd = contentEnd(start, lineEnd);
            if (contentEnd - start <= MAX_LINE_LENGTH && isBlank(start, contentEnd)) {
                start = lineEnd + 1;
                lineNumber++;
                blankLines++;
                continue;
            }
            if (timestamps.decided() == TimestampUnit.AUTO && contentEnd - start <= MAX_LINE_LENGTH
                && split(start, contentEnd) == columns) {
                final char[] chars = fieldChars();
                final int ts = trimStart(chars, fieldStart[timestampColumn], fieldLength[timestampColumn]);
                timestamps.parse(chars, ts,
                    trimLength(chars, ts, fieldStart[timestampColumn] + fieldLength[timestampColumn]));
                noteUnitDecision(lineNumber + 1);
            }
            return;
        }
    }

    /** The end of a line's content: before its '\n', and before a '\r' preceding it. */
    private int contentEnd(final int lineStart, final int lineEnd) {
        return lineEnd > lineStart && buffer[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
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

    /** Spaces and tabs only: a line of control characters is not blank, it is rejected and shown. */
    private static boolean isSpace(final char ch) {
        return ch == ' ' || ch == '\t';
    }

    private boolean isBlank(final int from, final int to) {
        for (int i = from; i < to; i++) {
            if (!isSpace(buffer[i])) {
                return false;
            }
        }
        return true;
    }

    private void readHeader(final int from, final int to) {
        final int n = split(from, to);
        if (n < 0) {
            throw new CsvFormatException(name, lineNumber, "the header line is malformed: '" + shown(from, to) + "'");
        }
        for (int i = 0; i < n; i++) {
            final String column = new String(fieldChars(), fieldStart[i], fieldLength[i]).strip()
                .toLowerCase(Locale.ROOT);
            switch (column) {
                case "sensor": sensorColumn = once(sensorColumn, i, column, from, to); break;
                case "timestamp": timestampColumn = once(timestampColumn, i, column, from, to); break;
                case "value": valueColumn = once(valueColumn, i, column, from, to); break;
                default: break;
            }
        }
        if (timestampColumn < 0 || valueColumn < 0) {
            throw new CsvFormatException(name, lineNumber, "the header must name the columns"
                + " 'sensor,timestamp,value' or 'timestamp,value', found '" + shown(from, to) + "'");
        }
        if (sensorColumn < 0) {
            singleSensorId = registry.register(singleSensorName);
        }
        columns = n;
        headerRead = true;
    }

    /** A needed column named twice would make every line ambiguous: refuse the header. */
    private int once(final int previous, final int index, final String column, final int from, final int to) {
        if (previous >= 0) {
            throw new CsvFormatException(name, lineNumber, "the header names the column '" + column
                + "' twice: '" + shown(from, to) + "'");
        }
        return index;
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
        int sensorId = singleSensorId;
        int nameStart = 0;
        int nameLength = 0;
        if (sensorColumn >= 0) {
            nameStart = trimStart(chars, fieldStart[sensorColumn], fieldLength[sensorColumn]);
            nameLength = trimLength(chars, nameStart, fieldStart[sensorColumn] + fieldLength[sensorColumn]);
            if (nameLength == 0) {
                reject("sensor name is empty", from, to - from);
                return;
            }
            sensorId = registry.find(chars, nameStart, nameLength);
            if (sensorId == SensorRegistry.NOT_FOUND) {
                // checked only for names not yet registered: known names were clean when they came
                final int problem = EscapedText.nameProblem(chars, nameStart, nameLength);
                if (problem == EscapedText.NAME_CONTROL) {
                    reject("sensor name holds a control character", from, to - from);
                    return;
                }
                if (problem == EscapedText.NAME_NOT_UTF8) {
                    reject("sensor name holds bytes that are not UTF-8", from, to - from);
                    return;
                }
                if (registry.size() >= registry.capacity()) {
                    reject(tooManySensorsReason, from, to - from);
                    return;
                }
            }
        }
        final int ts = trimStart(chars, fieldStart[timestampColumn], fieldLength[timestampColumn]);
        final long epochMs = timestamps.parse(chars, ts,
            trimLength(chars, ts, fieldStart[timestampColumn] + fieldLength[timestampColumn]));
        if (unitDecidedAtLine == 0) {
            noteUnitDecision(lineNumber);
        }
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
        if (sensorId == SensorRegistry.NOT_FOUND) {
            // registered only now that the line is valid: a rejected line leaves no sensor behind
            sensorId = registry.register(new String(chars, nameStart, nameLength));
        }
        batch.add(sensorId, epochMs, lineNumber, value);
        accepted++;
    }

    /** Remembers the line whose number made {@link TimestampUnit#AUTO} decide, once. */
    private void noteUnitDecision(final long line) {
        if (unitDecidedAtLine == 0 && timestamps.configured() == TimestampUnit.AUTO
            && timestamps.decided() != TimestampUnit.AUTO) {
            unitDecidedAtLine = line;
        }
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
        while (s < end && isSpace(c[s])) {
            s++;
        }
        return s;
    }

    private static int trimLength(final char[] c, final int from, final int end) {
        int e = end;
        while (e > from && isSpace(c[e - 1])) {
            e--;
        }
        return e - from;
    }

    private void reject(final String reason, final int from, final int length) {
        rejected++;
        rejectListener.rejected(lineNumber, reason, escaper.escape(buffer, from, length));
    }

    private String shown(final int from, final int to) {
        return escaper.toDisplayString(buffer, from, to - from, SHOWN_HEADER);
    }

    @Override
    public boolean isExhausted() {
        return exhausted;
    }

    /**
     * @return {@code csv(NAME, timestampUnit=U)} where U is the unit given, {@code auto} while undecided,
     *     or {@code auto:seconds} (etc.) once decided.
     */
    @Override
    public String describe() {
        return "csv(" + name + ", timestampUnit=" + unitText() + ")";
    }

    private String unitText() {
        final TimestampUnit configured = timestamps.configured();
        final TimestampUnit decided = timestamps.decided();
        if (configured != TimestampUnit.AUTO) {
            return configured.label();
        }
        return decided == TimestampUnit.AUTO ? "auto" : "auto:" + decided.label();
    }

    /** @return the input's name, as given. */
    public String inputName() {
        return name;
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

    /** @return blank lines (nothing but spaces and tabs) read and skipped so far, before the header too. */
    @Override
    public long blankLines() {
        return blankLines;
    }

    /**
     * Whether the input has no data line at all: it is empty or blank ({@link #hasHeader()} false), or it
     * holds a header and nothing else. Lines that are all rejected do not make an input empty: see
     * {@link #accepted()}. Opens the input if not done yet, so it may throw what {@link #open()} throws.
     *
     * @return true when there is no data line.
     */
    public boolean isEmptyInput() {
        open();
        return emptyInput;
    }

    /** @return whether a header line has been read (after {@link #open()}: whether the input has one). */
    public boolean hasHeader() {
        return headerRead;
    }

    /** @return the unit given for numeric timestamps, possibly {@link TimestampUnit#AUTO}. */
    public TimestampUnit timestampUnit() {
        return timestamps.configured();
    }

    /**
     * @return the unit numeric timestamps are read in: the one given or, for {@link TimestampUnit#AUTO}, the
     *     one decided from the first numeric timestamp; {@code AUTO} while none has been seen (ISO timestamps
     *     need no unit). After {@link #open()} this reflects the first data line.
     */
    public TimestampUnit timestampUnitDecided() {
        return timestamps.decided();
    }

    /** @return the line whose timestamp made {@link TimestampUnit#AUTO} decide, or 0 if it has not (yet). */
    public long timestampUnitDecidedAtLine() {
        return unitDecidedAtLine;
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot close " + name, e);
        }
    }

    /** Describes a {@link CsvRecordSource}; {@link #build(InputStream)} or {@link #build(Reader)} makes it. */
    public static final class Builder {
        private final String name;
        private final SensorRegistry registry;
        private String singleSensorName;
        private RejectListener rejectListener = RejectListener.IGNORE;
        private TimestampUnit timestampUnit = TimestampUnit.AUTO;

        private Builder(final String name, final SensorRegistry registry) {
            this.name = Objects.requireNonNull(name, "name");
            this.registry = Objects.requireNonNull(registry, "registry");
            this.singleSensorName = name;
        }

        /**
         * @param sensorName the sensor of every record when the header has no {@code sensor} column.
         * @return this.
         */
        public Builder singleSensorName(final String sensorName) {
            this.singleSensorName = Objects.requireNonNull(sensorName, "sensorName");
            return this;
        }

        /**
         * @param listener told about each rejected line, on the processing thread.
         * @return this.
         */
        public Builder rejectListener(final RejectListener listener) {
            this.rejectListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @param unit what numeric timestamps count; {@link TimestampUnit#AUTO} (the default) decides from
         *             the first one.
         * @return this.
         */
        public Builder timestampUnit(final TimestampUnit unit) {
            this.timestampUnit = Objects.requireNonNull(unit, "unit");
            return this;
        }

        /**
         * @param input UTF-8 bytes, decoded strictly (ill-formed bytes are shown as {@code \xNN} in rejections);
         *              closed by {@link CsvRecordSource#close()}.
         * @return the source; nothing is read until {@link CsvRecordSource#open()} or the first fill.
         */
        public CsvRecordSource build(final InputStream input) {
            return new CsvRecordSource(new Utf8EscapingReader(Objects.requireNonNull(input, "input")), true, name,
                registry, singleSensorName, rejectListener, timestampUnit);
        }

        /**
         * @param reader the text; closed by {@link CsvRecordSource#close()}.
         * @return the source; nothing is read until {@link CsvRecordSource#open()} or the first fill.
         */
        public CsvRecordSource build(final Reader reader) {
            return new CsvRecordSource(reader, false, name, registry, singleSensorName, rejectListener, timestampUnit);
        }
    }
}
