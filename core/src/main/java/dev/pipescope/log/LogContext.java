package dev.pipescope.log;

import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

import java.util.Objects;

/**
 * The shared half of structured logging: one sink, one line format, one clock, and one
 * {@link JsonLogEncoder} per thread. It hands out a {@link StructuredLogger} per component.
 *
 * <p>Each thread gets its encoder on its first log call (that call allocates the encoder and its
 * buffer); later calls find it through a {@link ThreadLocal} lookup, which does not allocate. The context
 * does not own the sink: close the sink yourself (or let {@link AsyncLogSink#closeOnShutdown()} do it).
 */
public final class LogContext {
    private final LogSink sink;
    private final LogFormat format;
    private final EpochClock clock;
    private final ThreadLocal<JsonLogEncoder> encoders;

    /**
     * @param sink   where lines go.
     * @param format line length, profile and non-finite style.
     * @param clock  source of event timestamps (epoch milliseconds).
     */
    public LogContext(final LogSink sink, final LogFormat format, final EpochClock clock) {
        AgronaAccess.check(); // every encoder is an Agrona buffer: say which JVM option is missing, once, here
        this.sink = Objects.requireNonNull(sink, "sink");
        this.format = Objects.requireNonNull(format, "format");
        this.clock = Objects.requireNonNull(clock, "clock");
        encoders = ThreadLocal.withInitial(() -> new JsonLogEncoder(format));
    }

    /**
     * A context with {@link LogFormat#defaults()} and the system clock.
     *
     * @param sink where lines go.
     */
    public LogContext(final LogSink sink) {
        this(sink, LogFormat.defaults(), SystemEpochClock.INSTANCE);
    }

    /**
     * Creates a logger; its component name is escaped and encoded here, once (and shortened with a marker
     * if longer than {@link JsonLogEncoder#maxComponentLength(int)} bytes).
     *
     * @param component the component name, e.g. a stage name.
     * @param threshold the lowest level it emits; changeable later.
     * @return the logger.
     */
    public StructuredLogger logger(final String component, final LogLevel threshold) {
        return new StructuredLogger(this, component, JsonStrings.quotedUtf8(component,
            JsonLogEncoder.maxComponentLength(format.maxLineLength())), threshold);
    }

    /**
     * @param component the component name.
     * @return a logger emitting {@link LogLevel#INFO} and above.
     */
    public StructuredLogger logger(final String component) {
        return logger(component, LogLevel.INFO);
    }

    /** @return the sink. */
    public LogSink sink() {
        return sink;
    }

    /** @return the line format. */
    public LogFormat format() {
        return format;
    }

    /** @return the clock stamping events. */
    public EpochClock clock() {
        return clock;
    }

    /** @return this thread's encoder, created on the thread's first call. */
    JsonLogEncoder encoderForCurrentThread() {
        return encoders.get();
    }
}
