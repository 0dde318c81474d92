package dev.pipescope.output;

import dev.pipescope.batch.RecordBatch;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Writes a record's flag bits as names joined by {@code |} (see {@link RecordFormat} for the order), from
 * names encoded once at class loading, so writing allocates nothing.
 */
final class RecordFlagNames {
    /** The most bytes {@link #put} writes: every bit set. */
    static final int MAX_LENGTH;

    /** Bits in the order they are written: what a reader most needs to see comes first. */
    private static final int[] ORDER = new int[32];
    private static final byte[][] NAMES = new byte[32][];

    static {
        final int[] known = {RecordBatch.FLAG_ANOMALY, RecordBatch.FLAG_INVALID, RecordBatch.FLAG_DEGRADED,
            RecordBatch.FLAG_STALE_CALIBRATION, RecordBatch.FLAG_CALIBRATED};
        final String[] knownNames = {"ANOMALY", "INVALID", "DEGRADED", "STALE_CALIBRATION", "CALIBRATED"};
        int n = 0;
        int knownMask = 0;
        for (int k = 0; k < known.length; k++) {
            ORDER[n] = known[k];
            NAMES[n++] = knownNames[k].getBytes(StandardCharsets.US_ASCII);
            knownMask |= known[k];
        }
        // a plugin stage may use bits of its own: show them rather than hide them
        for (int bit = 0; bit < 32; bit++) {
            if ((knownMask & 1 << bit) == 0) {
                ORDER[n] = 1 << bit;
                NAMES[n++] = ("BIT" + bit).getBytes(StandardCharsets.US_ASCII);
            }
        }
        int length = 0;
        for (final byte[] name : NAMES) {
            length += name.length + 1;
        }
        MAX_LENGTH = length - 1;
    }

    private RecordFlagNames() {
    }

    /**
     * @param buffer destination with {@link #MAX_LENGTH} bytes free after {@code offset}.
     * @param offset where to start.
     * @param flags  the record's flags.
     * @return the offset after the last name (unchanged when no flag is set).
     */
    static int put(final MutableDirectBuffer buffer, final int offset, final int flags) {
        int p = offset;
        int rest = flags;
        for (int i = 0; i < ORDER.length && rest != 0; i++) {
            if ((rest & ORDER[i]) != 0) {
                if (p != offset) {
                    buffer.putByte(p++, (byte) '|');
                }
                buffer.putBytes(p, NAMES[i]);
                p += NAMES[i].length;
                rest &= ~ORDER[i];
            }
        }
        return p;
    }

    /**
     * For tests and tools: allocates.
     *
     * @param flags flag bits.
     * @return the names as {@link #put} writes them.
     */
    static String names(final int flags) {
        final org.agrona.concurrent.UnsafeBuffer b = new org.agrona.concurrent.UnsafeBuffer(new byte[MAX_LENGTH]);
        return b.getStringWithoutLengthAscii(0, put(b, 0, flags));
    }
}
