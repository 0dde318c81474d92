package dev.pipescope.jmx;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.calibration.CalibrationService;
import dev.pipescope.calibration.SimulatedCalibrationService;
import dev.pipescope.health.HealthDashboard;
import dev.pipescope.log.NullLogSink;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.cli.ExplodingStage;
import dev.pipescope.pipeline.PipelineDefinition;
import dev.pipescope.pipeline.StageFailedException;
import dev.pipescope.stage.StageCatalog;
import dev.pipescope.stage.StageContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JmxRegistrationTest {
    private static Pipeline pipeline(final String name) {
        final SensorRegistry registry = new SensorRegistry(16);
        return Pipeline.assemble(name, PipelineDefinition.defaults(), StageCatalog.discover(),
            StageContext.builder(name, registry)
                .service(CalibrationService.class, new SimulatedCalibrationService(16)).build());
    }

    private static PipelineMBeans register(final MBeanServer server, final Pipeline p) {
        return PipelineMBeans.register(server, p, new HealthDashboard(p, TimeUnit.SECONDS.toNanos(1)),
            new NullLogSink(), List.of());
    }

    @Test
    void awkwardNamesAreQuotedAndTypeComesFirst() throws Exception {
        final String awkward = "plant 7, line=\"A\":*?";
        final MBeanServer server = MBeanServerFactory.newMBeanServer();
        try (Pipeline p = pipeline(awkward); PipelineMBeans beans = register(server, p)) {
            assertEquals(9, beans.names().size(), "pipeline, 5 stages, dashboard, circuit breakers, log");
            for (final ObjectName name : beans.names()) {
                assertTrue(name.getKeyPropertyListString().startsWith("type="), name.toString());
                assertTrue(server.isRegistered(name));
                assertTrue(!name.isPattern(), "a name with * or ? stays a name, not a pattern: " + name);
            }
            final ObjectName pipelineName = ObjectNames.pipeline(awkward);
            assertEquals(awkward, ObjectName.unquote(pipelineName.getKeyProperty("pipeline")));
            assertEquals(awkward, server.getAttribute(pipelineName, "Name"));
            // one key for exporters: every bean names its pipeline as pipeline=..., and one query finds them all
            for (final ObjectName name : beans.names()) {
                assertEquals(awkward, ObjectName.unquote(name.getKeyProperty("pipeline")), name.toString());
            }
            assertEquals(Set.copyOf(beans.names()), server.queryNames(ObjectNames.allOf(awkward), null));
            assertEquals("sensors", ObjectNames.value("sensors"), "plain names stay unquoted");
        }
        assertEquals(Set.of(), server.queryNames(new ObjectName("dev.pipescope:*"), null), "closing unregisters all");
    }

    @Test
    void everyBeanCarriesThePipelineUnderOneKeyTypeFirst() throws Exception {
        final MBeanServer server = MBeanServerFactory.newMBeanServer();
        try (Pipeline p = pipeline("sensors"); PipelineMBeans beans = register(server, p)) {
            final List<String> names = beans.names().stream().map(ObjectName::toString).collect(Collectors.toList());
            assertEquals(List.of("dev.pipescope:type=Pipeline,pipeline=sensors",
                "dev.pipescope:type=Stage,pipeline=sensors,name=threshold",
                "dev.pipescope:type=Stage,pipeline=sensors,name=calibrate",
                "dev.pipescope:type=Stage,pipeline=sensors,name=normalize",
                "dev.pipescope:type=Stage,pipeline=sensors,name=feature",
                "dev.pipescope:type=Stage,pipeline=sensors,name=adaptive",
                "dev.pipescope:type=HealthDashboard,pipeline=sensors",
                "dev.pipescope:type=CircuitBreakers,pipeline=sensors",
                "dev.pipescope:type=Log,pipeline=sensors"), names);
        }
    }

    @Test
    void aFailedPipelineSaysSoAndWhatFailed() throws Exception {
        final MBeanServer server = MBeanServerFactory.newMBeanServer();
        final SensorRegistry registry = new SensorRegistry(16);
        try (Pipeline p = Pipeline.assemble("fragile", PipelineDefinition.parse("threshold\nexplode failOnBatch=2\n",
            "test"), StageCatalog.discover(), StageContext.system("fragile", registry));
             PipelineMBeans beans = register(server, p)) {
            final ObjectName name = ObjectNames.pipeline("fragile");
            final RecordBatch batch = new RecordBatch(4);
            batch.add(registry.register("S1"), 0, 1, 50.0);
            p.process(batch);
            assertEquals("RUNNING", server.getAttribute(name, "State"));
            assertEquals(null, server.getAttribute(name, "Failure"));
            assertThrows(StageFailedException.class, () -> p.process(batch));
            assertEquals("FAILED", server.getAttribute(name, "State"));
            final String failure = (String) server.getAttribute(name, "Failure");
            assertTrue(failure.startsWith("stage 'explode' failed on batch 2: "), failure);
            assertTrue(failure.contains(ExplodingStage.MESSAGE), failure);
            assertEquals(1L, server.getAttribute(name, "Batches"), "the failed batch is not counted");
        }
    }

    @Test
    void withoutASinkThereIsNoLogBean() throws Exception {
        final MBeanServer server = MBeanServerFactory.newMBeanServer();
        try (Pipeline p = pipeline("quiet"); PipelineMBeans beans = PipelineMBeans.register(server, p,
            new HealthDashboard(p, TimeUnit.SECONDS.toNanos(1)), null, List.of())) {
            assertEquals(8, beans.names().size());
            assertTrue(!server.isRegistered(ObjectNames.log("quiet")));
        }
    }

    @Test
    void severalPipelinesLiveSideBySideButNamesMustDiffer() throws Exception {
        final MBeanServer server = MBeanServerFactory.newMBeanServer();
        try (Pipeline a = pipeline("a"); Pipeline b = pipeline("b"); Pipeline again = pipeline("a");
             PipelineMBeans beansA = register(server, a); PipelineMBeans beansB = register(server, b)) {
            assertEquals(18, server.queryNames(new ObjectName("dev.pipescope:*"), null).size());
            final IllegalStateException clash = assertThrows(IllegalStateException.class, () -> register(server, again));
            assertTrue(clash.getMessage().contains("already registered"), clash.getMessage());
            assertEquals(18, server.queryNames(new ObjectName("dev.pipescope:*"), null).size(),
                "a refused registration leaves nothing behind and the others intact");
        }
    }

    @Test
    void refusesToExposeJmxBeyondLoopbackWithoutAuthentication() {
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> JmxConnector.checkSafe(new JmxConnector.Options().host("0.0.0.0").port(9999)));
        assertTrue(refused.getMessage().contains("without authentication"), refused.getMessage());
        JmxConnector.checkSafe(new JmxConnector.Options().host("127.0.0.1"));
        JmxConnector.checkSafe(new JmxConnector.Options().host("localhost"));
    }

    @Test
    void passwordFileRequiresCredentials(@TempDir final Path dir) throws Exception {
        final Path passwords = Files.writeString(dir.resolve("jmx.password"), "operator s3cret\n");
        Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-------"));
        final MBeanServer server = MBeanServerFactory.newMBeanServer();
        try (Pipeline p = pipeline("secured"); PipelineMBeans beans = register(server, p);
             JmxConnector connector = JmxConnector.start(server,
                 new JmxConnector.Options().port(0).passwordFile(passwords))) {
            assertTrue(connector.address().toString().startsWith("service:jmx:rmi://127.0.0.1:"));
            assertThrows(SecurityException.class, () -> JMXConnectorFactory.connect(connector.address()));
            assertThrows(SecurityException.class, () -> JMXConnectorFactory.connect(connector.address(),
                Map.of(JMXConnector.CREDENTIALS, new String[] {"operator", "wrong"})));
            try (JMXConnector client = JMXConnectorFactory.connect(connector.address(),
                Map.of(JMXConnector.CREDENTIALS, new String[] {"operator", "s3cret"}))) {
                assertEquals("secured", client.getMBeanServerConnection().getAttribute(ObjectNames.pipeline("secured"), "Name"));
            }
        }
    }

    @Test
    void registryAndServerShareOnePort() throws Exception {
        final MBeanServer server = MBeanServerFactory.newMBeanServer();
        try (JmxConnector connector = JmxConnector.start(server, new JmxConnector.Options().port(0))) {
            final String url = connector.address().toString();
            final String port = url.replaceAll(".*rmi://127\\.0\\.0\\.1:(\\d+)/jndi.*", "$1");
            assertTrue(url.endsWith("/jndi/rmi://127.0.0.1:" + port + "/jmxrmi"), url);
        }
    }
}
