package dev.pipescope.cli;

import dev.pipescope.Pipescope;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.calibration.CalibrationService;
import dev.pipescope.calibration.FileCalibrationService;
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
import dev.pipescope.pipeline.PipelineConfigException;
import dev.pipescope.pipeline.PipelineDefinition;
import dev.pipescope.pipeline.PipelineRunner;
import dev.pipescope.pipeline.RunSummary;
import dev.pipescope.pipeline.StageFailedException;
import dev.pipescope.source.CsvRecordSource;
import dev.pipescope.source.RecordSource;
import dev.pipescope.source.RejectListener;
import dev.pipescope.source.SimulatedSensorSource;
import dev.pipescope.source.TimestampUnit;
import dev.pipescope.stage.ConfiguredStage;
import dev.pipescope.stage.ParameterSpec;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the pipeline on simulated sensors or CSV input until a limit, the end of input, or Ctrl-C /
 * SIGTERM, writing every event as a JSON line and, with {@code --output}, every record that leaves the
 * pipeline.
 *
 * <p>Every run that started ends its event log with a closing event: {@code run_completed}, or
 * {@code run_failed} when a stage threw, the source failed, or the input could not be read at all (binary, a
 * bad header: exit 2). A command line that cannot run (bad options, config, files) logs nothing and exits 2.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Run the pipeline on simulated sensors (default) or CSV input, writing JSON event lines."
        + " Without --batches, --duration or --input it runs until interrupted; Ctrl-C or SIGTERM stops it"
        + " cleanly, with every accepted event and every record written and a final run_completed.")
