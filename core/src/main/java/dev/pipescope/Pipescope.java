package dev.pipescope;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.events.PipelineEventLog;
import dev.pipescope.health.HealthDashboard;
import dev.pipescope.health.HealthReport;
import dev.pipescope.jfr.FlightRecorderEvents;
import dev.pipescope.log.AgronaAccess;
import dev.pipescope.log.BackgroundErrorHandler;
import dev.pipescope.log.LogContext;
import dev.pipescope.log.LogLevel;
import dev.pipescope.log.LogSink;
import dev.pipescope.metrics.StageCounters;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.PipelineDefinition;
import dev.pipescope.stage.StageCatalog;
import dev.pipescope.stage.StageContext;
import dev.pipescope.stage.StageDecorator;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A pipeline with its observability wired in one expression: the stages, the JSON event log, the health
 * dashboard and Java Flight Recorder events, each attaching itself to the pipeline without knowing about
 * the others.
 *
 * <pre>{@code
 * try (Pipescope scope = Pipescope.builder("sensors")
 *         .stages(PipelineDefinition.parse("normalize minVal=0 maxVal=100\nfeature\nanomaly", "example"))
 *         .eventLog(StreamLogSink.stdout())
 *         .start()) {
 *     int s1 = scope.registry().register("S1");
 *     RecordBatch batch = new RecordBatch(1024);
 *     ...
 *     scope.pipeline().process(batch);
 * }
 * }</pre>
 *
 * Closing stops the dashboard, ends the event log's anomaly accounting and closes the pipeline; the log
 * sink stays open (it is the caller's).
 */
public final class Pipescope implements AutoCloseable {
    private final Pipeline pipeline;
    private final HealthDashboard dashboard;
    private final PipelineEventLog eventLog;
    private final FlightRecorderEvents flightRecorder;
    private boolean closed;

    private Pipescope(final Pipeline pipeline, final HealthDashboard dashboard, final PipelineEventLog eventLog,
        final FlightRecorderEvents flightRecorder) {
        this.pipeline = pipeline;
        this.dashboard = dashboard;
        this.eventLog = eventLog;
        this.flightRecorder = flightRecorder;
    }

    /**
     * @param pipelineName the pipeline's name in events, reports and JMX.
     * @return a builder.
     */
    public static Builder builder(final String pipelineName) {
        AgronaAccess.check(); // before the builder's fields load any class that touches Agrona
        return new Builder(pipelineName);
    }

    /** @return the pipeline; {@code pipeline().process(batch)} on one thread. */
    public Pipeline pipeline() {
        return pipeline;
    }

    /** @return the registry that gives sensor ids: a batch's sensor column holds ids from it. */
    public SensorRegistry registry() {
        return pipeline.context().registry();
    }

    /** @return the health dashboard. */
    public HealthDashboard health() {
        return dashboard;
    }

    /** @return the event log, or null when none was configured. */
    public PipelineEventLog eventLog() {
        return eventLog;
    }

    /** @return the Flight Recorder events, or null when turned off. */
    public FlightRecorderEvents flightRecorder() {
        return flightRecorder;
    }

    /**
     * Processes one batch (same as {@code pipeline().process(batch)}).
     *
     * @param batch the records; on return, what the last stage kept.
     */
    public void process(final RecordBatch batch) {
        pipeline.process(batch);
    }

    /**
     * @param stageName a stage's name.
     * @return its totals (batches, records in and out, busy time, allocated bytes), read consistently.
     */
    public StageCounters stageTotals(final String stageName) {
        return pipeline.metrics(stageName).totals();
    }

    /** @return a report taken now (call when the reporter is not started, or after {@link #close()}). */
    public HealthReport reportNow() {
        return dashboard.report();
    }

    /**
     * Starts the health reporter (a report every interval on its own thread).
     *
     * @return this.
     */
    public Pipescope start() {
        dashboard.start();
        return this;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        dashboard.close();
        if (eventLog != null) {
            eventLog.finish();
        }
        pipeline.close();
    }

    /** Builds a {@link Pipescope}; not thread-safe, used once. */
    public static final class Builder {
        private final String name;
        private SensorRegistry registry;
        private int sensorCapacity = 4096;
        private PipelineDefinition definition;
        private StageCatalog catalog;
        private StageDecorator decorator = StageDecorator.NONE;
        private NanoClock nanoClock = new SystemNanoClock();
        private EpochClock epochClock = new SystemEpochClock();
        private final Map<Class<?>, Object> serviceEntries = new LinkedHashMap<>();
        private LogContext log;
        private LogLevel level = LogLevel.INFO;
        private long stageLogEvery = 1000;
        private long anomalyLogIntervalMs = 1000;
        private Duration healthInterval = Duration.ofSeconds(1);
        private boolean flightRecorderEvents = true;
        private ErrorHandler errorHandler;

        private Builder(final String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** @param sensorRegistry gives the sensor ids (default: a new one of {@code sensorCapacity}). @return this. */
        public Builder registry(final SensorRegistry sensorRegistry) {
            registry = Objects.requireNonNull(sensorRegistry, "registry");
            return this;
        }

        /** @param capacity most distinct sensors, when no registry is given (default 4096). @return this. */
        public Builder sensorCapacity(final int capacity) {
            sensorCapacity = capacity;
            return this;
        }

        /** @param stages the stages, in order (required). @return this. */
        public Builder stages(final PipelineDefinition stages) {
            definition = Objects.requireNonNull(stages, "stages");
            return this;
        }

        /** @param stageCatalog where stage types are found (default: {@link StageCatalog#discover()}). @return this. */
        public Builder catalog(final StageCatalog stageCatalog) {
            catalog = Objects.requireNonNull(stageCatalog, "catalog");
            return this;
        }

        /**
         * Provides a service a stage asks for (e.g. a {@code CalibrationService} for {@code calibrate}).
         *
         * @param type    the type stages ask for.
         * @param service the implementation.
         * @param <T>     the type.
         * @return this.
         */
        public <T> Builder service(final Class<T> type, final T service) {
            serviceEntries.put(Objects.requireNonNull(type, "type"), type.cast(Objects.requireNonNull(service, "service")));
            return this;
        }

        /** @param nano monotonic clock. @param epoch wall clock. @return this. */
        public Builder clocks(final NanoClock nano, final EpochClock epoch) {
            nanoClock = Objects.requireNonNull(nano, "nano");
            epochClock = Objects.requireNonNull(epoch, "epoch");
            return this;
        }

        /** @param stageDecorator what runs in each stage's place (default: the stage itself). @return this. */
        public Builder decorateStages(final StageDecorator stageDecorator) {
            decorator = Objects.requireNonNull(stageDecorator, "decorator");
            return this;
        }

        /**
         * Logs the event catalogue to a sink as JSON lines at INFO, {@code stage_completed} every 1000th
         * batch and at most one {@code anomaly_detected} per sensor per second of reading time.
         *
         * @param sink where lines go (stays the caller's: it is not closed by {@link Pipescope#close()}).
         * @return this.
         */
        public Builder eventLog(final LogSink sink) {
            return eventLog(new LogContext(sink), LogLevel.INFO, 1000, 1000);
        }

        /**
         * @param context           the log context (sink, format, clock).
         * @param threshold         the lowest level logged.
         * @param everyNthBatch     {@code stage_completed} for every Nth batch.
         * @param anomalyIntervalMs at most one {@code anomaly_detected} per sensor per this much reading time
         *                          (0: every flagged reading).
         * @return this.
         */
        public Builder eventLog(final LogContext context, final LogLevel threshold, final long everyNthBatch,
            final long anomalyIntervalMs) {
            log = Objects.requireNonNull(context, "context");
            level = Objects.requireNonNull(threshold, "threshold");
            stageLogEvery = everyNthBatch;
            anomalyLogIntervalMs = anomalyIntervalMs;
            return this;
        }

        /** @param interval time between health reports once started (default 1 s). @return this. */
        public Builder healthInterval(final Duration interval) {
            healthInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** @param on emit Java Flight Recorder events (default true; free when no recording runs). @return this. */
        public Builder flightRecorder(final boolean on) {
            flightRecorderEvents = on;
            return this;
        }

        /**
         * @param handler where background errors go (default: {@code background_error} events in the event
         *                log, or standard error without one).
         * @return this.
         */
        public Builder errorHandler(final ErrorHandler handler) {
            errorHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Assembles the pipeline and attaches the event log, the dashboard and Flight Recorder events.
         *
         * @return the wired pipeline; its reporter is not started yet ({@link Pipescope#start()}).
         * @throws dev.pipescope.pipeline.PipelineConfigException when the stages are invalid or a stage's
         *                                                         service is missing.
         */
        public Pipescope build() {
            if (definition == null) {
                throw new IllegalStateException("no stages: call stages(PipelineDefinition) before build()");
            }
            final SensorRegistry sensors = registry != null ? registry : new SensorRegistry(sensorCapacity);
            final StageContext.Builder context = StageContext.builder(name, sensors).clocks(nanoClock, epochClock);
            for (final Map.Entry<Class<?>, Object> e : serviceEntries.entrySet()) {
                putService(context, e.getKey(), e.getValue());
            }
            final Pipeline pipeline = Pipeline.assemble(name, definition,
                catalog != null ? catalog : StageCatalog.discover(), context.build(), decorator);
            final HealthDashboard dashboard = new HealthDashboard(pipeline, healthInterval.toNanos());
            PipelineEventLog events = null;
            if (log != null) {
                events = new PipelineEventLog(pipeline, log, level, stageLogEvery, anomalyLogIntervalMs)
                    .attach(pipeline, dashboard);
            }
            dashboard.errorHandler(errorHandler != null ? errorHandler
                : events != null ? BackgroundErrorHandler.logTo(events.pipelineLogger())
                : BackgroundErrorHandler.standardError());
            final FlightRecorderEvents jfr = flightRecorderEvents
                ? new FlightRecorderEvents(pipeline).attach(pipeline, dashboard) : null;
            return new Pipescope(pipeline, dashboard, events, jfr);
        }

        /**
         * Builds and starts the reporter.
         *
         * @return the started pipeline.
         */
        public Pipescope start() {
            return build().start();
        }

        @SuppressWarnings("unchecked")
        private static <T> void putService(final StageContext.Builder context, final Class<T> type, final Object service) {
            context.service(type, (T) service);
        }
    }
}
