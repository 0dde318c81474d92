package dev.pipescope.output;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.log.LogSink;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Objects;

/**
 * Writes records as lines of CSV or JSON ({@link RecordFormat}) to a {@link LogSink}: each record is
 * encoded on the calling thread into one reused buffer and handed over as one complete line, so the
 * destination never sees a torn line, and the ring of an {@link dev.pipescope.log.AsyncLogSink} takes the
 * I/O off the processing thread. A CSV header is written when the sink is built, so even an empty run
 * leaves a well-formed file.
 *
 * <p>Steady state allocates nothing: a sensor's name is encoded the first time one of its records is
 * written (once per sensor, like its registration) and the line buffer grows only for a longer name than
 * any before. With {@linkplain Builder#anomaliesOnly(boolean) anomalies only}, exactly the records flagged
 * {@link RecordBatch#FLAG_ANOMALY} are written.
 *
 * <p>Accounting: every record given to {@link #accept} is written, {@linkplain #recordsSkipped() skipped}
 * (not an anomaly, with anomalies only) or {@linkplain #recordsDropped() dropped} (refused by the line
 * sink: a full ring under {@link dev.pipescope.log.OverflowPolicy#DROP}, a line longer than the ring
 * takes, a failed write, or this sink closed). For output whose loss matters, give the async sink
 * {@link dev.pipescope.log.OverflowPolicy#WAIT}. The line sink's own {@link LogSink#counters()} say what
 * reached the destination.
 *
 * <p>Threading: {@link #accept}, {@link #flush} and {@link #close} on the processing thread; the counters
 * are readable from any thread (each is a volatile written once per batch).
 */
public final class RecordLineSink implements RecordSink {
    private final SensorRegistry registry;
    private final LogSink lines;
    private final boolean closeLines;
    private final RecordFormat format;
    private final boolean anomaliesOnly;
    private final RecordEncoder encoder;
    /** The encoded sensor field of each sensor id, filled on first use. */
    private final byte[][] names;
    private final boolean headerWritten;
    private UnsafeBuffer line;
    private boolean closed;

    private volatile long recordsWritten;
    private volatile long recordsDropped;
    private volatile long recordsSkipped;

    private RecordLineSink(final Builder b) {
        registry = b.registry;
        lines = b.lines;
        closeLines = b.closeLines;
        format = b.format;
        anomaliesOnly = b.anomaliesOnly;
        encoder = RecordEncoder.of(format);
        names = new byte[registry.capacity()][];
        line = new UnsafeBuffer(new byte[RecordEncoder.MAX_LENGTH_WITHOUT_NAME + 256]);
        final byte[] header = encoder.header();
        headerWritten = header != null && lines.write(new UnsafeBuffer(header), 0, header.length);
    }

    /**
     * Starts describing a sink; by default CSV, every record, and the line sink is closed with this one.
     *
     * @param registry names the sensor ids of the batches.
     * @param lines    takes the encoded lines, e.g. an {@link dev.pipescope.log.AsyncLogSink} over a
     *                 {@link dev.pipescope.log.StreamLogSink} on the output file.
     * @return a builder.
     */
    public static Builder builder(final SensorRegistry registry, final LogSink lines) {
        return new Builder(registry, lines);
    }

    /**
     * Encodes and hands over every record of the batch (or every anomaly). Allocation-free once each
     * sensor has been seen; blocks only if the line sink does.
     */
    @Override
    public void accept(final long batchNumber, final RecordBatch batch) {
        final int size = batch.size();
        if (closed) {
            recordsDropped += size;
            return;
        }
        long written = 0;
        long dropped = 0;
        long skipped = 0;
        final int[] flags = batch.flags;
        for (int i = 0; i < size; i++) {
            if (anomaliesOnly && (flags[i] & RecordBatch.FLAG_ANOMALY) == 0) {
                skipped++;
                continue;
            }
            final byte[] name = nameOf(batch.sensor[i]);
            final int length = encoder.encode(line, batch, i, name);
            if (lines.write(line, 0, length)) {
                written++;
            } else {
                dropped++;
            }
        }
        // one volatile write per counter per batch, not per record: readers see batch boundaries
        if (written != 0) {
            recordsWritten += written;
        }
        if (dropped != 0) {
            recordsDropped += dropped;
        }
        if (skipped != 0) {
            recordsSkipped += skipped;
        }
    }

    private byte[] nameOf(final int sensorId) {
        final byte[] cached = sensorId >= 0 && sensorId < names.length ? names[sensorId] : null;
        return cached != null ? cached : encodeName(sensorId);
    }

    /** Once per sensor: encodes its name and makes sure the line buffer can hold it. */
    private byte[] encodeName(final int sensorId) {
        final boolean known = sensorId >= 0 && sensorId < registry.size();
        // an id the registry never gave out is a bug upstream; the line stays valid and says so
        final byte[] encoded = encoder.encodeName(known ? registry.name(sensorId) : "#" + sensorId);
        if (known) {
            names[sensorId] = encoded;
        }
        final int needed = RecordEncoder.MAX_LENGTH_WITHOUT_NAME + encoded.length;
        if (line.capacity() < needed) {
            line = new UnsafeBuffer(new byte[needed]);
        }
        return encoded;
    }

    /** Asks the line sink to push its buffered lines out. */
    @Override
    public void flush() {
        lines.flush();
    }

    /** Flushes, and closes the line sink if it was given with {@code closeLines(true)}. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        lines.flush();
        if (closeLines) {
            lines.close();
        }
    }

    /** @return the format lines are written in. */
    public RecordFormat format() {
        return format;
    }

    /** @return whether only records flagged {@link RecordBatch#FLAG_ANOMALY} are written. */
    public boolean anomaliesOnly() {
        return anomaliesOnly;
    }

    /** @return whether a CSV header line was accepted by the line sink (false for JSON lines). */
    public boolean headerWritten() {
        return headerWritten;
    }

    /** @return the sink lines are handed to, for its counters. */
    public LogSink lines() {
        return lines;
    }

    /** @return records handed to the line sink and accepted by it. */
    public long recordsWritten() {
        return recordsWritten;
    }

    /** @return records the line sink refused, or that came after {@link #close()}. */
    public long recordsDropped() {
        return recordsDropped;
    }

    /** @return records not written because they are not anomalies (with anomalies only). */
    public long recordsSkipped() {
        return recordsSkipped;
    }

    /** Describes a {@link RecordLineSink}; {@link #build()} makes it (and writes the CSV header). */
    public static final class Builder {
        private final SensorRegistry registry;
        private final LogSink lines;
        private RecordFormat format = RecordFormat.CSV;
        private boolean anomaliesOnly;
        private boolean closeLines = true;

        private Builder(final SensorRegistry registry, final LogSink lines) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.lines = Objects.requireNonNull(lines, "lines");
        }

        /**
         * @param recordFormat CSV (the default) or JSON lines.
         * @return this.
         */
        public Builder format(final RecordFormat recordFormat) {
            this.format = Objects.requireNonNull(recordFormat, "recordFormat");
            return this;
        }

        /**
         * @param only true to write only the records flagged {@link RecordBatch#FLAG_ANOMALY}.
         * @return this.
         */
        public Builder anomaliesOnly(final boolean only) {
            this.anomaliesOnly = only;
            return this;
        }

        /**
         * @param close true (the default) to close the line sink when the record sink closes.
         * @return this.
         */
        public Builder closeLines(final boolean close) {
            this.closeLines = close;
            return this;
        }

        /** @return the sink, its CSV header already handed to the line sink. */
        public RecordLineSink build() {
            return new RecordLineSink(this);
        }
    }
}
