package dev.pipescope.jmx;

import dev.pipescope.health.HealthReport;
import dev.pipescope.metrics.StageCounters;
import dev.pipescope.pipeline.BatchObserver;
import dev.pipescope.stage.ConfiguredStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.management.Attribute;
import javax.management.AttributeChangeNotification;
import javax.management.Descriptor;
import javax.management.InvalidAttributeValueException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads and writes every MBean through a real JMX connector over RMI on loopback. */
class JmxRemoteTest {
    private JmxFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new JmxFixture("sensors");
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    private Object get(final ObjectName name, final String attribute) throws Exception {
        return f.connection.getAttribute(name, attribute);
    }

    @Test
    void pipelineBeanReportsWhatThePipelineDid() throws Exception {
        f.run(300);
        final ObjectName name = ObjectNames.pipeline("sensors");
        assertEquals("sensors", get(name, "Name"));
        assertArrayEquals(new String[] {"threshold", "calibrate", "normalize", "feature", "adaptive"},
            (String[]) get(name, "StageNames"));
        assertTrue(Arrays.asList((String[]) get(name, "AvailableStageTypes")).containsAll(
            List.of("threshold", "calibrate", "normalize", "feature", "anomaly", "adaptive")));
        assertEquals(300L, get(name, "Batches"));
        assertEquals(f.pipeline.recordsIn(), get(name, "RecordsIn"));
        assertEquals(300L * 512, get(name, "RecordsIn"));
        assertEquals(f.pipeline.recordsOut(), get(name, "RecordsOut"));
        assertEquals(f.pipeline.alerts(), get(name, "Alerts"));
        assertEquals("RUNNING", get(name, "State"));

        f.connection.invoke(name, "resetMetrics", null, null);
        assertEquals(0L, get(name, "Batches"));
        f.run(5);
        assertEquals(5L, get(name, "Batches"));
    }

    @Test
    void stageBeanShowsIntrospectionCountersAndPercentilesOfTheRecordedLatencies() throws Exception {
        final long[] recorded = new long[30_000]; // preallocated: the observer itself must not allocate
        final int[] count = new int[1];
        // added beside the event log and the JFR events, not in their place
        f.pipeline.addObserver(new BatchObserver() {
            @Override
            public void stageCompleted(final long batchNumber, final int stageIndex, final ConfiguredStage stage,
                final int in, final int out, final long nanos) {
                if (stageIndex == 4 && batchNumber <= 2000) {
                    recorded[count[0]++] = nanos;
                }
            }
        });
        f.run(2000);
        final HealthReport report = f.dashboard.report();
        final ObjectName detector = ObjectNames.stage("sensors", "adaptive");

        assertEquals("adaptive", get(detector, "StageType"));
        assertEquals("dev.pipescope.stage.builtin.AdaptiveAnomalyDetector", get(detector, "ClassName"));
        assertEquals("Flags readings outside a forgetting, outlier-robust envelope of each sensor's recent range.",
            get(detector, "Description"));
        assertEquals("process(RecordBatch batch, double threshold=0.5, int halfLife=10000, double extension=0.5, "
            + "int refractory=25, int warmup=30, double minHalfWidth=1.0E-9)", get(detector, "ProcessSignature"));
        final TabularData parameters = (TabularData) get(detector, "Parameters");
        final CompositeData t = parameters.get(new Object[] {"threshold"});
        assertEquals("double", t.get("type"));
        assertEquals("0.5", t.get("defaultValue"));
        assertEquals(0.5, t.get("numericValue"));
        assertEquals(true, t.get("tunable"));
        assertEquals(0.5, get(detector, "threshold"));
        assertEquals(30, get(detector, "warmup"));

        final StageCounters totals = f.pipeline.metrics(4).totals();
        assertEquals(2000L, get(detector, "Batches"));
        assertEquals(totals.recordsIn(), get(detector, "RecordsIn"));
        assertEquals(totals.recordsOut(), get(detector, "RecordsOut"));
        final ObjectName threshold = ObjectNames.stage("sensors", "threshold");
        assertEquals(f.pipeline.metrics(0).totals().recordsDropped(), get(threshold, "RecordsDropped"));
        assertTrue((Long) get(threshold, "RecordsDropped") > 0);

        // percentiles over JMX are the recorded latencies' percentiles, within HdrHistogram's 3 digits
        final long[] sorted = Arrays.copyOf(recorded, count[0]);
        Arrays.sort(sorted);
        assertEquals(2000, sorted.length);
        checkPercentile(sorted, 50, (Double) get(detector, "TotalLatencyP50Micros"));
        checkPercentile(sorted, 90, (Double) get(detector, "TotalLatencyP90Micros"));
        checkPercentile(sorted, 99, (Double) get(detector, "TotalLatencyP99Micros"));
        checkPercentile(sorted, 99.9, (Double) get(detector, "TotalLatencyP999Micros"));
        final double max = (Double) get(detector, "TotalLatencyMaxMicros");
        assertEquals(sorted[sorted.length - 1] / 1000.0, max, sorted[sorted.length - 1] / 1000.0 * 0.001 + 0.001);
        assertEquals(report.stageMetrics().get(4).batchLatency().p99Nanos() / 1000.0, (Double) get(detector, "LatencyP99Micros"));
        assertTrue((Double) get(detector, "BusyShare") > 0);
        assertTrue((Double) get(detector, "ThroughputRps") > 0);
        // well warm (the JIT's late recompilations can rematerialize scalar-replaced objects once), an
        // interval of batches allocates nothing, and the bean says so
        f.run(20_000);
        f.dashboard.report();
        f.run(2_000);
        f.dashboard.report();
        assertEquals(0.0, (Double) get(detector, "AllocatedBytesPerBatch"), "once warm, the hot path allocates nothing");
    }

