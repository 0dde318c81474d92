package dev.pipescope.log;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes one JSON log line at a time into a fixed-capacity Agrona buffer, without allocating.
 *
 * <p>A line is {@link #begin begun} with the standard fields (timestamp, level, component, event — named
 * by the {@link LogProfile}), then typed fields are appended fluently and {@link #end()} closes it with
 * {@code }\n}. {@code String} keys are copied pre-encoded from an {@link EncodedKeyCache}, {@link JsonKey}
 * keys from the key itself (no lookup), others escaped
 * like values; string values are escaped by {@link JsonStrings}' rules; doubles are written by
 * {@link ShortestDouble} or {@link FixedDecimalDouble}.
 *
 * <p>Guarantees, for any input and any sequence of calls:
 * <ul>
 *   <li>the line is valid RFC 8259 JSON, one object, UTF-8, ending in a single {@code '\n'}, never longer
 *       than {@link LogFormat#maxLineLength()};</li>
 *   <li>a string value that does not fit is cut on a code-point boundary and ends with
 *       {@link JsonStrings#TRUNCATION_MARKER}; any other field, object or array that does not fit is
 *       dropped whole. Either way the line gets {@code "truncated":true} as its last field and
 *       {@link #truncatedLineCount()} grows by one;</li>
 *   <li>a top-level field whose key is reserved by the profile (see {@link LogProfile#isReserved}) is
 *       renamed with the {@link #RENAMED_KEY_PREFIX}, e.g. {@code level} becomes {@code field.level}, so
 *       no key is emitted twice; keys inside nested objects are not touched;</li>
 *   <li>NaN and infinities are written per the {@link NonFiniteStyle}, never as bare tokens;</li>
 *   <li>misuse never throws and never breaks the JSON: {@code field} inside an array writes just the value,
 *       {@code item} outside an array is dropped (and marks the line truncated), unmatched
 *       {@code endObject}/{@code endArray} calls are ignored, containers deeper than {@link #MAX_DEPTH}
 *       are dropped, and {@link #end()} closes whatever is still open. A null key is written as
 *       {@code "null"}, a null string or byte array as {@code null}.</li>
 * </ul>
 *
 * <p>Not thread-safe: one encoder per thread ({@link LogContext} keeps one per thread for you). Every
 * field is written whole or not at all: each append works on a scratch position and only commits it when
 * the bytes fit, so a failed append leaves the line as it was.
 */
public final class JsonLogEncoder {
    /** Key of the flag added to a line that lost content. Reserved in every profile. */
    public static final String TRUNCATED_KEY = "truncated";
    /** Prefix given to a top-level field whose key is reserved by the profile. */
    public static final String RENAMED_KEY_PREFIX = "field.";
    /** Deepest nesting of objects and arrays inside the line's root object. */
    public static final int MAX_DEPTH = 32;

    private static final int FAIL = -1;
    private static final int SKIP = -2;
    private static final int NOT_CACHED = -3;
    // Always kept free at the end of the buffer: "}\n" plus ,"truncated":true (19 bytes) — and, because
    // 32 >= the longest number (21 bytes) plus the 7 bytes its word-wise digit stores may run over, a number
    // can be written speculatively and checked afterwards. Key copies run over by up to 7 bytes as well, and
    // string values by up to JsonStrings.LATIN1_OVERRUN.
    private static final int RESERVE = 32;
    private static final byte[] TRUNCATED_FIELD = ascii(",\"" + TRUNCATED_KEY + "\":true");
    private static final byte[] RENAMED_KEY_START = ascii("\"" + RENAMED_KEY_PREFIX);
    private static final byte[] NULL = ascii("null");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");
    private static final byte[] NAN_STRING = ascii("\"NaN\"");
    private static final byte[] INFINITY_STRING = ascii("\"Infinity\"");
    private static final byte[] NEGATIVE_INFINITY_STRING = ascii("\"-Infinity\"");
    private static final byte[] TRUNCATED_COMPONENT =
        ("\"" + JsonStrings.TRUNCATION_MARKER + "\"").getBytes(StandardCharsets.UTF_8);
    private static final String NULL_KEY = "null";
    private static final int HEADER_SLOTS = 32;
    private static final int HEADER_REST_CAPACITY = 128;

    /** Returned by a logger for a disabled level: every call on it does nothing. Shared, stateless. */
    static final JsonLogEncoder DISABLED = new JsonLogEncoder(LogFormat.defaults().withMaxLineLength(
        LogFormat.MIN_LINE_LENGTH), true);

    // The line is written into `bytes` with plain array stores; `buffer` is the same memory as the Agrona
    // view callers read (and the rarely taken general string paths still write through). An UnsafeBuffer
    // putByte re-checks bounds and reloads the array per byte, which was most of the time per line.
    private final byte[] bytes;
    private final UnsafeBuffer buffer;
    // String values not held one byte per char are bulk-copied here (String.getChars) before escaping; one
    // line can hold no more chars.
    private final char[] chars;
    private final int capacity;
    private final int maxComponentLength;
    private final LogProfile profile;
    private final NonFiniteStyle nonFiniteStyle;
    private final boolean permanentlyDisabled;
    private final UtcTimestampWriter timestampWriter = new UtcTimestampWriter();
    private final EncodedKeyCache keyCache;
    private final int profileBit;
    // Per-second timestamp prefix and recently used header tails, see fillSecondPrefix and putHeaderRest.
    private final byte[] secondPrefix = new byte[64];
    private int secondPrefixLength;
    private long cachedSecond = Long.MIN_VALUE;
    private final byte[][] headerRest = new byte[HEADER_SLOTS][HEADER_REST_CAPACITY + WordCopy.SLACK + 1];
    private final int[] headerRestLength = new int[HEADER_SLOTS];
    private final LogLevel[] headerLevel = new LogLevel[HEADER_SLOTS];
    private final byte[][] headerComponent = new byte[HEADER_SLOTS][HEADER_REST_CAPACITY];
    private final int[] headerComponentLength = new int[HEADER_SLOTS]; // -1: the component was null
    private final String[] headerEvent = new String[HEADER_SLOTS];

    private int position;
    private int length;
    private int depth;
    private long arrayBits;
    private int skippedDepth;
    private boolean needsComma;
    private boolean active;
    // See refreshObjectFast: lets a field take fastKey on one flag instead of four conditions.
    private boolean objectFast;
    private boolean truncated;
    private long truncatedLines;
    private LogSink pendingSink;

    /**
     * @param format line length, profile and non-finite style; the buffer is allocated here, once.
     */
    public JsonLogEncoder(final LogFormat format) {
        this(format, false);
    }

    private JsonLogEncoder(final LogFormat format, final boolean permanentlyDisabled) {
        capacity = format.maxLineLength();
        bytes = new byte[capacity];
        buffer = new UnsafeBuffer(bytes);
        chars = new char[capacity];
        maxComponentLength = maxComponentLength(capacity);
        profile = format.profile();
        keyCache = new EncodedKeyCache(profile);
        profileBit = 1 << profile.ordinal();
        nonFiniteStyle = format.nonFiniteStyle();
        this.permanentlyDisabled = permanentlyDisabled;
    }

    /**
     * The longest pre-encoded component a line of this length carries in full; a logger shortens longer
     * component names to this once, at creation, so the standard fields always fit.
     *
     * @param maxLineLength the line length.
     * @return the largest quoted component in bytes.
     */
    public static int maxComponentLength(final int maxLineLength) {
        return maxLineLength / 4;
    }

    /**
     * Starts a new line, abandoning any line begun and not ended, and writes the standard fields.
     *
     * @param epochMillis   the event time, milliseconds since the epoch (UTC).
     * @param level         the level; null is written as {@code null}.
     * @param componentJson the component as a quoted JSON literal (see {@link JsonStrings#quotedUtf8}); one
     *                      longer than {@link #maxComponentLength(int)} is replaced by a truncation marker.
     * @param event         the event name, e.g. {@code stage_completed}; truncated if very long.
     * @return this encoder, for fields.
     */
    public JsonLogEncoder begin(
        final long epochMillis, final LogLevel level, final byte[] componentJson, final CharSequence event) {
        if (permanentlyDisabled) {
            return this;
        }
        depth = 0;
        arrayBits = 0;
        skippedDepth = 0;
        truncated = false;
        pendingSink = null;
        active = true;

        final long millis = Math.max(UtcTimestampWriter.MIN_EPOCH_MILLIS,
            Math.min(UtcTimestampWriter.MAX_EPOCH_MILLIS, epochMillis));
        final long second = Math.floorDiv(millis, 1000L);
        if (second != cachedSecond) {
            fillSecondPrefix(millis, second);
        }
        int p = WordCopy.copy(secondPrefix, 0, secondPrefixLength, bytes, 0);
        final int millisOfSecond = (int) (millis - second * 1000L);
        bytes[p] = (byte) ('0' + millisOfSecond / 100);
        bytes[p + 1] = (byte) ('0' + millisOfSecond / 10 % 10);
        bytes[p + 2] = (byte) ('0' + millisOfSecond % 10);
        bytes[p + 3] = 'Z';
        p += 4;
        final int slot = headerSlot(level, componentJson, event);
        if (headerEvent[slot] == event && event != null && headerLevel[slot] == level
            && sameComponent(slot, componentJson)) {
            p = WordCopy.copy(headerRest[slot], 0, headerRestLength[slot], bytes, p);
        } else {
            p = putHeaderRest(p, level, componentJson, event, slot);
        }
        position = p;
        needsComma = true;
        objectFast = true;
        return this;
    }

    /**
     * The line up to the second is the same for every line of that second (logs come many per second), so
     * it is formatted once per second and copied: {@code {"timestamp":"2026-11-27T10:00:00.}.
     */
    private void fillSecondPrefix(final long millis, final long second) {
        final byte[] prefix = profile.timestampPrefix();
        System.arraycopy(prefix, 0, secondPrefix, 0, prefix.length);
        timestampWriter.put(secondPrefix, prefix.length, millis);
        secondPrefixLength = prefix.length + UtcTimestampWriter.LENGTH - 4; // without "123Z"
        cachedSecond = second;
    }

    private static int headerSlot(final LogLevel level, final byte[] componentJson, final CharSequence event) {
        // Loggers keep one component array each, so its identity spreads them; the content is still compared.
        final int h = System.identityHashCode(event) * 31 + System.identityHashCode(componentJson) * 7
            + (level == null ? 0 : level.ordinal());
        return (h ^ h >>> 8 ^ h >>> 16) & (HEADER_SLOTS - 1);
    }

    private boolean sameComponent(final int slot, final byte[] componentJson) {
        final int length = headerComponentLength[slot];
        return componentJson == null
            ? length < 0
            : length >= 0 && Arrays.equals(headerComponent[slot], 0, length, componentJson, 0, componentJson.length);
    }

    /**
     * Writes the header after the timestamp ({@code ","level":...,"event":...} and the profile's trailer)
     * the general way, and keeps a copy in {@code slot} when it can be reused: a {@code String} event
     * (immutable, so its identity stands for its text), nothing truncated, short enough for the slot. The
     * component is kept by content, so a caller's array changing between lines is still seen.
     */
    private int putHeaderRest(
        final int offset, final LogLevel level, final byte[] componentJson, final CharSequence event, final int slot) {
        int p = putBytes(offset, profile.levelPrefix());
        p = putBytes(p, level == null ? NULL : level.quotedName());
        p = putBytes(p, profile.componentPrefix());
        if (componentJson != null && componentJson.length <= maxComponentLength) {
            p = putBytes(p, componentJson);
        } else if (componentJson == null) {
            p = putBytes(p, NULL);
        } else {
            p = putBytes(p, TRUNCATED_COMPONENT);
            truncated = true;
        }
        p = putBytes(p, profile.eventPrefix());
        // The header length is bounded (MIN_LINE_LENGTH and the component cap), so at least a truncated
        // event literal and the trailer always fit here.
        final int eventSlot = event != null && event.getClass() == String.class ? keyCache.slotOf((String) event) : -1;
        final boolean cachedEvent = eventSlot >= 0
            && p + keyCache.encodedLength(eventSlot) - 2 <= limit() - profile.trailer().length;
        if (cachedEvent) {
            // a cached name is ,"event": ; the literal is the same bytes without the comma and colon
            System.arraycopy(keyCache.encoded(eventSlot), 1, bytes, p, keyCache.encodedLength(eventSlot) - 2);
            p += keyCache.encodedLength(eventSlot) - 2;
        } else {
            p = putStringValue(p, event, limit() - profile.trailer().length);
        }
        p = putBytes(p, profile.trailer());
        final int length = p - offset;
        if (cachedEvent && !truncated && length <= HEADER_REST_CAPACITY) {
            System.arraycopy(bytes, offset, headerRest[slot], 0, length);
            headerRestLength[slot] = length;
            headerLevel[slot] = level;
            headerEvent[slot] = (String) event;
            // copied into the slot's own array: a slot changing hands must not allocate
            if (componentJson == null) {
                headerComponentLength[slot] = -1;
            } else {
                System.arraycopy(componentJson, 0, headerComponent[slot], 0, componentJson.length);
                headerComponentLength[slot] = componentJson.length;
            }
        }
        return p;
    }

    /**
     * @param key   the field name.
     * @param value the value.
     * @return this encoder.
     */
    public JsonLogEncoder field(final CharSequence key, final int value) {
        return field(key, (long) value);
    }

    /**
     * Writes an instant as an ISO-8601 UTC string with milliseconds ({@code "2013-12-02T21:15:00.000Z"}), the
     * form of the line's own {@code timestamp}, without allocating; years are clamped to 0000..9999.
     *
     * @param key         the field name.
     * @param epochMillis milliseconds since 1970-01-01T00:00:00Z.
     * @return this encoder.
     */
    public JsonLogEncoder fieldTimestamp(final CharSequence key, final long epochMillis) {
        if (!writable()) {
            return this;
        }
        final int limit = limit();
        final int p = putKey(position, key, limit);
        if (p == FAIL || p + UtcTimestampWriter.LENGTH + 2 > limit) {
            return dropped();
        }
        bytes[p] = '"';
        final int end = timestampWriter.put(bytes, p + 1, epochMillis);
        bytes[end] = '"';
        return commitIfFits(end + 1, limit);
    }

    /**
     * @param key   the field name.
     * @param value the value.
     * @return this encoder.
     */
    public JsonLogEncoder field(final CharSequence key, final long value) {
        final int limit = limit();
        int p = fastKey(key, limit);
        if (p < 0 && (p = generalKey(key, limit)) < 0) {
            return this;
        }
        return commitIfFits(AsciiDigits.putLongPadded(bytes, p, value), limit);
    }

    /**
     * Writes the shortest decimal that reads back as {@code value} (see {@link ShortestDouble}).
     *
     * @param key   the field name.
     * @param value the value; NaN and infinities follow the format's {@link NonFiniteStyle}.
     * @return this encoder.
     */
    public JsonLogEncoder field(final CharSequence key, final double value) {
        final int limit = limit();
        int p = fastKey(key, limit);
        if (p < 0 && (p = generalKey(key, limit)) < 0) {
            return this;
        }
        return commitIfFits(putDouble(p, value, -1), limit);
    }

    /**
     * Writes {@code value} with exactly {@code decimals} digits after the point, correctly rounded (see
     * {@link FixedDecimalDouble}).
     *
     * @param key      the field name.
     * @param value    the value; NaN and infinities follow the format's {@link NonFiniteStyle}.
     * @param decimals digits after the point, clamped to [0, {@link FixedDecimalDouble#MAX_DECIMALS}].
     * @return this encoder.
     */
    public JsonLogEncoder field(final CharSequence key, final double value, final int decimals) {
        final int limit = limit();
        int p = fastKey(key, limit);
        if (p < 0 && (p = generalKey(key, limit)) < 0) {
            return this;
        }
        return commitIfFits(putDouble(p, value, Math.max(0, decimals)), limit);
    }

    /**
     * @param key   the field name.
     * @param value the value.
     * @return this encoder.
     */
    public JsonLogEncoder field(final CharSequence key, final boolean value) {
        return rawField(key, value ? TRUE : FALSE);
    }

    /**
     * Writes a string value, escaped; one too long for the line is cut and marked (see class comment).
     *
     * @param key   the field name.
     * @param value the text, or null for {@code null}.
     * @return this encoder.
     */
    public JsonLogEncoder field(final CharSequence key, final CharSequence value) {
        if (value == null) {
            return nullField(key);
        }
        final int limit = limit();
        int p = fastKey(key, limit);
        if (p < 0 && (p = generalKey(key, limit)) < 0) {
            return this;
        }
        final int end = putStringValue(p, value, limit);
        return end == FAIL ? dropped() : commit(end);
    }

    /**
     * Writes a value that is already JSON, e.g. {@code SensorRegistry.jsonName(id)} (a quoted literal).
     * The bytes are copied as they are: the caller vouches that they are one valid JSON value. A value that
     * does not fit is dropped whole (pre-encoded bytes cannot be cut safely).
     *
     * @param key       the field name.
     * @param jsonValue the encoded value, or null for {@code null}.
     * @return this encoder.
     */
    public JsonLogEncoder fieldJson(final CharSequence key, final byte[] jsonValue) {
        return rawField(key, jsonValue == null ? NULL : jsonValue);
    }

    /**
     * @param key the field name.
     * @return this encoder, after writing {@code "key":null}.
     */
    public JsonLogEncoder nullField(final CharSequence key) {
        return rawField(key, NULL);
    }

    /**
     * Opens a nested object as the value of {@code key}; close it with {@link #endObject()}.
     *
     * @param key the field name.
     * @return this encoder.
     */
    public JsonLogEncoder beginObject(final CharSequence key) {
        return openContainer(key, false);
    }

    /**
     * Opens a nested array as the value of {@code key}; add values with the {@code item} methods and close
     * it with {@link #endArray()}.
     *
     * @param key the field name.
     * @return this encoder.
     */
    public JsonLogEncoder beginArray(final CharSequence key) {
        return openContainer(key, true);
    }

    /**
     * Opens an object as the next element of the current array.
     *
     * @return this encoder.
     */
    public JsonLogEncoder beginObjectItem() {
        return openContainer(null, false);
    }

    /**
     * Opens an array as the next element of the current array.
     *
     * @return this encoder.
     */
    public JsonLogEncoder beginArrayItem() {
        return openContainer(null, true);
    }

    /**
     * Closes the object opened last; ignored when the innermost open container is not an object.
     *
     * @return this encoder.
     */
    public JsonLogEncoder endObject() {
        return closeContainer(false);
    }

    /**
     * Closes the array opened last; ignored when the innermost open container is not an array.
     *
     * @return this encoder.
     */
    public JsonLogEncoder endArray() {
        return closeContainer(true);
    }

    /**
     * @param value the next element of the current array.
     * @return this encoder.
     */
    public JsonLogEncoder item(final long value) {
        if (!itemWritable()) {
            return this;
        }
        final int limit = limit();
        final int p = putKey(position, null, limit);
        return p == FAIL ? dropped() : commitIfFits(AsciiDigits.putLongPadded(bytes, p, value), limit);
    }

    /**
     * @param value the next element of the current array, written like {@link #field(CharSequence, double)}.
     * @return this encoder.
     */
    public JsonLogEncoder item(final double value) {
        if (!itemWritable()) {
            return this;
        }
        final int limit = limit();
        final int p = putKey(position, null, limit);
        return p == FAIL ? dropped() : commitIfFits(putDouble(p, value, -1), limit);
    }

    /**
     * @param value the next element of the current array.
     * @return this encoder.
     */
    public JsonLogEncoder item(final boolean value) {
        return itemJson(value ? TRUE : FALSE);
    }

    /**
     * @param value the next element of the current array, escaped and truncated like a string field; null
     *              writes {@code null}.
     * @return this encoder.
     */
    public JsonLogEncoder item(final CharSequence value) {
        if (value == null) {
            return nullItem();
        }
        if (!itemWritable()) {
            return this;
        }
        final int limit = limit();
        final int p = putKey(position, null, limit);
        if (p == FAIL) {
            return dropped();
        }
        final int end = putStringValue(p, value, limit);
        return end == FAIL ? dropped() : commit(end);
    }

    /**
     * @param jsonValue the next element of the current array, already JSON (see {@link #fieldJson}); null
     *                  writes {@code null}.
     * @return this encoder.
     */
    public JsonLogEncoder itemJson(final byte[] jsonValue) {
        if (!itemWritable()) {
            return this;
        }
        return rawField(null, jsonValue == null ? NULL : jsonValue);
    }

    /**
     * @return this encoder, after appending {@code null} to the current array.
     */
    public JsonLogEncoder nullItem() {
        return itemJson(NULL);
    }

    /**
     * Completes the line: closes open containers, adds {@code "truncated":true} if content was lost, and
     * writes {@code }\n}. If the line was begun by a {@link StructuredLogger}, it is then handed to the
     * logger's sink; sink failures are counted by the sink, never thrown.
     *
     * @return the line's length in bytes (read it from {@link #buffer()} at 0), or 0 when no line was in
     *     progress (e.g. the level was disabled).
     */
    public int end() {
        if (!active) {
            return 0;
        }
        int p = position;
        // RESERVE and the per-depth byte kept free by limit() guarantee room for all of this.
        while (depth > 0) {
            bytes[p++] = (byte) (isArray(depth) ? ']' : '}');
            depth--;
        }
        skippedDepth = 0;
        if (truncated) {
            p = putBytes(p, TRUNCATED_FIELD);
            truncatedLines++;
        }
        bytes[p++] = '}';
        bytes[p++] = '\n';
        position = p;
        length = p;
        active = false;
        objectFast = false;

        final LogSink sink = pendingSink;
        if (sink != null) {
            pendingSink = null;
            deliver(sink, p);
        }
        return p;
    }

    /** @return the buffer holding the last completed line at index 0; valid until the next {@link #begin}. */
    public DirectBuffer buffer() {
        return buffer;
    }

    /** @return the length of the last completed line, newline included (0 before the first). */
    public int length() {
        return length;
    }

    /** @return the buffer capacity, i.e. the largest line. */
    public int capacity() {
        return capacity;
    }

    /** @return true while a line is begun and not yet ended. */
    public boolean isActive() {
        return active;
    }

    /** @return true when the current (or last completed) line lost content to the length limit. */
    public boolean isTruncated() {
        return truncated;
    }

    /** @return how many lines this encoder completed with content lost to the length limit. */
    public long truncatedLineCount() {
        return truncatedLines;
    }

    /** Makes {@link #end()} hand the line to {@code sink}; set by the logger right after begin. */
    void deliverTo(final LogSink sink) {
        if (active) {
            pendingSink = sink;
        }
    }

    private void deliver(final LogSink sink, final int lineLength) {
        try {
            if (truncated) {
                sink.counters().recordTruncated();
            }
            sink.write(buffer, 0, lineLength);
        } catch (final RuntimeException ex) {
            // A sink is supposed to swallow its failures; a custom one that does not must still not take
            // the pipeline down. Counted, and reported by well-behaved sinks only.
            try {
                sink.counters().recordWriteError();
            } catch (final RuntimeException ignored) {
                // nothing more we can do without throwing into the caller
            }
        }
    }

    private boolean writable() {
        return active && skippedDepth == 0;
    }

    private boolean itemWritable() {
        if (!writable()) {
            return false;
        }
        if (depth == 0 || !isArray(depth)) {
            // A value without a key has no place in an object; dropping it is the only valid JSON.
            truncated = true;
            return false;
        }
        return true;
    }

    private JsonLogEncoder rawField(final CharSequence key, final byte[] json) {
        final int limit = limit();
        int p = fastKey(key, limit);
        if (p < 0 && (p = generalKey(key, limit)) < 0) {
            return this;
        }
        final int n = json.length;
        if (p + n > limit) {
            return dropped();
        }
        if (n <= 8) {
            // true, false, null, short literals: a few stores beat the arraycopy stub call
            for (int i = 0; i < n; i++) {
                bytes[p + i] = json[i];
            }
        } else {
            System.arraycopy(json, 0, bytes, p, n);
        }
        return commit(p + n);
    }

    /**
     * The common case of {@link #putKey}, kept small so the JIT inlines it into every field method: a cached
     * {@code String} key, in an object, not renamed, that fits. Returns the offset after {@code ,"key":}, or
     * a negative value when {@link #generalKey} must decide (it then writes exactly what putKey always wrote).
     */
    private int fastKey(final CharSequence key, final int limit) {
        if (!objectFast || key == null) {
            return -1;
        }
        final Class<?> type = key.getClass();
        if (type == JsonKey.class) {
            return fastKey((JsonKey) key, limit);
        }
        if (type != String.class) {
            return -1;
        }
        return putCachedKey((String) key, position, limit);
    }

    /** {@link #fastKey(CharSequence, int)} for a key encoded ahead: no lookup at all. */
    private int fastKey(final JsonKey key, final int limit) {
        if (depth == 0 && key.reservedIn(profileBit)) {
            return -1;
        }
        return putEncodedKey(key.encoded(), key.encodedLength(), position, limit);
    }

    /**
     * A {@code String} key from the cache, outside arrays: the offset after {@code ,"key":}, FAIL when it does
     * not fit, NOT_CACHED when the cache does not hold it or it is renamed here (the general path writes it).
     */
    private int putCachedKey(final String key, final int offset, final int limit) {
        final int slot = keyCache.slotOf(key);
        if (slot < 0 || depth == 0 && keyCache.reserved(slot)) {
            return NOT_CACHED;
        }
        return putEncodedKey(keyCache.encoded(slot), keyCache.encodedLength(slot), offset, limit);
    }

    /** Separator and name in one word copy from {@code ,"key":} (padded); FAIL when it does not fit. */
    private int putEncodedKey(final byte[] encoded, final int encodedLength, final int offset, final int limit) {
        final int from = needsComma ? 0 : 1;
        final int n = encodedLength - from;
        if (offset + n > limit) {
            return FAIL;
        }
        // limit <= capacity - RESERVE leaves the word copy's slack free
        return WordCopy.copy(encoded, from, n, bytes, offset);
    }

    /**
     * Everything {@link #fastKey} declines: SKIP (negative) when nothing may be written now, FAIL (negative,
     * and the line marked truncated) when the key does not fit, else the offset after the key.
     */
    private int generalKey(final CharSequence key, final int limit) {
        if (!writable()) {
            return SKIP;
        }
        final int p = putKey(position, key, limit);
        if (p == FAIL) {
            truncated = true;
        }
        return p;
    }

    /** Kept equal to: a line is open, nothing is being skipped, and the innermost container is an object. */
    private void refreshObjectFast() {
        objectFast = active && skippedDepth == 0 && (depth == 0 || !isArray(depth));
    }

    private JsonLogEncoder openContainer(final CharSequence key, final boolean array) {
        if (objectFast && depth < MAX_DEPTH) {
            final int limit = limit() - 1;
            final int p = fastKey(key, limit);
            if (p >= 0 && p + 1 <= limit) {
                return opened(p, array);
            }
        }
        if (!active) {
            return this;
        }
        final boolean inArray = depth > 0 && isArray(depth);
        if (skippedDepth > 0 || depth == MAX_DEPTH || key == null && !inArray) {
            // Too deep, inside a dropped container, or an unnamed item where a key is needed: skip it and
            // everything until its matching end call.
            skippedDepth++;
            truncated = true;
            objectFast = false;
            return this;
        }
        // The new container's closing byte must stay reserved too, hence limit - 1.
        final int limit = limit() - 1;
        final int p = putKey(position, key, limit);
        if (p == FAIL || p + 1 > limit) {
            skippedDepth++;
            truncated = true;
            objectFast = false;
            return this;
        }
        return opened(p, array);
    }

    private JsonLogEncoder opened(final int p, final boolean array) {
        bytes[p] = (byte) (array ? '[' : '{');
        position = p + 1;
        depth++;
        if (array) {
            arrayBits |= 1L << (depth - 1);
        } else {
            arrayBits &= ~(1L << (depth - 1));
        }
        needsComma = false;
        objectFast = !array;
        return this;
    }

    private JsonLogEncoder closeContainer(final boolean array) {
        if (!active) {
            return this;
        }
        if (skippedDepth > 0) {
            skippedDepth--;
            refreshObjectFast();
            return this;
        }
        if (depth == 0 || isArray(depth) != array) {
            return this;
        }
        bytes[position++] = (byte) (array ? ']' : '}');
        depth--;
        needsComma = true;
        refreshObjectFast();
        return this;
    }

    /**
     * Writes the separator and, outside arrays, {@code "key":}. Returns the offset after it or FAIL when it
     * does not fit before {@code limit}.
     */
    private int putKey(final int offset, final CharSequence key, final int limit) {
        final CharSequence name = key == null ? NULL_KEY : key;
        if (name.getClass() == String.class && !(depth > 0 && isArray(depth))) {
            final int p = putCachedKey((String) name, offset, limit);
            if (p != NOT_CACHED) {
                return p;
            }
        }
        int p = offset;
        if (needsComma) {
            if (p >= limit) {
                return FAIL;
            }
            bytes[p++] = ',';
        }
        if (depth > 0 && isArray(depth)) {
            return p;
        }
        if (depth == 0 && profile.isReserved(name)) {
            if (p + RENAMED_KEY_START.length > limit) {
                return FAIL;
            }
            p = putBytes(p, RENAMED_KEY_START);
        } else {
            if (p >= limit) {
                return FAIL;
            }
            bytes[p++] = '"';
        }
        p = putEscaped(name, p, limit);
        if (p < 0 || p + 2 > limit) {
            return FAIL;
        }
        bytes[p++] = '"';
        bytes[p++] = ':';
        return p;
    }

    /** Writes a string literal, cut and marked if needed; FAIL when not even the marker fits. */
    private int putStringValue(final int offset, final CharSequence value, final int limit) {
        if (value == null) {
            return offset + NULL.length <= limit ? putBytes(offset, NULL) : FAIL;
        }
        final int end = putQuoted(value, offset, limit);
        if (end >= 0) {
            return end;
        }
        if (limit - offset < JsonStrings.MIN_TRUNCATED_LITERAL_LENGTH) {
            return FAIL;
        }
        truncated = true;
        return JsonStrings.writeQuotedTruncated(value, buffer, offset, limit);
    }

    /** Writes a double (shortest when decimals < 0); at most 24 bytes, may pass the limit (checked later). */
    private int putDouble(final int offset, final double value, final int decimals) {
        if (Double.isFinite(value)) {
            return decimals < 0
                ? ShortestDouble.put(bytes, offset, value)
                : FixedDecimalDouble.putPadded(bytes, offset, value, decimals);
        }
        if (nonFiniteStyle == NonFiniteStyle.NULL) {
            return putBytes(offset, NULL);
        }
        if (Double.isNaN(value)) {
            return putBytes(offset, NAN_STRING);
        }
        return putBytes(offset, value > 0 ? INFINITY_STRING : NEGATIVE_INFINITY_STRING);
    }

    private JsonLogEncoder commitIfFits(final int end, final int limit) {
        return end <= limit ? commit(end) : dropped();
    }

    private JsonLogEncoder commit(final int end) {
        position = end;
        needsComma = true;
        return this;
    }

    private JsonLogEncoder dropped() {
        truncated = true;
        return this;
    }

    private int limit() {
        return capacity - RESERVE - depth;
    }

    private boolean isArray(final int level) {
        return (arrayBits & (1L << (level - 1))) != 0;
    }

    private int putBytes(final int offset, final byte[] source) {
        System.arraycopy(source, 0, bytes, offset, source.length);
        return offset + source.length;
    }

    /** {@link JsonStrings#writeQuoted(CharSequence, org.agrona.MutableDirectBuffer, int, int)}, same result. */
    private int putQuoted(final CharSequence value, final int offset, final int limit) {
        if (limit - offset < 2) {
            return -1;
        }
        bytes[offset] = '"';
        final int end = putEscaped(value, offset + 1, limit - 1);
        if (end < 0) {
            return end;
        }
        bytes[end] = '"';
        return end + 1;
    }

    /** {@link JsonStrings#writeEscaped(CharSequence, org.agrona.MutableDirectBuffer, int, int)}, same result. */
    private int putEscaped(final CharSequence text, final int offset, final int limit) {
        if (text.getClass() == String.class) {
            final String s = (String) text;
            final byte[] latin1 = Latin1Strings.bytesIfLatin1(s);
            if (latin1 != null) {
                // Read from the string itself, checked and copied a word at a time (measured: six values of 6
                // to 35 chars in 59 ns instead of 92 with a getBytes copy and a separate check). limit is at
                // most capacity - RESERVE, which leaves the overrun free.
                return JsonStrings.writeEscapedLatin1(latin1, bytes, offset, limit);
            }
            final int n = s.length();
            if (n <= chars.length) {
                // Other Strings are copied in bulk and escaped from the array. One longer than the line cannot
                // fit anyway and takes the general path below, as do other CharSequences (no bulk copy in
                // their interface).
                s.getChars(0, n, chars, 0);
                return JsonStrings.writeEscaped(chars, n, bytes, offset, limit);
            }
        }
        return JsonStrings.writeEscaped(text, buffer, offset, limit);
    }

    private static byte[] ascii(final String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
