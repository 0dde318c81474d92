package dev.pipescope.log;

import org.agrona.MutableDirectBuffer;

/**
 * Writes epoch milliseconds as ISO-8601 UTC with milliseconds ({@code 2026-11-27T10:00:00.123Z}) without
 * java.time, so without allocation. The date part changes once a day, so it is computed on the first line
 * of each day and copied afterwards; the time of day is plain integer arithmetic. One instance per
 * encoder, hence per thread: the cache is not shared.
 */
public final class UtcTimestampWriter {
    /** Bytes written by {@link #put}. */
    public static final int LENGTH = 24;
    /** 0000-01-01T00:00:00.000Z: earlier instants are clamped to it (four-digit years only). */
    public static final long MIN_EPOCH_MILLIS = -62_167_219_200_000L;
    /** 9999-12-31T23:59:59.999Z: later instants are clamped to it. */
    public static final long MAX_EPOCH_MILLIS = 253_402_300_799_999L;

    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final int DATE_PREFIX_LENGTH = 11;

    private final byte[] datePrefix = new byte[DATE_PREFIX_LENGTH];
    private final byte[] scratch = new byte[LENGTH];
    private long cachedDay = Long.MIN_VALUE;

    /**
     * @param buffer      destination with {@link #LENGTH} bytes free after {@code offset}.
     * @param offset      where to start.
     * @param epochMillis milliseconds since 1970-01-01T00:00:00Z.
     * @return the offset after the {@code Z}.
     */
    public int put(final MutableDirectBuffer buffer, final int offset, final long epochMillis) {
        final byte[] array = buffer.byteArray();
        if (array != null && offset >= 0 && offset <= buffer.capacity() - LENGTH) {
            final int adjustment = buffer.wrapAdjustment();
            return put(array, adjustment + offset, epochMillis) - adjustment;
        }
        put(scratch, 0, epochMillis);
        buffer.putBytes(offset, scratch);
        return offset + LENGTH;
    }

    /**
     * Like {@link #put(MutableDirectBuffer, int, long)}, into an array: plain stores, no per-byte bounds
     * check of a buffer.
     *
     * @param out         destination with {@link #LENGTH} bytes free after {@code offset}.
     * @param offset      where to start.
     * @param epochMillis milliseconds since 1970-01-01T00:00:00Z.
     * @return the offset after the {@code Z}.
     */
    public int put(final byte[] out, final int offset, final long epochMillis) {
        final long millis = Math.max(MIN_EPOCH_MILLIS, Math.min(MAX_EPOCH_MILLIS, epochMillis));
        final long day = Math.floorDiv(millis, MILLIS_PER_DAY);
        final int millisOfDay = (int) Math.floorMod(millis, MILLIS_PER_DAY);
        if (day != cachedDay) {
            fillDatePrefix(day);
            cachedDay = day;
        }
        System.arraycopy(datePrefix, 0, out, offset, DATE_PREFIX_LENGTH);
        final int p = offset + DATE_PREFIX_LENGTH;
        // Bounds-checked once for the whole time of day rather than once per store.
        if (p < 0 || p + 13 > out.length) {
            throw new ArrayIndexOutOfBoundsException(p + 13);
        }
        final int seconds = millisOfDay / 1000;
        final int millisOfSecond = millisOfDay - seconds * 1000;
        putTwoDigits(out, p, seconds / 3600);
        out[p + 2] = ':';
        putTwoDigits(out, p + 3, seconds / 60 % 60);
        out[p + 5] = ':';
        putTwoDigits(out, p + 6, seconds % 60);
        out[p + 8] = '.';
        out[p + 9] = (byte) ('0' + millisOfSecond / 100);
        putTwoDigits(out, p + 10, millisOfSecond % 100);
        out[p + 12] = 'Z';
        return p + 13;
    }

    /** Civil date from days since 1970-01-01, after H. Hinnant's proleptic Gregorian algorithm. */
    private void fillDatePrefix(final long epochDay) {
        final long z = epochDay + 719_468;
        final long era = Math.floorDiv(z, 146_097);
        final long dayOfEra = z - era * 146_097;
        final long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        final long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        final long shiftedMonth = (5 * dayOfYear + 2) / 153;
        final int day = (int) (dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
        final int month = (int) (shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
        final int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
        datePrefix[0] = (byte) ('0' + year / 1000);
        datePrefix[1] = (byte) ('0' + year / 100 % 10);
        datePrefix[2] = (byte) ('0' + year / 10 % 10);
        datePrefix[3] = (byte) ('0' + year % 10);
        datePrefix[4] = '-';
        datePrefix[5] = (byte) ('0' + month / 10);
        datePrefix[6] = (byte) ('0' + month % 10);
        datePrefix[7] = '-';
        datePrefix[8] = (byte) ('0' + day / 10);
        datePrefix[9] = (byte) ('0' + day % 10);
        datePrefix[10] = 'T';
    }

    private static void putTwoDigits(final byte[] out, final int offset, final int value) {
        out[offset] = (byte) ('0' + value / 10);
        out[offset + 1] = (byte) ('0' + value % 10);
    }
}