    private static void checkPercentile(final long[] sorted, final double percentile, final double micros) {
        final int n = sorted.length;
        final long low = sorted[Math.max(0, (int) Math.floor((percentile - 0.5) / 100 * n) - 1)];
        final long high = sorted[Math.min(n - 1, (int) Math.ceil((percentile + 0.5) / 100 * n))];
        final double nanos = micros * 1000;
        assertTrue(nanos >= low * 0.999 && nanos <= high * 1.001 + 1,
            "p" + percentile + " = " + micros + " us, recorded values around it: " + low + ".." + high + " ns");
    }

    @Test
    void tuningOverJmxChangesTheStagesBehaviourAndBadValuesAreRefused() throws Exception {
        final ObjectName detector = ObjectNames.stage("sensors", "adaptive");
        final ObjectName threshold = ObjectNames.stage("sensors", "threshold");
        f.run(200);
        final long alertsBefore = f.pipeline.alerts();
        assertTrue(alertsBefore > 0);

        f.connection.setAttribute(detector, new Attribute("threshold", 0.999));
        assertEquals(0.999, get(detector, "threshold"));
        f.run(100);
        // score 0.999 is 40 envelope widths beyond its edge; the threshold filter keeps 20..80
        assertEquals(alertsBefore, f.pipeline.alerts(), "no reading is that far beyond the envelope: nothing flagged");
        f.connection.setAttribute(detector, new Attribute("threshold", 0.5));
        f.run(100);
        assertTrue(f.pipeline.alerts() > alertsBefore, "flagging again at 0.5");

        f.connection.setAttribute(threshold, new Attribute("minVal", 50.0));
        final StageCounters before = f.pipeline.metrics(0).totals();
        f.run(50);
        final StageCounters after = f.pipeline.metrics(0).totals().minus(before);
        assertTrue(after.recordsOut() < 0.6 * after.recordsIn(), "about half the readings are below 50 now: " + after);
        for (int i = 0; i < f.batch.size(); i++) {
            assertTrue(f.batch.sequence[i] > 0);
        }

        final InvalidAttributeValueException negative = assertThrows(InvalidAttributeValueException.class,
            () -> f.connection.setAttribute(detector, new Attribute("threshold", -1.0)));
        assertTrue(negative.getMessage().contains("threshold = -1.0 is out of bounds: allowed [0.01, 0.999]"),
            negative.getMessage());
        assertEquals(0.5, get(detector, "threshold"), "the old value stays");

        final InvalidAttributeValueException crossed = assertThrows(InvalidAttributeValueException.class,
            () -> f.connection.setAttribute(threshold, new Attribute("minVal", 90.0)));
        assertTrue(crossed.getMessage().contains("must not exceed maxVal"), crossed.getMessage());
        assertEquals(50.0, get(threshold, "minVal"));

        final ObjectName calibrate = ObjectNames.stage("sensors", "calibrate");
        final InvalidAttributeValueException fixed = assertThrows(InvalidAttributeValueException.class,
            () -> f.connection.setAttribute(calibrate, new Attribute("cacheCapacity", 8)));
        assertTrue(fixed.getMessage().contains("cannot be changed while the pipeline runs"), fixed.getMessage());

        assertTrue(f.sink.lines().stream().anyMatch(l -> l.contains("\"event\":\"parameter_changed\"")
            && l.contains("\"stage\":\"threshold\"") && l.contains("\"parameter\":\"minVal\"")
            && l.contains("\"oldValue\":\"20.0\"") && l.contains("\"newValue\":\"50.0\"")), "accepted changes are logged");
        assertFalse(f.sink.lines().stream().anyMatch(l -> l.contains("\"newValue\":\"-1.0\"")), "refused ones are not");
    }

