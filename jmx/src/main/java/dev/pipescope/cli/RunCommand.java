package dev.pipescope.cli;

import dev.pipescope.Pipescope;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.calibration.CalibrationService;
import dev.pipescope.calibration.SimulatedCalibrationService;
import dev.pipescope.cli.fault.Fault;
import dev.pipescope.cli.fault.FaultSchedule;
import dev.pipescope.events.PipelineEventLog;
import dev.pipescope.health.HealthDashboard;
import dev.pipescope.log.BackgroundErrorHandler;
import dev.pipescope.log.JsonLogEncoder;
import dev.pipescope.log.LogContext;
import dev.pipescope.log.LogLevel;
import dev.pipescope.log.LogSink;
import dev.pipescope.log.StructuredLogger;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.PipelineDefinition;
import dev.pipescope.pipeline.PipelineRunner;
import dev.pipescope.pipeline.RunSummary;
import dev.pipescope.pipeline.StageFailedException;
import dev.pipescope.source.CsvRecordSource;
import dev.pipescope.source.RecordSource;
import dev.pipescope.source.RejectListener;
import dev.pipescope.source.SimulatedSensorSource;
import dev.pipescope.stage.ConfiguredStage;
import dev.pipescope.stage.StageCatalog;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the pipeline on simulated sensors or CSV input until a limit, the end of input, or Ctrl-C /
 * SIGTERM, writing every event as a JSON line.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Run the pipeline on simulated sensors (default) or CSV input, writing JSON event lines."
        + " Without --batches, --duration or --input it runs until interrupted; Ctrl-C or SIGTERM stops it"
        + " cleanly, with every accepted event written and a final run_completed.")
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

    @CommandLine.Mixin
    private final LogOptions logOptions = new LogOptions();

    @Option(names = "--health-every", paramLabel = "N",
        description = "Also report health every N batches (reports are always taken every --health-interval).")
    private Long healthEvery;

    @Option(names = "--health-interval", paramLabel = "D", defaultValue = "1s", converter = DurationConverter.class,
        description = "Time between health reports (default: ${DEFAULT-VALUE}).")
    private Duration healthInterval;

    @Option(names = "--fault", paramLabel = "FAULT",
        description = "Inject a fault, repeatable: calibration:SENSOR@FIRST-LAST (the calibration service fails"
            + " for SENSOR from batch FIRST to LAST) or slow:STAGE[=DELAYms|DELAYus]@FIRST-LAST (the stage takes"
            + " 1 ms, or DELAY, longer per batch, inside its own timing).")
    private List<String> faults = new ArrayList<>();

    @CommandLine.Mixin
    private final JmxOptions jmxOptions = new JmxOptions();

    @CommandLine.Mixin
    private final HttpOptions httpOptions = new HttpOptions();

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        validate();
        final List<Fault> faultList = parseFaults();
        final PipelineDefinition definition = pipelineOptions.definition();
        final SensorRegistry registry = new SensorRegistry(pipelineOptions.sensorCapacity);
        final FaultSchedule faults = faultSchedule(faultList, definition, registry);
        final LogSink sink = logOptions.openSink();
        StageFailedException failed = null;
        try (Pipescope scope = Pipescope.builder(pipelineOptions.name)
                 .registry(registry)
                 .stages(definition)
                 .catalog(pipelineOptions.catalog())
                 .service(CalibrationService.class,
                     faults.calibration(new SimulatedCalibrationService(registry.capacity())))
                 .decorateStages(faults.stageDecorator())
                 .eventLog(new LogContext(sink, logOptions.format(), new SystemEpochClock()), logOptions.level,
                     logOptions.stageLogEvery, logOptions.anomalyLogIntervalMs())
                 .healthInterval(healthInterval)
                 .build()) {
            final Pipeline pipeline = scope.pipeline();
            final HealthDashboard dashboard = scope.health();
            final PipelineEventLog events = scope.eventLog();
            final StructuredLogger pipelineLog = events.pipelineLogger();
            // Named here rather than in the builder: the event log's logger exists only once build() made it.
            // A failing health listener (ours or a JMX client's) is counted and logged as background_error.
            dashboard.errorHandler(BackgroundErrorHandler.logTo(pipelineLog));
            try (RecordSource source = openSource(registry, pipelineLog);
                 JmxOptions.Exposure jmx = jmxOptions.expose(scope, sink);
                 HttpOptions.Exposure http = httpOptions.expose(scope)) {
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
                final long every = healthEvery == null ? 0 : healthEvery;
                runner.hook(batchNumber -> {
                    faults.beforeBatch(batchNumber);
                    if (every > 0 && batchNumber > 1 && (batchNumber - 1) % every == 0) {
                        dashboard.requestReport();
                    }
                });
                logRunStarted(pipelineLog, pipeline, definition, source, faultList, jmx);
                scope.start();

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
                    final RunSummary summary;
                    try {
                        summary = runner.run();
                    } catch (final RuntimeException e) { // not a stage: the source failed, say; Main prints it
                        endRun(dashboard, events);
                        events.runFailed(e, pipeline.totals().batches());
                        throw e;
                    }
                    endRun(dashboard, events);
                    if (summary.failed()) {
                        failed = summary.failure();
                        events.runFailed(failed, summary.batches());
                    } else {
                        logRunCompleted(pipelineLog, summary, sink);
                    }
                } finally {
                    sink.close(); // drains the async ring: every accepted event is written and flushed
                    finished.countDown();
                    removeHook(stopOnSignal);
                }
            }
        } finally {
            sink.close();
        }
        if (failed != null) {
            // the whole story is in the log (run_failed); the terminal gets one line, not a stack trace
            final PrintWriter err = spec.commandLine().getErr();
            err.println("pipescope: error: " + oneLine(failed.getMessage()));
            err.flush();
            return Main.EXIT_FAILURE;
        }
        return Main.EXIT_OK;
    }

    /** After the last batch: a final pipeline_health taken once the reporter stopped, then the anomaly accounting. */
    private static void endRun(final HealthDashboard dashboard, final PipelineEventLog events) {
        dashboard.stop();
        dashboard.report();
        events.finish();
    }

    private static String oneLine(final String message) {
        return message == null ? "" : message.replace('\r', ' ').replace('\n', ' ');
    }

    private List<Fault> parseFaults() {
        try {
            return Fault.parseAll(faults);
        } catch (final IllegalArgumentException e) {
            throw new UsageException("--" + e.getMessage(), e);
        }
    }

    /** A fault naming a stage the pipeline lacks is a usage error (exit 2), like a malformed one. */
    private static FaultSchedule faultSchedule(final List<Fault> faultList, final PipelineDefinition definition,
        final SensorRegistry registry) {
        try {
            return new FaultSchedule(faultList, definition, registry, new SystemNanoClock());
        } catch (final IllegalArgumentException e) {
            throw new UsageException("--" + e.getMessage(), e);
        }
    }

    private void logRunStarted(final StructuredLogger log, final Pipeline pipeline, final PipelineDefinition definition,
        final RecordSource source, final List<Fault> faultList, final JmxOptions.Exposure jmx) {
        final JsonLogEncoder e = log.begin(LogLevel.INFO, "run_started")
            .field("pipeline", pipeline.name())
            .field("source", source.describe())
            .field("batchSize", batchSize)
            .field("config", definition.toText());
        e.beginArray("stages");
        for (final ConfiguredStage s : pipeline.stages()) {
            e.item(s.name());
        }
        e.endArray();
        if (batches != null) {
            e.field("maxBatches", batches);
        }
        if (duration != null) {
            e.field("maxDurationMs", duration.toMillis());
        }
        if (rate != null) {
            e.field("rateBatchesPerSec", rate);
        }
        e.beginArray("faults");
        for (final Fault f : faultList) {
            e.item(f.toString());
        }
        e.endArray();
        e.field("pid", ProcessHandle.current().pid());
        if (jmx.url() != null) {
            e.field("jmxUrl", jmx.url());
        }
        httpOptions.logUrl(e);
        e.end();
    }

    private static void logRunCompleted(final StructuredLogger log, final RunSummary s, final LogSink sink) {
        log.begin(LogLevel.INFO, "run_completed")
            .field("stopReason", s.stopReason())
            .field("batches", s.batches())
            .field("recordsIn", s.recordsIn())
            .field("recordsOut", s.recordsOut())
            .field("rejected", s.rejected())
            .field("alerts", s.alerts())
            .field("degradedRecords", s.degraded())
            .field("elapsedMs", s.elapsedMs(), 3)
            .field("throughputRps", s.throughputRps(), 1)
            .field("logEventsDropped", sink.counters().eventsDropped())
            .end();
    }

    private static void removeHook(final Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (final IllegalStateException shuttingDown) {
            // the JVM is exiting (Ctrl-C, SIGTERM): the hook is running and returns now that we are done
        }
    }

    private void validate() {
        pipelineOptions.validate();
        logOptions.validate();
        jmxOptions.validate();
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
        if (healthEvery != null && healthEvery < 1) {
            throw new UsageException("--health-every must be at least 1, was " + healthEvery);
        }
        if (healthInterval.toMillis() < 10) {
            throw new UsageException("--health-interval must be at least 10ms");
        }
    }

    private RecordSource openSource(final SensorRegistry registry, final StructuredLogger log) throws IOException {
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
        return new CsvRecordSource(in, input, registry, sensorName, new RejectedLineLog(log, input));
    }

    /** Logs {@code record_rejected} with the line's number, reason and (at most 256 chars of) its text. */
    private static final class RejectedLineLog implements RejectListener {
        private static final int MAX_INPUT_CHARS = 256;
        private final StructuredLogger log;
        private final String inputName;
        private final Prefix prefix = new Prefix();

        RejectedLineLog(final StructuredLogger log, final String inputName) {
            this.log = log;
            this.inputName = inputName;
        }

        @Override
        public void rejected(final long line, final CharSequence reason, final CharSequence text) {
            log.begin(LogLevel.WARNING, "record_rejected")
                .field("input", inputName)
                .field("line", line)
                .field("reason", reason)
                .field("text", prefix.of(text, MAX_INPUT_CHARS))
                .field("textTruncated", text.length() > MAX_INPUT_CHARS)
                .end();
        }
    }

    /** The first N chars of a sequence, as a reusable view. */
    private static final class Prefix implements CharSequence {
        private CharSequence target = "";
        private int length;

        Prefix of(final CharSequence s, final int max) {
            target = s;
            length = Math.min(s.length(), max);
            if (length > 0 && length < s.length() && Character.isHighSurrogate(s.charAt(length - 1))) {
                length--; // never split a surrogate pair
            }
            return this;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(final int index) {
            return target.charAt(index);
        }

        @Override
        public CharSequence subSequence(final int start, final int end) {
            return target.subSequence(start, end);
        }

        @Override
        public String toString() {
            return target.subSequence(0, length).toString();
        }
    }
}
