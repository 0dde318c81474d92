package dev.pipescope.jmx;

import dev.pipescope.log.LogLevel;
import dev.pipescope.log.LogSink;
import dev.pipescope.log.StructuredLogger;

import java.util.Arrays;
import java.util.List;

/** Adapter of a {@link LogSink} and its loggers to {@link LogSinkMXBean}. */
final class LogSinkBean implements LogSinkMXBean {
    private final LogSink sink;
    private final List<StructuredLogger> loggers;

    LogSinkBean(final LogSink sink, final List<StructuredLogger> loggers) {
        this.sink = sink;
        this.loggers = List.copyOf(loggers);
    }

    @Override
    public long getEventsWritten() {
        return sink.counters().eventsWritten();
    }

    @Override
    public long getBytesWritten() {
        return sink.counters().bytesWritten();
    }

    @Override
    public long getEventsDropped() {
        return sink.counters().eventsDropped();
    }

    @Override
    public long getLinesTruncated() {
        return sink.counters().linesTruncated();
    }

    @Override
    public long getWriteErrors() {
        return sink.counters().writeErrors();
    }

    @Override
    public String getLevel() {
        return loggers.isEmpty() ? LogLevel.INFO.name() : loggers.get(0).threshold().name();
    }

    @Override
    public void setLevel(final String level) {
        final LogLevel parsed;
        try {
            parsed = LogLevel.valueOf(level == null ? "" : level.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + level + "' is not a log level; allowed: "
                + Arrays.toString(LogLevel.values()));
        }
        for (final StructuredLogger l : loggers) {
            l.threshold(parsed);
        }
    }
}
