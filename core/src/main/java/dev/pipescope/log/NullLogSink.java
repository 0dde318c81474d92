package dev.pipescope.log;

import org.agrona.DirectBuffer;

/**
 * Discards every line but counts it, for benchmarks and allocation tests where I/O would only add noise.
 */
public final class NullLogSink implements LogSink {
    private final LogSinkCounters counters = new LogSinkCounters();

    /** Counts the line as written and discards it. */
    @Override
    public boolean write(final DirectBuffer buffer, final int offset, final int length) {
        counters.recordWritten(1, length);
        return true;
    }

    /** Nothing is buffered. */
    @Override
    public void flush() {
    }

    @Override
    public LogSinkCounters counters() {
        return counters;
    }

    /** Nothing to release; lines written later are still counted. */
    @Override
    public void close() {
    }
}