final class RunCommand implements Callable<Integer> {
    /** {@code --calibration simulated}: the simulator's made-up calibrations, also for --input. */
    static final String SIMULATED_CALIBRATION = "simulated";
    /** A run whose stages drop more than this share of its records warns with {@code records_dropped}. */
    static final double DROP_WARNING_SHARE = 0.05;

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
        description = "Read CSV from FILE, or from standard input with '-', instead of simulating sensors."
            + " The default pipeline then keeps every reading and its value (feature, adaptive).")
    private String input;

    @Option(names = "--timestamp-unit", paramLabel = "s|ms|us|auto", converter = UnitConverter.class,
        description = "What numeric timestamps of --input count since the epoch: seconds, milliseconds,"
            + " microseconds, or auto (the default): decided from the first one by its size (below 10^11 seconds,"
            + " below 10^14 milliseconds, else microseconds). ISO-8601 timestamps need no unit.")
    private TimestampUnit timestampUnit;

    @Option(names = "--calibration", paramLabel = "FILE|simulated",
        description = "Calibrate with the gains and offsets of FILE (CSV sensor,gain,offset; a '*' row for every"
            + " other sensor; read again when it changes), or with the simulator's made-up ones ('simulated')."
            + " Default: simulated for simulated sensors, none with --input (the --input default pipeline then"
            + " has no calibrate stage; with --calibration it calibrates first).")
    private String calibration;

    @CommandLine.Mixin
    private final OutputOptions outputOptions = new OutputOptions();

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

    /** Reads {@code s}, {@code ms}, {@code us} or {@code auto} (and the longer spellings of {@link TimestampUnit#parse}). */
    static final class UnitConverter implements CommandLine.ITypeConverter<TimestampUnit> {
        @Override
        public TimestampUnit convert(final String value) {
            try {
                return TimestampUnit.parse(value);
            } catch (final IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Override
    public Integer call() throws IOException {
        validate();
        final List<Fault> faultList = parseFaults();
        final SensorRegistry registry = new SensorRegistry(pipelineOptions.sensorCapacity);
        final NanoClock nanoClock = new SystemNanoClock();
        final CalibrationService calibrationService = calibrationService(registry, nanoClock);
        final FileCalibrationService calibrationFile = calibrationService instanceof FileCalibrationService
            ? (FileCalibrationService) calibrationService : null;
        // with --input, the default pipeline calibrates only when a calibration was asked for
        final PipelineDefinition definition = pipelineOptions.definition(input != null, calibrationService != null);
        final FaultSchedule faults = faultSchedule(faultList, definition, registry);
        checkCalibrationUse(definition, faultList, calibrationService);
        final LogSink sink = logOptions.openSink();
        final PrintWriter err = spec.commandLine().getErr();
        StageFailedException failed = null;
        OutputOptions.RecordOutput output = null;
        long outputFailures = 0;
        try (Pipescope scope = build(registry, definition, faults, calibrationService, sink)) {
            final Pipeline pipeline = scope.pipeline();
            final HealthDashboard dashboard = scope.health();
            final PipelineEventLog events = scope.eventLog();
            final StructuredLogger pipelineLog = events.pipelineLogger();
            // Named here rather than in the builder: the event log's logger exists only once build() made it.
            // A failing health listener (ours or a JMX client's) is counted and logged as background_error.
            dashboard.errorHandler(BackgroundErrorHandler.logTo(pipelineLog));
            if (calibrationFile != null) {
                calibrationFile.listener(new CalibrationEvents(pipelineLog));
            }
            try (RecordSource source = openSource(registry, pipelineLog);
                 JmxOptions.Exposure jmx = jmxOptions.expose(scope, sink);
                 HttpOptions.Exposure http = httpOptions.expose(scope)) {
                final CsvRecordSource csv = source instanceof CsvRecordSource ? (CsvRecordSource) source : null;
                if (csv != null) {
                    try {
                        csv.open(); // refuses binary input and a bad header; decides an auto timestamp unit
                    } catch (final RuntimeException e) {
                        // the log is never left without a closing event: what was tried, and why it ended
                        logRunStarted(pipelineLog, pipeline, definition, source, faultList, jmx, calibrationService);
                        events.runFailed(e, 0);
                        sink.close();
                        err.println("pipescope: " + oneLine(inputProblem(e)));
                        err.flush();
                        return Main.EXIT_USAGE;
                    }
                }
                if (outputOptions.enabled()) {
                    output = outputOptions.open(registry);
                }
                final PipelineRunner runner = new PipelineRunner(pipeline, source, batchSize);
                if (output != null) {
                    runner.sink(output.records()::accept);
                }
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
                logRunStarted(pipelineLog, pipeline, definition, source, faultList, jmx, calibrationService);
                if (csv != null && csv.isEmptyInput()) {
                    warnEmptyInput(pipelineLog, csv, err);
                }
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
                        closeOutput(output);
                        events.runFailed(e, pipeline.totals().batches());
                        throw e;
                    }
                    endRun(dashboard, events);
                    // every record is in the output before the closing event says how many there are
                    closeOutput(output);
                    if (summary.failed()) {
                        failed = summary.failure();
                        events.runFailed(failed, summary.batches());
                    } else {
                        warnIfDropping(pipelineLog, pipeline, summary, err);
                        outputFailures = output == null ? 0 : output.linesFailed();
                        logRunCompleted(pipelineLog, summary, sink, csv, output);
                    }
                } finally {
                    closeOutput(output);
                    sink.close(); // drains the async ring: every accepted event is written and flushed
                    finished.countDown();
                    removeHook(stopOnSignal);
                }
            }
        } finally {
            closeOutput(output);
            sink.close();
        }
        if (failed != null) {
            // the whole story is in the log (run_failed); the terminal gets one line, not a stack trace
            err.println("pipescope: error: " + oneLine(failed.getMessage()));
            err.flush();
            return Main.EXIT_FAILURE;
        }
        if (outputFailures > 0) {
            err.println("pipescope: error: " + outputFailures + " lines could not be written to --output "
                + output.name() + " (see recordsOutput and outputLinesFailed in run_completed)");
            err.flush();
            return Main.EXIT_FAILURE;
        }
        return Main.EXIT_OK;
    }

    /** Assembles the pipeline; a missing calibration service is a usage error that says how to give one. */
    private Pipescope build(final SensorRegistry registry, final PipelineDefinition definition,
        final FaultSchedule faults, final CalibrationService calibrationService, final LogSink sink) {
        final Pipescope.Builder builder = Pipescope.builder(pipelineOptions.name)
            .registry(registry)
            .stages(definition)
            .catalog(pipelineOptions.catalog())
            .decorateStages(faults.stageDecorator())
            .eventLog(new LogContext(sink, logOptions.format(), new SystemEpochClock()), logOptions.level,
                logOptions.stageLogEvery, logOptions.anomalyLogIntervalMs())
            .healthInterval(healthInterval);
        if (calibrationService != null) {
            builder.service(CalibrationService.class, faults.calibration(calibrationService));
        }
        try {
            return builder.build();
        } catch (final PipelineConfigException e) {
            if (calibrationService == null && e.getMessage().contains(CalibrationService.class.getName())) {
                throw new UsageException(e.getMessage() + "; with --input there is no calibration unless given:"
                    + " --calibration FILE (CSV sensor,gain,offset) for real ones, or --calibration "
                    + SIMULATED_CALIBRATION + " for the simulator's made-up ones", e);
            }
            throw e;
        }
    }

    /**
     * @return the service {@code calibrate} gets: the file's, the simulator's (by default only for simulated
     *     sensors), or null (--input without --calibration).
     */
    private CalibrationService calibrationService(final SensorRegistry registry, final NanoClock clock) {
        if (calibration == null) {
            return input == null ? new SimulatedCalibrationService(registry.capacity()) : null;
        }
        if (SIMULATED_CALIBRATION.equals(calibration)) {
            return new SimulatedCalibrationService(registry.capacity());
        }
        try {
            return FileCalibrationService.load(Path.of(calibration), registry, clock);
        } catch (final IllegalArgumentException e) {
            throw new UsageException("--calibration: " + e.getMessage(), e);
        } catch (final UncheckedIOException e) {
            throw new UsageException("--calibration: " + e.getMessage(), e);
        }
    }

    /** Faults need a service to fail; a calibration nothing asks for is said to be unused. */
    private void checkCalibrationUse(final PipelineDefinition definition, final List<Fault> faultList,
        final CalibrationService service) {
        if (service == null) {
            for (final Fault f : faultList) {
                if (f.kind() == Fault.Kind.CALIBRATION) {
                    throw new UsageException("--fault " + f + " makes the calibration service fail, but with --input"
                        + " there is none: give one with --calibration FILE or --calibration " + SIMULATED_CALIBRATION);
                }
            }
        }
        if (calibration != null && definition.stages().stream().noneMatch(s -> "calibrate".equals(s.type()))) {
            final PrintWriter err = spec.commandLine().getErr();
            err.println("pipescope: warning: --calibration is given but the pipeline has no calibrate stage");
            err.flush();
        }
    }

    /** After the last batch: a final pipeline_health taken once the reporter stopped, then the anomaly accounting. */
    private static void endRun(final HealthDashboard dashboard, final PipelineEventLog events) {
        dashboard.stop();
        dashboard.report();
        events.finish();
    }

    private static void closeOutput(final OutputOptions.RecordOutput output) {
        if (output != null) {
            output.close(); // drains the output's ring, flushes and closes the file; idempotent
        }
    }

    private static String oneLine(final String message) {
        return message == null ? "" : message.replace('\r', ' ').replace('\n', ' ');
    }

    /** The message for an input that cannot be read at all: the source's own, or the I/O error's. */
    private String inputProblem(final RuntimeException e) {
        if (e instanceof UncheckedIOException && e.getCause() != null) {
            return e.getMessage() + ": " + e.getCause().getMessage();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
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
        final RecordSource source, final List<Fault> faultList, final JmxOptions.Exposure jmx,
        final CalibrationService calibrationService) {
        final JsonLogEncoder e = log.begin(LogLevel.INFO, "run_started")
            .field("pipeline", pipeline.name())
            .field("source", source.describe());
        if (source instanceof CsvRecordSource) {
            final CsvRecordSource csv = (CsvRecordSource) source;
            e.field("timestampUnit", csv.timestampUnit().label());
            unitDecided(e, csv);
        }
        e.field("batchSize", batchSize)
            .field("config", definition.toText());
        e.beginArray("stages");
        for (final ConfiguredStage s : pipeline.stages()) {
            e.item(s.name());
        }
        e.endArray();
        if (calibrationService instanceof FileCalibrationService) {
            final FileCalibrationService f = (FileCalibrationService) calibrationService;
            e.field("calibration", f.toString()).field("calibrationSensors", f.entries())
                .field("calibrationAnySensor", f.hasAnySensorRow());
        } else if (calibrationService != null) {
            e.field("calibration", SIMULATED_CALIBRATION);
        } else {
            e.nullField("calibration");
        }
        if (outputOptions.enabled()) {
            e.field("output", outputOptions.output).field("outputFormat", outputOptions.format().label())
                .field("outputAnomaliesOnly", outputOptions.anomaliesOnly);
        }
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

    /** {@code timestampUnitDecided}: the unit numeric timestamps are read in, or null while none was seen. */
    private static void unitDecided(final JsonLogEncoder e, final CsvRecordSource csv) {
        final TimestampUnit decided = csv.timestampUnitDecided();
        if (decided == TimestampUnit.AUTO) {
            e.nullField("timestampUnitDecided");
        } else {
            e.field("timestampUnitDecided", decided.label());
            if (csv.timestampUnitDecidedAtLine() > 0) {
                e.field("timestampUnitDecidedAtLine", csv.timestampUnitDecidedAtLine());
            }
        }
    }

    /** {@code input_empty}: no data line at all. The run goes on (and ends at once) with exit 0. */
    private void warnEmptyInput(final StructuredLogger log, final CsvRecordSource csv, final PrintWriter err) {
        final String message = csv.hasHeader()
            ? "input " + input + " has a header but no data line: nothing to process"
            : "input " + input + " is empty (no header, no data line): nothing to process";
        log.begin(LogLevel.WARNING, "input_empty")
            .field("input", input)
            .field("hasHeader", csv.hasHeader())
            .field("lines", csv.lines())
            .field("blankLines", csv.blankLines())
            .field("message", message)
            .end();
        err.println("pipescope: warning: " + message);
        err.flush();
    }

    /**
     * {@code records_dropped}, once, when the stages dropped more than {@link #DROP_WARNING_SHARE} of the run's
     * records: names the stage that dropped the most, with its parameters (for threshold, its bounds).
     */
    private static void warnIfDropping(final StructuredLogger log, final Pipeline pipeline, final RunSummary s,
        final PrintWriter err) {
        final long dropped = s.recordsDropped();
        if (s.recordsIn() == 0 || dropped <= DROP_WARNING_SHARE * s.recordsIn()) {
            return;
        }
        final String top = s.topDroppingStage();
        final ConfiguredStage stage = top != null ? pipeline.stage(top) : null;
        final long stageDropped = top != null ? s.droppedByStage().get(top) : dropped;
        final double share = (double) stageDropped / s.recordsIn();
        final StringBuilder message = new StringBuilder();
        message.append(stage == null ? "the stages" : "stage '" + top + "' (" + describe(stage) + ")")
            .append(" dropped ").append(stageDropped).append(" of ").append(s.recordsIn())
            .append(String.format(Locale.ROOT, " records (%.1f%%)", 100 * share));
        if (stage != null && "threshold".equals(stage.type().name())) {
            message.append(": readings outside [").append(stage.spec("minVal").format(stage.parameter("minVal")))
                .append(", ").append(stage.spec("maxVal").format(stage.parameter("maxVal")))
                .append("] are dropped; set minVal and maxVal to your data's range in --config, or leave threshold out");
        } else if (stage != null) {
            message.append("; check its parameters in --config");
        }
        final JsonLogEncoder e = log.begin(LogLevel.WARNING, "records_dropped");
        if (stage != null) {
            e.field("stage", top).field("type", stage.type().name());
        } else {
            e.nullField("stage");
        }
        e.field("dropped", stageDropped)
            .field("droppedTotal", dropped)
            .field("recordsIn", s.recordsIn())
            .field("share", share, 4);
        if (stage != null) {
            e.beginObject("parameters");
            for (final ParameterSpec p : stage.type().parameters()) {
                final double value = stage.parameter(p.name());
                if (p.kind() == ParameterSpec.Kind.BOOLEAN) {
                    e.field(p.name(), value != 0);
                } else if (p.kind() == ParameterSpec.Kind.DOUBLE) {
                    e.field(p.name(), value);
                } else {
                    e.field(p.name(), (long) value);
                }
            }
            e.endObject();
        }
        e.field("message", message).end();
        err.println("pipescope: warning: " + message);
        err.flush();
    }

    /** {@code threshold minVal=20.0 maxVal=80.0}: a stage's type and current parameters. */
    private static String describe(final ConfiguredStage stage) {
        final StringBuilder text = new StringBuilder(stage.type().name());
        for (final ParameterSpec p : stage.type().parameters()) {
            text.append(' ').append(p.name()).append('=').append(p.format(stage.parameter(p.name())));
        }
        return text.toString();
    }

    private static void logRunCompleted(final StructuredLogger log, final RunSummary s, final LogSink sink,
        final CsvRecordSource csv, final OutputOptions.RecordOutput output) {
        final JsonLogEncoder e = log.begin(LogLevel.INFO, "run_completed")
            .field("stopReason", s.stopReason())
            .field("batches", s.batches())
            .field("recordsIn", s.recordsIn())
            .field("recordsOut", s.recordsOut())
            .field("rejected", s.rejected())
            .field("blankLines", s.blankLines())
            .field("alerts", s.alerts())
            .field("degradedRecords", s.degraded());
        e.beginObject("dropped");
        for (final Map.Entry<String, Long> d : s.droppedByStage().entrySet()) {
            e.field(d.getKey(), d.getValue().longValue());
        }
        e.endObject();
        if (output != null) {
            e.field("recordsOutput", output.records().recordsWritten())
                .field("outputLinesFailed", output.linesFailed());
        } else {
            e.nullField("recordsOutput");
        }
        if (csv != null) {
            unitDecided(e, csv);
        }
        e.field("elapsedMs", s.elapsedMs(), 3)
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
        outputOptions.validate(logOptions.logFile, input);
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
        if (timestampUnit != null && input == null) {
            throw new UsageException("--timestamp-unit applies to --input, which is not given");
        }
        if (calibration != null && calibration.isBlank()) {
            throw new UsageException("--calibration needs a file name, or '" + SIMULATED_CALIBRATION + "'");
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
            if (Files.isDirectory(path)) {
                throw new UsageException("input " + input + " is a directory, not a CSV file");
            }
            try {
                in = Files.newInputStream(path);
            } catch (final NoSuchFileException e) {
                throw new UsageException("input file not found: " + input);
            }
            final String file = path.getFileName().toString();
            final int dot = file.lastIndexOf('.');
            sensorName = dot > 0 ? file.substring(0, dot) : file;
        }
        return CsvRecordSource.builder(input, registry)
            .singleSensorName(sensorName)
            .timestampUnit(timestampUnit != null ? timestampUnit : TimestampUnit.AUTO)
            .rejectListener(new RejectedLineLog(log, input))
            .build(in);
    }

    /**
     * Logs what the calibration file's checks find, on the processing thread (where the checks run):
     * {@code calibration_reloaded}, {@code calibration_reload_failed}, {@code calibration_missing}.
     */
    private static final class CalibrationEvents implements FileCalibrationService.Listener {
        private final StructuredLogger log;

        CalibrationEvents(final StructuredLogger log) {
            this.log = log;
        }

        @Override
        public void reloaded(final Path file, final int sensors, final boolean anySensor, final int version) {
            log.begin(LogLevel.INFO, "calibration_reloaded")
                .field("file", file.toString())
                .field("sensors", sensors)
                .field("anySensor", anySensor)
                .field("version", version)
                .end();
        }

        @Override
        public void reloadFailed(final Path file, final String reason) {
            log.begin(LogLevel.WARNING, "calibration_reload_failed")
                .field("file", file.toString())
                .field("error", reason)
                .field("message", "the calibration file changed but cannot be used: the calibrations in use are kept")
                .end();
        }

        @Override
        public void missing(final Path file, final String sensor) {
            log.begin(LogLevel.WARNING, "calibration_missing")
                .field("file", file.toString())
                .field("sensor", sensor)
                .field("message", "no calibration for sensor '" + sensor + "' in " + file + ": its readings pass"
                    + " uncalibrated, flagged DEGRADED; add a row for it, or a '*' row for every sensor not listed")
                .end();
        }
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
