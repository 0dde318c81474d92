package dev.pipescope.cli;

import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.calibration.SimulatedCalibrationService;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.PipelineRunner;
import dev.pipescope.pipeline.RunSummary;
import dev.pipescope.source.CsvRecordSource;
import dev.pipescope.source.RecordSource;
import dev.pipescope.source.SimulatedSensorSource;
import dev.pipescope.stage.StageCatalog;
import dev.pipescope.stage.StageContext;
import org.agrona.concurrent.SystemEpochClock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** Runs the pipeline on simulated sensors or CSV input until a limit, the end of input, or Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Run the pipeline on simulated sensors (default) or CSV input. Without --batches,"
        + " --duration or --input it runs until interrupted; Ctrl-C stops it cleanly with a summary.")
final class RunCommand implements Callable<Integer> {
    @CommandLine.Mixin
    private final PipelineOptions pipelineOptions = new PipelineOptions();

    @Option(names = "--batches", paramLabel = "N", description = "Stop after N batches.")
    private Long batches;

    @Option(names = "--duration", paramLabel = "D", converter = DurationConverter.class,
        description = "Stop after D (500ms, 30s, 5m, 1h).")
    private Duration duration;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "1024",
        description = "Records per batch (default: ${DEFAULT-VALUE}).")
    private int batchSize;

    @Option(names = "--sensors", paramLabel = "N", defaultValue = "10",
        description = "Simulated sensors S0..S(N-1) (default: ${DEFAULT-VALUE}).")
    private int sensors;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
        description = "Seed of the simulated source (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--spike-probability", paramLabel = "P", defaultValue = "0.005",
        description = "Chance that a simulated reading is a spike (default: ${DEFAULT-VALUE}).")
    private double spikeProbability;

    @Option(names = "--rate", paramLabel = "N", description = "At most N batches per second.")
    private Double rate;

    @Option(names = "--input", paramLabel = "FILE|-",
        description = "Read CSV from FILE, or from standard input with '-', instead of simulating sensors.")
    private String input;

    @Option(names = "--log-file", paramLabel = "FILE", description = "Write output here instead of standard output.")
    private Path logFile;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        validate();
        final StageCatalog catalog = StageCatalog.discover();
        final SensorRegistry registry = new SensorRegistry(pipelineOptions.sensorCapacity);
        final SimulatedCalibrationService calibration = new SimulatedCalibrationService(registry.capacity());
        final StageContext context = StageContext.system(pipelineOptions.name, registry, calibration);
        final PrintStream err = new PrintStream(new FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
        try (Pipeline pipeline = Pipeline.assemble(pipelineOptions.name, pipelineOptions.definition(), catalog, context);
             RecordSource source = openSource(registry, err);
             PrintStream out = openOutput()) {
            final PipelineRunner runner = new PipelineRunner(pipeline, source, batchSize);
            if (batches != null) {
                runner.maxBatches(batches);
            }
            if (duration != null) {
                runner.maxDurationNanos(duration.toNanos());
            }
            if (rate != null) {
                runner.rate(rate);
            }
            final CountDownLatch finished = new CountDownLatch(1);
            final Thread stopOnSignal = new Thread(() -> {
                runner.stop();
                try {
                    finished.await();
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "pipescope-shutdown");
            Runtime.getRuntime().addShutdownHook(stopOnSignal);
            try {
                final RunSummary summary = runner.run();
                out.print(summaryText(pipeline, source, summary));
                out.flush();
            } finally {
                finished.countDown();
                removeHook(stopOnSignal);
            }
        }
        return Main.EXIT_OK;
    }

    private static void removeHook(final Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (final IllegalStateException shuttingDown) {
            // the JVM is exiting (Ctrl-C): the hook is running and will return now that we are done
        }
    }

    private void validate() {
        pipelineOptions.validate();
        if (batches != null && batches < 1) {
            throw new UsageException("--batches must be at least 1, was " + batches);
        }
        if (batchSize < 1 || batchSize > 1 << 24) {
            throw new UsageException("--batch-size must be between 1 and " + (1 << 24) + ", was " + batchSize);
        }
        if (sensors < 1 || sensors > pipelineOptions.sensorCapacity) {
            throw new UsageException("--sensors must be between 1 and --sensor-capacity ("
                + pipelineOptions.sensorCapacity + "), was " + sensors);
        }
        if (rate != null && !(rate > 0 && rate <= 1e6)) {
            throw new UsageException("--rate must be a number of batches per second in (0, 1000000], was " + rate);
        }
        if (!(spikeProbability >= 0 && spikeProbability <= 1)) {
            throw new UsageException("--spike-probability must be in [0, 1], was " + spikeProbability);
        }
    }

    private RecordSource openSource(final SensorRegistry registry, final PrintStream err) throws IOException {
        if (input == null) {
            return new SimulatedSensorSource(registry, sensors, seed, spikeProbability, new SystemEpochClock());
        }
        final InputStream in;
        final String sensorName;
        if ("-".equals(input)) {
            in = System.in;
            sensorName = "stdin";
        } else {
            final Path path = Path.of(input);
            try {
                in = Files.newInputStream(path);
            } catch (final NoSuchFileException e) {
                throw new UsageException("input file not found: " + input);
            }
            final String file = path.getFileName().toString();
            final int dot = file.lastIndexOf('.');
            sensorName = dot > 0 ? file.substring(0, dot) : file;
        }
        return new CsvRecordSource(in, input, registry, sensorName,
            (line, reason, text) -> err.println("pipescope: " + input + ":" + line + ": rejected: " + reason
                + ": " + truncate(text)));
    }

    private static String truncate(final CharSequence text) {
        return text.length() <= 200 ? text.toString() : text.subSequence(0, 200) + "...";
    }

    private PrintStream openOutput() throws FileNotFoundException {
        if (logFile == null) {
            return new PrintStream(new FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8) {
                @Override
                public void close() {
                    flush();
                }
            };
        }
        final OutputStream file = new FileOutputStream(logFile.toFile(), true);
        return new PrintStream(file, false, StandardCharsets.UTF_8);
    }

    private static String summaryText(final Pipeline pipeline, final RecordSource source, final RunSummary s) {
        return String.format(Locale.ROOT,
            "run completed (%s): %s%n  batches:    %d%n  records in: %d%n  records out: %d%n  rejected:   %d%n"
                + "  alerts:     %d%n  elapsed:    %.1f ms%n  throughput: %.0f records/s%n",
            s.stopReason(), source.describe(), s.batches(), s.recordsIn(), s.recordsOut(), s.rejected(), s.alerts(),
            s.elapsedMs(), s.throughputRps());
    }
}
