package dev.pipescope.log;

import java.util.Objects;

/**
 * Logs JSON events for one component, with a level threshold that can be changed at runtime (e.g. over
 * JMX). Created by {@link LogContext#logger(String, LogLevel)}.
 *
 * <p>Hot-path use, allocation-free after the thread's first event:
 * <pre>{@code
 * if (log.isEnabled(LogLevel.INFO)) {
 *     log.begin(LogLevel.INFO, "stage_completed")
 *        .field("recordsIn", n)
 *        .field("elapsedMs", ms)
 *        .fieldJson("sensor", registry.jsonName(id))
 *        .end();
 * }
 * }</pre>
 * {@link #begin} returns the calling thread's own encoder, so threads never share a line; {@code end()}
 * hands the line to the sink. The {@code isEnabled} guard is optional ({@code begin} on a disabled level
 * returns an encoder that ignores everything) but skips computing field values. Nothing here throws into
 * the caller because of the sink: failures are counted in the sink's {@link LogSinkCounters}.
 *
 * <p>One rule: finish a line ({@code end()}) before beginning another on the same thread; a second
 * {@code begin} abandons the unfinished line.
 */
public final class StructuredLogger {
    private final LogContext context;
    private final String component;
    private final byte[] componentJson;
    private volatile LogLevel threshold;

    StructuredLogger(final LogContext context, final String component, final byte[] componentJson, final LogLevel threshold) {
        this.context = context;
        this.component = component;
        this.componentJson = componentJson;
        this.threshold = Objects.requireNonNull(threshold, "threshold");
    }

    /** @return the component name. */
    public String component() {
        return component;
    }

    /** @return the lowest level currently emitted. */
    public LogLevel threshold() {
        return threshold;
    }

    /**
     * Changes the lowest level emitted; visible to every thread's next check.
     *
     * @param level the new threshold.
     */
    public void threshold(final LogLevel level) {
        threshold = Objects.requireNonNull(level, "level");
    }

    /**
     * @param level a level.
     * @return true when events at {@code level} are emitted; one volatile read.
     */
    public boolean isEnabled(final LogLevel level) {
        return level != null && level.isAtLeast(threshold);
    }

    /**
     * Starts an event on this thread's encoder, stamped with the context's clock.
     *
     * @param level the event's level.
     * @param event the event name, e.g. {@code stage_completed}.
     * @return the encoder to add fields to and {@code end()}; a do-nothing encoder when the level is
     *     disabled.
     */
    public JsonLogEncoder begin(final LogLevel level, final CharSequence event) {
        if (!isEnabled(level)) {
            return JsonLogEncoder.DISABLED;
        }
        final JsonLogEncoder encoder = context.encoderForCurrentThread();
        encoder.begin(context.clock().time(), level, componentJson, event);
        encoder.deliverTo(context.sink());
        return encoder;
    }

    /**
     * Logs an event without fields.
     *
     * @param level the event's level.
     * @param event the event name.
     */
    public void log(final LogLevel level, final CharSequence event) {
        begin(level, event).end();
    }
}
