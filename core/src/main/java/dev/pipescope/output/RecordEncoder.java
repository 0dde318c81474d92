package dev.pipescope.output;

import dev.pipescope.log.UtcTimestampWriter;
import dev.pipescope.batch.RecordBatch;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Encodes one record as one line in a {@link RecordFormat}. The sensor name is encoded once per sensor
 * ({@link #encodeName}, which may allocate) and passed in already encoded, so {@link #encode} only copies
 * bytes and formats numbers: no allocation. One instance per sink, hence per thread (the timestamp
 * writer caches the current day).
 */
abstract class RecordEncoder {
    /**
     * Room a line needs besides its encoded name: 24 bytes of time, two longs (20 each), seven doubles
     * ({@link ShortestDouble#MAX_LENGTH} each), the flag names, the keys of JSON and separators, rounded up.
     */
    static final int MAX_LENGTH_WITHOUT_NAME = 512 + RecordFlagNames.MAX_LENGTH;

    /** The column names, in order; CSV header names and JSON keys. */
    static final String[] COLUMNS = {"sensor", "timestamp", "epochMs", "sequence", "raw", "value", "normalized",
        "ewma", "delta", "zScore", "score", "flags", "anomaly"};

    static final byte[] TRUE = ascii("true");
    static final byte[] FALSE = ascii("false");

    final UtcTimestampWriter timestamps = new UtcTimestampWriter();

    /** @return the CSV or JSON encoder. */
    static RecordEncoder of(final RecordFormat format) {
        return format == RecordFormat.CSV ? new CsvRecordEncoder() : new JsonRecordEncoder();
    }

    /** @return the first line of the output, newline included, or null when the format has none. */
    abstract byte[] header();

    /**
     * @param name a sensor name.
     * @return its bytes as this format writes the sensor field (quoted and escaped as needed).
     */
    abstract byte[] encodeName(String name);

    /**
     * Writes record {@code i} of {@code batch} at index 0 of {@code buffer}.
     *
     * @param buffer destination with {@link #MAX_LENGTH_WITHOUT_NAME} plus {@code name.length} bytes.
     * @param batch  the batch.
     * @param i      the record.
     * @param name   the sensor field, from {@link #encodeName}.
     * @return the line's length, newline included.
     */
    abstract int encode(MutableDirectBuffer buffer, RecordBatch batch, int i, byte[] name);

    static byte[] ascii(final String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static int putBytes(final MutableDirectBuffer buffer, final int offset, final byte[] bytes) {
        buffer.putBytes(offset, bytes);
        return offset + bytes.length;
    }

    static int putLong(final MutableDirectBuffer buffer, final int offset, final long value) {
        return offset + buffer.putLongAscii(offset, value);
    }
}
