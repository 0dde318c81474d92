package dev.pipescope.log;

import org.agrona.DirectBuffer;

/**
 * Where encoded lines go. Implementations must be safe to call from several threads, must copy the bytes
 * before returning (the caller reuses its buffer), and must never throw: a failure is counted in
 * {@link #counters()} and reported, and the pipeline carries on.
 */
public interface LogSink extends AutoCloseable {
    /**
     * Takes one complete line, newline included.
     *
     * @param buffer holds the line.
     * @param offset index of its first byte.
     * @param length its length in bytes.
     * @return true when the line was accepted; false when it was dropped (full, closed or failed), which the
     *     sink has counted.
     */
    boolean write(DirectBuffer buffer, int offset, int length);

    /** Pushes buffered lines to their destination; failures are counted, not thrown. */
    void flush();

    /** @return this sink's counters, readable from any thread without locks. */
    LogSinkCounters counters();

    /** Flushes and releases the destination; later writes are dropped. Never throws. */
    @Override
    void close();
}
