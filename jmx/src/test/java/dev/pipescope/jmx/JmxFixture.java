package dev.pipescope.jmx;

import dev.pipescope.Pipescope;
import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.calibration.CalibrationService;
import dev.pipescope.calibration.SimulatedCalibrationService;
import dev.pipescope.cli.fault.Fault;
import dev.pipescope.cli.fault.FaultSchedule;
import dev.pipescope.events.PipelineEventLog;
import dev.pipescope.health.HealthDashboard;
import dev.pipescope.log.CapturingLogSink;
import dev.pipescope.log.LogContext;
import dev.pipescope.log.LogLevel;
import dev.pipescope.log.LogSink;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.PipelineDefinition;
import dev.pipescope.source.SimulatedSensorSource;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;

import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServerFactory;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import java.time.Duration;
import java.util.List;

/**
 * A running pipeline wired as the program wires it ({@link Pipescope}, the program's fault schedule), with its
 * MBeans on a private MBean server, served by a real RMI connector on loopback, and a client connected to
 * it: what JConsole sees, in a test. Health reports are taken by the test ({@code dashboard.report()}); the
 * reporter thread is not started.
 */
final class JmxFixture implements AutoCloseable {
    final SensorRegistry registry = new SensorRegistry(64);
    final SimulatedCalibrationService service = new SimulatedCalibrationService(64);
    final SimulatedSensorSource source;
    final FaultSchedule faults;
    final Pipescope scope;
    final Pipeline pipeline;
    final HealthDashboard dashboard;
    final CapturingLogSink sink = new CapturingLogSink();
    final LogSink logSink;
    final PipelineEventLog events;
    final MBeanServer server = MBeanServerFactory.newMBeanServer();
    final PipelineMBeans beans;
    final JmxConnector connector;
    final JMXConnector client;
    final MBeanServerConnection connection;
    final RecordBatch batch = new RecordBatch(512);
    private long batchNumber;

    JmxFixture(final String name) throws Exception {
        this(name, null);
    }

    /**
     * @param name    the pipeline's name.
     * @param logSink where events go; null to capture them in {@link #sink} (which allocates a String per line).
     * @param faults  faults as {@code --fault} takes them, applied before each batch {@link #run(int)} runs.
     */
    JmxFixture(final String name, final LogSink logSink, final String... faults) throws Exception {
        this.logSink = logSink != null ? logSink : sink;
        source = new SimulatedSensorSource(registry, 10, 11, 0.005, new SystemEpochClock());
        final PipelineDefinition stages = PipelineDefinition.defaults();
        this.faults = new FaultSchedule(Fault.parseAll(List.of(faults)), stages, registry, new SystemNanoClock());
        scope = Pipescope.builder(name)
            .registry(registry)
            .stages(stages)
            .service(CalibrationService.class, this.faults.calibration(service))
            .decorateStages(this.faults.stageDecorator())
            .eventLog(new LogContext(this.logSink), LogLevel.INFO, 1000, 1000)
            .healthInterval(Duration.ofSeconds(60))
            .build();
        pipeline = scope.pipeline();
        dashboard = scope.health();
        events = scope.eventLog();
        beans = PipelineMBeans.register(server, scope, this.logSink);
        connector = JmxConnector.start(server, new JmxConnector.Options().port(0));
        client = JMXConnectorFactory.connect(connector.address());
        connection = client.getMBeanServerConnection();
    }

    /** Runs batches on the calling thread (the processing thread of this test), faults applied as the runner does. */
    void run(final int batches) {
        for (int i = 0; i < batches; i++) {
            source.fill(batch);
            faults.beforeBatch(++batchNumber);
            pipeline.process(batch);
        }
    }

    /** @return batches {@link #run(int)} ran; a plain read (Pipeline's totals are records, allocated per read). */
    long batchesRun() {
        return batchNumber;
    }

    @Override
    public void close() throws Exception {
        try {
            client.close();
        } finally {
            connector.close();
            beans.close();
            scope.close();
        }
    }
}
