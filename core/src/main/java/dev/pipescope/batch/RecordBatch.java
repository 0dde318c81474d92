package dev.pipescope.batch;

import java.util.Arrays;

/**
 * A columnar batch of sensor readings: one primitive array per column, sized once and reused for every
 * batch a source fills. Stages read and write the columns in place; a filter compacts the batch with
 * {@link #moveRecords(int, int, int)} (or {@link #copyRecord(int, int)}) and {@link #size(int)}, so nothing is reallocated in steady state.
 *
 * <p>Columns:
 * <ul>
 *   <li>{@link #sensor} — the sensor id from a {@link SensorRegistry};</li>
 *   <li>{@link #timestamp} — epoch milliseconds of the reading;</li>
 *   <li>{@link #sequence} — the reading's position in its source (for a CSV file, the line number), so a
 *       record can always be traced back to its input;</li>
 *   <li>{@link #raw} — the reading exactly as it entered the batch ({@link #add}); no stage writes it, so an
 *       output can show the input beside the calibrated {@link #value};</li>
 *   <li>{@link #value} — the working value: raw as read, calibrated by {@code calibrate};</li>
 *   <li>{@link #normalized}, {@link #ewma}, {@link #delta}, {@link #zScore} — derived columns written by
 *       the built-in stages ({@code NaN} until a stage writes them);</li>
 *   <li>{@link #score} — the anomaly detector's score of the record in [0, 1] ({@code NaN} until a
 *       detector writes it: no detector in the pipeline, or an invalid reading);</li>
 *   <li>{@link #flags} — bit flags, see the {@code FLAG_} constants.</li>
 * </ul>
 *
 * <p>A batch is owned by one thread at a time; it is not thread-safe.
 */
public final class RecordBatch {
    /** The value was calibrated with a gain and offset from the calibration service or its cache. */
    public static final int FLAG_CALIBRATED = 1;
    /** Calibration was wanted but not available (service failing, circuit open): passed through as is. */
    public static final int FLAG_DEGRADED = 1 << 1;
    /** The anomaly detector judged the reading anomalous (its {@link #score} reached the detector's threshold). */
    public static final int FLAG_ANOMALY = 1 << 2;
    /** The value is NaN or infinite; arithmetic stages skip it rather than propagate it. */
    public static final int FLAG_INVALID = 1 << 3;
    /** Calibration came from a stale cache entry (last known value) because the service failed. */
    public static final int FLAG_STALE_CALIBRATION = 1 << 4;

    /** Sensor id of each record. */
    public final int[] sensor;
    /** Epoch milliseconds of each record. */
    public final long[] timestamp;
    /** Position of each record in its source (CSV line number, or simulated reading number). */
    public final long[] sequence;
    /**
     * The reading of each record as it entered the batch, set by {@link #add} and moved with the record;
     * stages must not write it (it is what the working {@link #value} started from).
     */
    public final double[] raw;
    /** Working value of each record. */
    public final double[] value;
    /** Value mapped to [0, 1] by {@code normalize}. */
    public final double[] normalized;
    /** Per-sensor exponentially weighted mean written by {@code feature}. */
    public final double[] ewma;
    /** Change since the sensor's previous reading, written by {@code feature}. */
    public final double[] delta;
    /**
     * The detector's statistic of each record: the z-score of {@code anomaly}, the position in the sensor's
     * envelope of {@code adaptive} ({@code NaN} until a detector writes it).
     */
    public final double[] zScore;
    /**
     * The anomaly detector's score of each record, in [0, 1]: higher is more anomalous, a fixed monotone map
     * of the detector's {@link #zScore} that is at least the detector's threshold exactly when the record is
     * flagged {@link #FLAG_ANOMALY} (each detector documents its map). {@code NaN} when no detector scored
     * the record: {@link #add} clears it, so it stays {@code NaN} in a pipeline without a detector, and a
     * detector leaves it {@code NaN} for an invalid reading. With two detectors, the last one's score.
     */
    public final double[] score;
    /** Bit flags of each record ({@code FLAG_*}). */
    public final int[] flags;

    private final int capacity;
    private int size;

