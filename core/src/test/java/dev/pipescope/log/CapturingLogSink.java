package dev.pipescope.log;

import org.agrona.DirectBuffer;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test sink that keeps every line as a String (so it allocates: not for allocation tests). */
public final class CapturingLogSink implements LogSink {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final LogSinkCounters counters = new LogSinkCounters();

    @Override
    public boolean write(final DirectBuffer buffer, final int offset, final int length) {
        lines.add(buffer.getStringWithoutLengthUtf8(offset, length));
        counters.recordWritten(1, length);
        return true;
    }

    /** @return the lines written so far, newline included, in order. */
    public List<String> lines() {
        return lines;
    }

    @Override
    public void flush() {
    }

    @Override
    public LogSinkCounters counters() {
        return counters;
    }

    @Override
    public void close() {
    }
}
