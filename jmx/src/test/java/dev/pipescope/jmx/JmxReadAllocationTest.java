package dev.pipescope.jmx;

import dev.pipescope.metrics.AllocationMeter;
import dev.pipescope.testing.AllocationProbe;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import javax.management.MBeanAttributeInfo;
import javax.management.ObjectName;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A JMX client reading every attribute of every bean, over RMI, as fast as it can while the pipeline
 * runs: the processing thread still allocates nothing per batch (see {@link AllocationProbe} for the rule
 * with and without C2).
 */
@Tag(AllocationProbe.TAG)
class JmxReadAllocationTest {
    private static final int BATCHES_PER_ROUND = 5_000;

    @Test
    void continuousRemoteReadsCostTheProcessingThreadNothing() throws Exception {
        assumeTrue(AllocationMeter.isAvailable());
        // events are encoded and handed to a sink that discards them, as the allocation test of the core does
        try (JmxFixture f = new JmxFixture("readers", new dev.pipescope.log.NullLogSink())) {
            f.run(20_000);
            f.dashboard.report();
            final List<ObjectName> names = new ArrayList<>(f.connection.queryNames(new ObjectName("dev.pipescope:*"), null));
            final AtomicLong reads = new AtomicLong();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread reader = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        for (final ObjectName name : names) {
                            for (final MBeanAttributeInfo a : f.connection.getMBeanInfo(name).getAttributes()) {
                                f.connection.getAttribute(name, a.getName());
                                reads.incrementAndGet();
                            }
                        }
                    }
                } catch (final Exception e) {
                    if (!(e instanceof InterruptedException) && !Thread.currentThread().isInterrupted()) {
                        failure.set(e);
                    }
                }
            }, "jmx-reader");
            reader.start();
            final Thread reporter = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    f.dashboard.report();
                    try {
                        Thread.sleep(20);
                    } catch (final InterruptedException e) {
                        return;
                    }
                }
            }, "health-reporter");
            reporter.start();
            try {
                AllocationProbe.measure(1, 3, () -> {
                    f.run(BATCHES_PER_ROUND);
                    return f.batchesRun(); // not pipeline.recordsOut(): a consistent read builds a record
                }).assertAllocationFree(BATCHES_PER_ROUND + " batches on the processing thread");
            } finally {
                reader.interrupt();
                reporter.interrupt();
                reader.join(5000);
                reporter.join(5000);
            }
            assertNull(failure.get());
            assertTrue(reads.get() > 100, "the reader really read: " + reads.get());
        }
    }
}
