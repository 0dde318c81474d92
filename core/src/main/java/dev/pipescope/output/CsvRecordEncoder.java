package dev.pipescope.output;

import dev.pipescope.log.ShortestDouble;
import dev.pipescope.batch.RecordBatch;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/** {@link RecordFormat#CSV}: see there for the quoting rules. */
final class CsvRecordEncoder extends RecordEncoder {
    private static final byte[] HEADER = ascii(String.join(",", COLUMNS) + "\n");
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    @Override
    byte[] header() {
        return HEADER.clone();
    }

    @Override
    byte[] encodeName(final String name) {
        final StringBuilder field = new StringBuilder(name.length() + 2);
        boolean quote = !name.isEmpty() && (isSpace(name.charAt(0)) || isSpace(name.charAt(name.length() - 1)));
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            if (c == '"') {
                field.append("\"\"");
                quote = true;
            } else if (c == ',') {
                field.append(c);
                quote = true;
            } else if (c < 0x20 || c >= 0x7F && c <= 0x9F || c == '\u2028' || c == '\u2029') {
                // CSV has no escape; a line break in a field would split the record for line-based readers
                field.append('\\').append('u').append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                    .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
            } else if (Character.isHighSurrogate(c) && i + 1 < name.length()
                && Character.isLowSurrogate(name.charAt(i + 1))) {
                field.append(c).append(name.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                field.append('\uFFFD'); // no UTF-8 form; the same choice as JsonStrings
            } else {
                field.append(c);
            }
        }
        final String text = quote ? "\"" + field + "\"" : field.toString();
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean isSpace(final char c) {
        return c == ' ' || c == '\t';
    }

    @Override
    int encode(final MutableDirectBuffer buffer, final RecordBatch batch, final int i, final byte[] name) {
        int p = putBytes(buffer, 0, name);
        buffer.putByte(p++, (byte) ',');
        p = timestamps.put(buffer, p, batch.timestamp[i]);
        buffer.putByte(p++, (byte) ',');
        p = putLong(buffer, p, batch.timestamp[i]);
        buffer.putByte(p++, (byte) ',');
        p = putLong(buffer, p, batch.sequence[i]);
        p = putDouble(buffer, p, batch.raw[i]);
        p = putDouble(buffer, p, batch.value[i]);
        p = putDouble(buffer, p, batch.normalized[i]);
        p = putDouble(buffer, p, batch.ewma[i]);
        p = putDouble(buffer, p, batch.delta[i]);
        p = putDouble(buffer, p, batch.zScore[i]);
        p = putDouble(buffer, p, batch.score[i]);
        buffer.putByte(p++, (byte) ',');
        final int flags = batch.flags[i];
        p = RecordFlagNames.put(buffer, p, flags);
        buffer.putByte(p++, (byte) ',');
        p = putBytes(buffer, p, (flags & RecordBatch.FLAG_ANOMALY) != 0 ? TRUE : FALSE);
        buffer.putByte(p++, (byte) '\n');
        return p;
    }

    /** A comma, then the value, or nothing for NaN and infinities: an empty field is a missing value. */
    private static int putDouble(final MutableDirectBuffer buffer, final int offset, final double v) {
        buffer.putByte(offset, (byte) ',');
        return Double.isFinite(v) ? ShortestDouble.put(buffer, offset + 1, v) : offset + 1;
    }
}
