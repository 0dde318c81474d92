package dev.pipescope.cli;

import dev.pipescope.log.AsyncLogSink;
import dev.pipescope.log.LogFormat;
import dev.pipescope.log.LogLevel;
import dev.pipescope.log.LogProfile;
import dev.pipescope.log.LogSink;
import dev.pipescope.log.OverflowPolicy;
import dev.pipescope.log.StreamLogSink;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** Where and how {@code run} writes its JSON event lines. */
final class LogOptions {
    @Option(names = "--log-file", paramLabel = "FILE",
        description = "Append the JSON event lines to FILE instead of standard output.")
    Path logFile;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "INFO",
        description = "Lowest level logged: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    LogLevel level;

    @Option(names = "--stage-log-every", paramLabel = "N", defaultValue = "1000",
        description = "Log stage_completed for every Nth batch of each stage (default: ${DEFAULT-VALUE}; 1 logs every batch).")
    long stageLogEvery;

    @Option(names = "--anomaly-log-interval", paramLabel = "D", defaultValue = "1s",
        converter = DurationConverter.ZeroAllowed.class,
        description = "At most one anomaly_detected per sensor per D of reading time (the readings' own timestamps);"
            + " the rest are counted as suppressed, and a final anomalies_suppressed reports what is left"
            + " (default: ${DEFAULT-VALUE}; 0 logs every anomaly).")
    java.time.Duration anomalyLogInterval;

    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    @Option(names = "--log-profile", paramLabel = "PROFILE", defaultValue = "default",
        converter = ProfileConverter.class,
        description = "Field names: default (timestamp, level, component, event) or ecs (Elastic Common Schema).")
    LogProfile profile;

    @Option(names = "--log-buffer", paramLabel = "BYTES", defaultValue = "4194304",
        description = "Ring buffer of the asynchronous log, a power of two (default: ${DEFAULT-VALUE}).")
    int ringBytes;

    @Option(names = "--log-wait", description = "When the asynchronous log's buffer is full, make the pipeline"
        + " wait instead of dropping (and counting) the event.")
    boolean waitWhenFull;

    /** --async-log / --sync-log. */
    static final class Mode {
        @Option(names = "--async-log", description = "Hand lines to a writer thread through a ring buffer (the default).")
        boolean async;

        @Option(names = "--sync-log", description = "Write lines on the calling thread.")
        boolean sync;

        boolean isAsync() {
            return !sync;
        }
    }

    /** Reads {@code default} or {@code ecs}. */
    static final class ProfileConverter implements picocli.CommandLine.ITypeConverter<LogProfile> {
        @Override
        public LogProfile convert(final String value) {
            switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "default": return LogProfile.DEFAULT;
                case "ecs": return LogProfile.ECS;
                default: throw new picocli.CommandLine.TypeConversionException(
                    "'" + value + "' is not a log profile; use default or ecs");
            }
        }
    }

    void validate() {
        if (stageLogEvery < 1) {
            throw new UsageException("--stage-log-every must be at least 1, was " + stageLogEvery);
        }
        if (ringBytes < 1024 || Integer.bitCount(ringBytes) != 1) {
            throw new UsageException("--log-buffer must be a power of two of at least 1024, was " + ringBytes);
        }
    }

    /** @return the anomaly limit in milliseconds of reading time; 0 logs every anomaly. */
    long anomalyLogIntervalMs() {
        return anomalyLogInterval.toMillis();
    }

    LogFormat format() {
        return LogFormat.defaults().withProfile(profile);
    }

    LogSink openSink() throws IOException {
        final boolean async = mode.isAsync();
        // synchronous lines are flushed one by one; the async writer flushes after each drained run of lines
        final StreamLogSink target = logFile != null
            ? StreamLogSink.appendingTo(logFile, !async)
            : async ? StreamLogSink.forStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, false)
            : StreamLogSink.stdout();
        if (!async) {
            return target;
        }
        return AsyncLogSink.start(target, ringBytes, waitWhenFull ? OverflowPolicy.WAIT : OverflowPolicy.DROP, true);
    }
}
