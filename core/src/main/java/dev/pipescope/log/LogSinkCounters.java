package dev.pipescope.log;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Live counters of a {@link LogSink}: lock-free to update from any thread and to read from any thread
 * (e.g. the health timer or a JMX adapter). Each read is a volatile load; {@link #snapshot()} copies them
 * all for reporting, without making them mutually consistent.
 */
public final class LogSinkCounters {
    private final AtomicLong eventsWritten = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong eventsDropped = new AtomicLong();
    private final AtomicLong linesTruncated = new AtomicLong();
    private final AtomicLong writeErrors = new AtomicLong();

    /** @return lines that reached the destination (or, for an async sink, its delegate). */
    public long eventsWritten() {
        return eventsWritten.get();
    }

    /** @return bytes of those lines. */
    public long bytesWritten() {
        return bytesWritten.get();
    }

    /** @return lines refused (buffer full, sink closed, line too long) or lost in a failed write. */
    public long eventsDropped() {
        return eventsDropped.get();
    }

    /** @return lines that were cut or lost fields to the line length limit before reaching the sink. */
    public long linesTruncated() {
        return linesTruncated.get();
    }

    /** @return failed write or flush operations (I/O errors, closed streams, a throwing delegate). */
    public long writeErrors() {
        return writeErrors.get();
    }

    /**
     * Counts lines that reached the destination.
     *
     * @param lines how many lines.
     * @param bytes their total length.
     */
    public void recordWritten(final long lines, final long bytes) {
        eventsWritten.getAndAdd(lines);
        bytesWritten.getAndAdd(bytes);
    }

    /** Counts one dropped line. */
    public void recordDropped() {
        eventsDropped.getAndIncrement();
    }

    /**
     * Counts dropped lines.
     *
     * @param lines how many lines.
     */
    public void recordDropped(final long lines) {
        eventsDropped.getAndAdd(lines);
    }

    /** Counts one line that lost content to the length limit. */
    public void recordTruncated() {
        linesTruncated.getAndIncrement();
    }

    /** Counts one failed write or flush. */
    public void recordWriteError() {
        writeErrors.getAndIncrement();
    }

    /** @return a copy of all counters, for reports; allocates, so keep it off the hot path. */
    public Snapshot snapshot() {
        return new Snapshot(eventsWritten(), bytesWritten(), eventsDropped(), linesTruncated(), writeErrors());
    }

    /**
     * The counters at one moment.
     *
     * @param eventsWritten  lines written.
     * @param bytesWritten   bytes written.
     * @param eventsDropped  lines dropped.
     * @param linesTruncated lines truncated.
     * @param writeErrors    failed operations.
     */
    public record Snapshot(
        long eventsWritten, long bytesWritten, long eventsDropped, long linesTruncated, long writeErrors) {
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
