package dev.pipescope.jmx;

import dev.pipescope.calibration.CalibrationService;
import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.calibration.SimulatedCalibrationService;
import dev.pipescope.health.HealthDashboard;
import dev.pipescope.log.CapturingLogSink;
import dev.pipescope.log.LogContext;
import dev.pipescope.log.LogLevel;
import dev.pipescope.log.LogSink;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.PipelineDefinition;
import dev.pipescope.pipeline.PipelineEventLog;
import dev.pipescope.source.SimulatedSensorSource;
import dev.pipescope.stage.StageCatalog;
import dev.pipescope.stage.StageContext;
import org.agrona.concurrent.SystemEpochClock;

import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServerFactory;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import java.util.concurrent.TimeUnit;

/**
 * A running pipeline with its MBeans on a private MBean server, served by a real RMI connector on
 * loopback, and a client connected to it: what JConsole sees, in a test.
 */
final class JmxFixture implements AutoCloseable {
    final SensorRegistry registry = new SensorRegistry(64);
    final SimulatedCalibrationService service = new SimulatedCalibrationService(64);
    final SimulatedSensorSource source;
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

    JmxFixture(final String name) throws Exception {
        this(name, null);
    }

    /**
     * @param name    the pipeline's name.
     * @param logSink where events go; null to capture them in {@link #sink} (which allocates a String per line).
     */
    JmxFixture(final String name, final LogSink logSink) throws Exception {
        this.logSink = logSink != null ? logSink : sink;
        source = new SimulatedSensorSource(registry, 10, 11, 0.005, new SystemEpochClock());
        final StageContext context = StageContext.builder(name, registry).service(CalibrationService.class, service).build();
        pipeline = Pipeline.assemble(name, PipelineDefinition.defaults(), StageCatalog.discover(), context);
        dashboard = new HealthDashboard(pipeline, TimeUnit.SECONDS.toNanos(60));
        events = new PipelineEventLog(pipeline, new LogContext(this.logSink), LogLevel.INFO, 1000, 1000);
        events.attach(pipeline, dashboard);
        beans = PipelineMBeans.register(server, pipeline, dashboard, name + "-log", this.logSink, events.loggers());
        connector = JmxConnector.start(server, new JmxConnector.Options().port(0));
        client = JMXConnectorFactory.connect(connector.address());
        connection = client.getMBeanServerConnection();
    }

    /** Runs batches on the calling thread (the processing thread of this test). */
    void run(final int batches) {
        for (int i = 0; i < batches; i++) {
            source.fill(batch);
            pipeline.process(batch);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            client.close();
        } finally {
            connector.close();
            beans.close();
            dashboard.close();
            pipeline.close();
        }
    }
}