    @Test
    void tunableParametersCarryTheStandardDescriptorFields() throws Exception {
        final MBeanInfo info = f.connection.getMBeanInfo(ObjectNames.stage("sensors", "adaptive"));
        final MBeanAttributeInfo t = attribute(info, "threshold");
        assertTrue(t.isWritable());
        assertEquals("java.lang.Double", t.getType());
        final Descriptor d = t.getDescriptor();
        assertEquals(0.5, d.getFieldValue("defaultValue"));
        assertEquals(0.01, d.getFieldValue("minValue"));
        assertEquals(0.999, d.getFieldValue("maxValue"));
        final Descriptor warmup = attribute(info, "warmup").getDescriptor();
        assertEquals(30, warmup.getFieldValue("defaultValue"));
        assertEquals(1, warmup.getFieldValue("minValue"));
        assertEquals(1_000_000, warmup.getFieldValue("maxValue"));
        assertFalse(attribute(f.connection.getMBeanInfo(ObjectNames.stage("sensors", "calibrate")), "cacheCapacity")
            .isWritable(), "fixed parameters are read-only");
    }

    private static MBeanAttributeInfo attribute(final MBeanInfo info, final String name) {
        for (final MBeanAttributeInfo a : info.getAttributes()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        throw new AssertionError("no attribute " + name);
    }

    @Test
    void everyAttributeOperationAndParameterHasARealDescriptionAndName() throws Exception {
        for (final ObjectName name : f.connection.queryNames(new ObjectName("dev.pipescope:*"), null)) {
            assertTrue(name.getKeyPropertyListString().startsWith("type="), name.toString());
            final MBeanInfo info = f.connection.getMBeanInfo(name);
            assertFalse(info.getDescription().isBlank(), name + " has a description");
            for (final MBeanAttributeInfo a : info.getAttributes()) {
                assertFalse(a.getDescription() == null || a.getDescription().isBlank()
                    || a.getDescription().equals("Attribute exposed for management"), name + " " + a.getName());
                assertFalse(a.getType().startsWith("[") && !a.getType().equals("[Ljava.lang.String;"),
                    name + " " + a.getName() + " numbers are scalars, not arrays");
            }
            for (final MBeanOperationInfo op : info.getOperations()) {
                assertFalse(op.getDescription().isBlank() || op.getDescription().equals("Operation exposed for management"),
                    name + " " + op.getName());
                for (final MBeanParameterInfo p : op.getSignature()) {
                    assertFalse(p.getName().matches("p\\d+"), name + " " + op.getName() + " parameter " + p.getName());
                    assertFalse(p.getDescription().isBlank(), name + " " + op.getName() + " " + p.getName());
                }
            }
        }
    }

    @Test
    void healthDashboardBeanEqualsTheDashboardsReport() throws Exception {
        f.run(100);
        final HealthReport report = f.dashboard.report();
        final ObjectName name = ObjectNames.healthDashboard("sensors");
        assertEquals(report.status().name(), get(name, "Status"));
        assertEquals(report.status().ordinal(), get(name, "StatusCode"), report.summary());
        assertEquals(report.totals().batches(), get(name, "BatchCount"));
        assertEquals(100L, get(name, "BatchCount"));
        assertEquals(report.totals().alerts(), get(name, "TotalAlerts"));
        assertEquals(report.bottleneckStage(), get(name, "BottleneckStage"));
        assertEquals(report.sequence(), get(name, "ReportSequence"));
        assertEquals(report.throughput().sourceBound(), get(name, "SourceBound"));
        assertEquals(report.throughput().hostSpeedRatio(), (Double) get(name, "HostSpeedRatio"), 0.0);
        assertEquals(report.throughput().pipelineRps(), (Double) get(name, "PipelineRps"), 0.0);
        assertEquals(report.firstReason() == null ? null : report.firstReason().code(), get(name, "FirstReasonCode"));
        assertEquals(report.firstReason() == null ? null : report.firstReason().subject(), get(name, "FirstReasonSubject"));
        assertEquals(0, get(name, "OpenCircuitCount"));
        assertEquals(0L, get(name, "RetriesLast5m"));
        assertTrue((Double) get(name, "CalibrationCacheHitRate") > 0.9);
        assertTrue((Long) get(name, "HeapUsedBytes") > 0);
        final TabularData caches = (TabularData) get(name, "CacheHitRates");
        assertEquals(report.caches().get("calibration").hitRate(),
            (Double) caches.get(new Object[] {"calibration"}).get("hitRate"), 0.0);
        final CompositeData last = (CompositeData) get(name, "LastReport");
        assertEquals(report.status().name(), last.get("status"));
        assertEquals(report.totals().recordsIn(), last.get("recordsIn"));
        assertEquals(report.sequence(), last.get("sequence"));
        assertEquals(report.throughput().sourceBound(), last.get("sourceBound"));
        assertEquals(report.firstReason() == null ? "" : report.firstReason().code(), last.get("firstReasonCode"));
        assertFalse(last.getCompositeType().getDescription("statusCode").equals("statusCode"),
            "items say what they are");
    }

    @Test
    void theFirstStatusIsNotifiedFromNoneThenEveryChange() throws Exception {
        final ObjectName name = ObjectNames.healthDashboard("sensors");
        final BlockingQueue<Notification> received = new ArrayBlockingQueue<>(100);
        f.connection.addNotificationListener(name, (n, handback) -> received.add(n), null, null);
        f.run(50);
        final HealthReport first = f.dashboard.report();
        final AttributeChangeNotification n = (AttributeChangeNotification) received.poll(10, TimeUnit.SECONDS);
        assertNotNull(n, "the first status is notified");
        assertEquals("Status", n.getAttributeName());
        assertEquals("NONE", n.getOldValue());
        assertEquals(first.status().name(), n.getNewValue());
        f.run(50);
        f.dashboard.report();
        if (f.dashboard.latest().status() == first.status()) {
            assertNull(received.poll(200, TimeUnit.MILLISECONDS), "no change, no notification");
        }
    }

    @Test
    void circuitBreakersTableOperationsAndTheOpeningNotification() throws Exception {
        f.close();
        f = new JmxFixture("sensors", null, "calibration:S3@11-40"); // the program's --fault, before each batch
        final ObjectName name = ObjectNames.circuitBreakers("sensors");
        final BlockingQueue<Notification> received = new ArrayBlockingQueue<>(100);
        f.connection.addNotificationListener(name, (n, handback) -> received.add(n), null, null);
        f.run(10);
        assertEquals(10, get(name, "BreakerCount"), "a breaker per simulated sensor");
        assertEquals("CLOSED", f.connection.invoke(name, "state", new Object[] {"calibration:S3"},
            new String[] {String.class.getName()}));

        f.pipeline.stage("calibrate").setParameter("cacheTtlMs", 0); // ask the service every batch
        f.run(6); // batches 11..16, within the fixture's --fault calibration:S3@11-40
        assertEquals("OPEN", f.connection.invoke(name, "state", new Object[] {"calibration:S3"},
            new String[] {String.class.getName()}));
        final Notification n = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(n, "the opening is notified");
        final AttributeChangeNotification change = (AttributeChangeNotification) n;
        assertEquals("calibration:S3", change.getUserData());
        assertEquals("CLOSED", change.getOldValue());
        assertEquals("OPEN", change.getNewValue());
        assertEquals(1, get(name, "OpenCount"));
        final TabularData table = (TabularData) get(name, "Breakers");
        final CompositeData row = table.get(new Object[] {"calibration:S3"});
        assertEquals("OPEN", row.get("state"));
        assertEquals(2, row.get("stateCode"));
        assertEquals(1L, row.get("timesOpened"));

        f.connection.invoke(name, "forceClose", new Object[] {"calibration:S4"}, new String[] {String.class.getName()});
        assertEquals("FORCED_CLOSED", f.connection.invoke(name, "state", new Object[] {"calibration:S4"},
            new String[] {String.class.getName()}));
        f.connection.invoke(name, "reset", new Object[] {"calibration:S3"}, new String[] {String.class.getName()});
        assertEquals("CLOSED", f.connection.invoke(name, "state", new Object[] {"calibration:S3"},
            new String[] {String.class.getName()}));
        final Exception unknown = assertThrows(Exception.class, () -> f.connection.invoke(name, "forceOpen",
            new Object[] {"calibration:S99"}, new String[] {String.class.getName()}));
        assertTrue(String.valueOf(unknown.getCause() != null ? unknown.getCause().getMessage() : unknown.getMessage())
            .contains("no circuit breaker named 'calibration:S99'"), unknown.toString());
    }

    @Test
    void logBeanCountsAndItsLevelIsWritable() throws Exception {
        f.run(50);
        final ObjectName name = ObjectNames.log("sensors");
        assertEquals((long) f.sink.lines().size(), get(name, "EventsWritten"));
        assertTrue((Long) get(name, "EventsWritten") > 0);
        assertEquals("INFO", get(name, "Level"));
        f.connection.setAttribute(name, new Attribute("Level", "ERROR"));
        final int before = f.sink.lines().size();
        f.run(50);
        assertEquals(before, f.sink.lines().size(), "at ERROR, anomalies (WARNING) are not logged");
        final Exception bad = assertThrows(Exception.class,
            () -> f.connection.setAttribute(name, new Attribute("Level", "LOUD")));
        assertTrue(String.valueOf(bad.getCause() != null ? bad.getCause().getMessage() : bad.getMessage())
            .contains("'LOUD' is not a log level"), bad.toString());
        assertEquals("ERROR", get(name, "Level"));
    }
}
