package dev.pipescope.cli;

import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.log.AsyncLogSink;
import dev.pipescope.log.LogSink;
import dev.pipescope.log.OverflowPolicy;
import dev.pipescope.log.StreamLogSink;
import dev.pipescope.output.RecordFormat;
import dev.pipescope.output.RecordLineSink;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Where {@code run} writes the records that leave the pipeline: {@code --output}, {@code --output-format}, ... */
final class OutputOptions {
    /** The output's ring: record lines are short (under 1 KiB), so 4 MiB holds thousands of them. */
    static final int RING_BYTES = 4 * 1024 * 1024;

    @Option(names = "--output", paramLabel = "FILE|-",
        description = "Write every record that leaves the pipeline to FILE (created or truncated), or to standard"
            + " output with '-' (the event log must then go to --log-file). No record is ever dropped: the"
            + " pipeline waits if the writer falls behind.")
    String output;

    @Option(names = "--output-format", paramLabel = "FORMAT", converter = FormatConverter.class,
        description = "csv (with a header line, the default) or jsonl (one JSON object per line).")
    RecordFormat format;

    @Option(names = "--output-anomalies-only", description = "Write only the records flagged as anomalies.")
    boolean anomaliesOnly;

    /** Reads {@code csv} or {@code jsonl}. */
    static final class FormatConverter implements CommandLine.ITypeConverter<RecordFormat> {
        @Override
        public RecordFormat convert(final String value) {
            try {
                return RecordFormat.parse(value);
            } catch (final IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    boolean enabled() {
        return output != null;
    }

    boolean toStdout() {
        return "-".equals(output);
    }

    RecordFormat format() {
        return format != null ? format : RecordFormat.CSV;
    }

    /**
     * @param logFile the event log's file, or null when the event log goes to standard output.
     * @param input   the input (a file or '-'), or null for the simulator.
     */
    void validate(final Path logFile, final String input) {
        if (output == null) {
            if (format != null || anomaliesOnly) {
                throw new UsageException((format != null ? "--output-format" : "--output-anomalies-only")
                    + " applies to --output, which is not given");
            }
            return;
        }
        if (output.isBlank()) {
            throw new UsageException("--output needs a file name, or '-' for standard output");
        }
        if (toStdout()) {
            if (logFile == null) {
                throw new UsageException("--output - writes the records to standard output, where the event log goes"
                    + " too: send the event log to a file with --log-file FILE");
            }
            return;
        }
        final Path path = Path.of(output);
        if (logFile != null && same(path, logFile)) {
            throw new UsageException("--output and --log-file name the same file (" + output + ")");
        }
        if (input != null && !"-".equals(input) && same(path, Path.of(input))) {
            throw new UsageException("--output names the input file (" + output + "): writing it would destroy it");
        }
    }

    private static boolean same(final Path a, final Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
        } catch (final IOException e) {
            // fall back to comparing the names
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /**
     * Opens the destination and starts its writer thread.
     *
     * @param registry names the records' sensors.
     * @return the open output; the CSV header is already on its way.
     * @throws UsageException when the file cannot be created.
     */
    RecordOutput open(final SensorRegistry registry) {
        final StreamLogSink target;
        if (toStdout()) {
            // not System.out: its PrintStream would hide write errors; the descriptor is left open
            target = StreamLogSink.forStream(new FileOutputStream(FileDescriptor.out), false, false);
        } else {
            try {
                target = StreamLogSink.forChannel(FileChannel.open(Path.of(output), StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), false, true);
            } catch (final NoSuchFileException e) {
                throw new UsageException("cannot create --output " + output + ": no such directory", e);
            } catch (final IOException e) {
                throw new UsageException("cannot create --output " + output + ": " + e.getMessage(), e);
            }
        }
        // WAIT: a record is never dropped; the pipeline waits for the writer instead
        final AsyncLogSink lines = AsyncLogSink.start(target, RING_BYTES, OverflowPolicy.WAIT, true);
        final RecordLineSink records = RecordLineSink.builder(registry, lines).format(format())
            .anomaliesOnly(anomaliesOnly).closeLines(true).build();
        return new RecordOutput(output, records, lines);
    }

    /** An open record output: the line sink, and the async sink under it for its counters. */
    static final class RecordOutput {
        private final String name;
        private final RecordLineSink records;
        private final LogSink lines;
        private boolean closed;

        RecordOutput(final String name, final RecordLineSink records, final LogSink lines) {
            this.name = name;
            this.records = records;
            this.lines = lines;
        }

        String name() {
            return name;
        }

        RecordLineSink records() {
            return records;
        }

        /** Drains every accepted line to the destination, flushes and closes it. Idempotent. */
        void close() {
            if (!closed) {
                closed = true;
                records.close();
            }
        }

        /** @return lines that did not reach the destination: refused by the ring, or failed to write. */
        long linesFailed() {
            return records.recordsDropped() + lines.counters().writeErrors();
        }
    }
}