    /**
     * Creates a batch able to hold {@code capacity} records.
     *
     * @param capacity the maximum number of records, at least 1.
     * @throws IllegalArgumentException if capacity is less than 1.
     */
    public RecordBatch(final int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("batch capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        sensor = new int[capacity];
        timestamp = new long[capacity];
        sequence = new long[capacity];
        raw = new double[capacity];
        value = new double[capacity];
        normalized = new double[capacity];
        ewma = new double[capacity];
        delta = new double[capacity];
        zScore = new double[capacity];
        score = new double[capacity];
        flags = new int[capacity];
    }

    /** @return the maximum number of records this batch holds. */
    public int capacity() {
        return capacity;
    }

    /** @return the number of records currently in the batch. */
    public int size() {
        return size;
    }

    /** @return true when the batch holds no record. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** @return true when no more record fits. */
    public boolean isFull() {
        return size == capacity;
    }

    /**
     * Sets the number of live records, used by filters after compaction.
     *
     * @param newSize between 0 and {@link #capacity()}.
     */
    public void size(final int newSize) {
        if (newSize < 0 || newSize > capacity) {
            throw sizeOutOfRange(newSize);
        }
        size = newSize;
    }

    /** Empties the batch for reuse; columns keep their storage. */
    public void clear() {
        size = 0;
    }

    /**
     * Appends a reading: {@link #raw} and {@link #value} both get it, the derived columns are reset.
     *
     * @param sensorId  id from the batch's {@link SensorRegistry}.
     * @param epochMs   the reading's time in epoch milliseconds.
     * @param seq       the reading's position in its source.
     * @param reading   the raw value.
     * @return the index of the new record.
     * @throws IllegalStateException if the batch is full.
     */
    public int add(final int sensorId, final long epochMs, final long seq, final double reading) {
        if (size == capacity) {
            throw full();
        }
        final int i = size++;
        sensor[i] = sensorId;
        timestamp[i] = epochMs;
        sequence[i] = seq;
        raw[i] = reading;
        value[i] = reading;
        normalized[i] = Double.NaN;
        ewma[i] = Double.NaN;
        delta[i] = Double.NaN;
        zScore[i] = Double.NaN;
        score[i] = Double.NaN;
        flags[i] = 0;
        return i;
    }

    /**
     * Copies every column of record {@code from} over record {@code to}; filters use it to compact.
     *
     * @param from source index.
     * @param to   destination index.
     */
    public void copyRecord(final int from, final int to) {
        sensor[to] = sensor[from];
        timestamp[to] = timestamp[from];
        sequence[to] = sequence[from];
        raw[to] = raw[from];
        value[to] = value[from];
        normalized[to] = normalized[from];
        ewma[to] = ewma[from];
        delta[to] = delta[from];
        zScore[to] = zScore[from];
        score[to] = score[from];
        flags[to] = flags[from];
    }

    /**
     * Moves {@code length} consecutive records from {@code from} to {@code to} (an earlier or later index;
     * the ranges may overlap), column by column: what a filter compacting runs of kept records uses, since
     * one bulk copy per column moves a run far faster than {@link #copyRecord} record by record.
     *
     * @param from   first source index.
     * @param to     first destination index.
     * @param length records to move; {@code from + length} and {@code to + length} at most the capacity.
     */
    public void moveRecords(final int from, final int to, final int length) {
        System.arraycopy(sensor, from, sensor, to, length);
        System.arraycopy(timestamp, from, timestamp, to, length);
        System.arraycopy(sequence, from, sequence, to, length);
        System.arraycopy(raw, from, raw, to, length);
        System.arraycopy(value, from, value, to, length);
        System.arraycopy(normalized, from, normalized, to, length);
        System.arraycopy(ewma, from, ewma, to, length);
        System.arraycopy(delta, from, delta, to, length);
        System.arraycopy(zScore, from, zScore, to, length);
        System.arraycopy(score, from, score, to, length);
        System.arraycopy(flags, from, flags, to, length);
    }

    /**
     * Counts records having every bit of {@code mask} set.
     *
     * @param mask flag bits.
     * @return how many of the live records carry all of them.
     */
    public int countFlagged(final int mask) {
        int count = 0;
        for (int i = 0; i < size; i++) {
            if ((flags[i] & mask) == mask) {
                count++;
            }
        }
        return count;
    }

    /**
     * Copies the live records of {@code other} into this batch (which must be large enough).
     *
     * @param other the batch to copy.
     */
    public void copyFrom(final RecordBatch other) {
        if (other.size > capacity) {
            throw new IllegalArgumentException("cannot copy " + other.size + " records into capacity " + capacity);
        }
        final int n = other.size;
        System.arraycopy(other.sensor, 0, sensor, 0, n);
        System.arraycopy(other.timestamp, 0, timestamp, 0, n);
        System.arraycopy(other.sequence, 0, sequence, 0, n);
        System.arraycopy(other.raw, 0, raw, 0, n);
        System.arraycopy(other.value, 0, value, 0, n);
        System.arraycopy(other.normalized, 0, normalized, 0, n);
        System.arraycopy(other.ewma, 0, ewma, 0, n);
        System.arraycopy(other.delta, 0, delta, 0, n);
        System.arraycopy(other.zScore, 0, zScore, 0, n);
        System.arraycopy(other.score, 0, score, 0, n);
        System.arraycopy(other.flags, 0, flags, 0, n);
        size = n;
    }

    // Exception messages are built out of line: string concatenation inside a hot method was seen to
    // allocate on the calling thread now and then even though the branch is never taken (measured by
    // SteadyStateAllocationTest: 88 bytes per call site, once, in about 4 runs out of 10).
    private IllegalArgumentException sizeOutOfRange(final int newSize) {
        return new IllegalArgumentException("size " + newSize + " outside [0, " + capacity + "]");
    }

    private IllegalStateException full() {
        return new IllegalStateException("batch is full (capacity " + capacity + ")");
    }

    @Override
    public String toString() {
        return "RecordBatch{size=" + size + ", capacity=" + capacity + ", values="
            + Arrays.toString(Arrays.copyOf(value, Math.min(size, 8))) + (size > 8 ? "..." : "") + '}';
    }
}
