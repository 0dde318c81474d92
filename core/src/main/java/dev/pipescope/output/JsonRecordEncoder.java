package dev.pipescope.output;

import dev.pipescope.log.ShortestDouble;
import dev.pipescope.batch.RecordBatch;
import dev.pipescope.log.JsonStrings;
import org.agrona.MutableDirectBuffer;

/** {@link RecordFormat#JSONL}: one object per line, keys in column order, keys pre-encoded. */
final class JsonRecordEncoder extends RecordEncoder {
    private static final byte[] SENSOR = ascii("{\"sensor\":");
    private static final byte[] TIMESTAMP = ascii(",\"timestamp\":\"");
    private static final byte[] EPOCH_MS = ascii("\",\"epochMs\":");
    private static final byte[] SEQUENCE = ascii(",\"sequence\":");
    private static final byte[] RAW = ascii(",\"raw\":");
    private static final byte[] VALUE = ascii(",\"value\":");
    private static final byte[] NORMALIZED = ascii(",\"normalized\":");
    private static final byte[] EWMA = ascii(",\"ewma\":");
    private static final byte[] DELTA = ascii(",\"delta\":");
    private static final byte[] Z_SCORE = ascii(",\"zScore\":");
    private static final byte[] SCORE = ascii(",\"score\":");
    private static final byte[] FLAGS = ascii(",\"flags\":\"");
    private static final byte[] ANOMALY = ascii("\",\"anomaly\":");
    private static final byte[] NULL = ascii("null");

    @Override
    byte[] header() {
        return null;
    }

    @Override
    byte[] encodeName(final String name) {
        return JsonStrings.quotedUtf8(name);
    }

    @Override
    int encode(final MutableDirectBuffer buffer, final RecordBatch batch, final int i, final byte[] name) {
        int p = putBytes(buffer, 0, SENSOR);
        p = putBytes(buffer, p, name);
        p = putBytes(buffer, p, TIMESTAMP);
        p = timestamps.put(buffer, p, batch.timestamp[i]);
        p = putBytes(buffer, p, EPOCH_MS);
        p = putLong(buffer, p, batch.timestamp[i]);
        p = putBytes(buffer, p, SEQUENCE);
        p = putLong(buffer, p, batch.sequence[i]);
        p = putDouble(buffer, putBytes(buffer, p, RAW), batch.raw[i]);
        p = putDouble(buffer, putBytes(buffer, p, VALUE), batch.value[i]);
        p = putDouble(buffer, putBytes(buffer, p, NORMALIZED), batch.normalized[i]);
        p = putDouble(buffer, putBytes(buffer, p, EWMA), batch.ewma[i]);
        p = putDouble(buffer, putBytes(buffer, p, DELTA), batch.delta[i]);
        p = putDouble(buffer, putBytes(buffer, p, Z_SCORE), batch.zScore[i]);
        p = putDouble(buffer, putBytes(buffer, p, SCORE), batch.score[i]);
        p = putBytes(buffer, p, FLAGS);
        final int flags = batch.flags[i];
        p = RecordFlagNames.put(buffer, p, flags);
        p = putBytes(buffer, p, ANOMALY);
        p = putBytes(buffer, p, (flags & RecordBatch.FLAG_ANOMALY) != 0 ? TRUE : FALSE);
        buffer.putByte(p++, (byte) '}');
        buffer.putByte(p++, (byte) '\n');
        return p;
    }

    /** JSON has no NaN or infinity: {@code null} says the value is absent and keeps the line valid. */
    private static int putDouble(final MutableDirectBuffer buffer, final int offset, final double v) {
        return Double.isFinite(v) ? ShortestDouble.put(buffer, offset, v) : putBytes(buffer, offset, NULL);
    }
}
