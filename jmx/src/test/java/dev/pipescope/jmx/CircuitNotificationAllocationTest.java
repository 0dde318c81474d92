package dev.pipescope.jmx;

import dev.pipescope.log.NullLogSink;
import dev.pipescope.metrics.AllocationMeter;
import dev.pipescope.resilience.CircuitBreaker;
import dev.pipescope.testing.AllocationProbe;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import javax.management.AttributeChangeNotification;
import javax.management.ObjectName;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A calibration outage makes a sensor's breaker flap (open, half-open, open ...) inside batches while a
 * remote JMX client listens to every transition: the processing thread still allocates nothing, because
 * notifications are built on the relay thread, and every transition is notified.
 */
@Tag(AllocationProbe.TAG)
class CircuitNotificationAllocationTest {
    private static final int BATCHES_PER_ROUND = 5_000;

    @Test
    void aFlappingBreakerIsNotifiedWithoutAllocatingOnTheProcessingThread() throws Exception {
        assumeTrue(AllocationMeter.isAvailable());
        // the program's --fault: the calibration service fails for S3 for the whole test
        try (JmxFixture f = new JmxFixture("flapping", new NullLogSink(), "calibration:S3@1-1000000000")) {
            final ObjectName circuits = ObjectNames.circuitBreakers("flapping");
            final AtomicLong notified = new AtomicLong();
            final ConcurrentHashMap<String, String> lastNewState = new ConcurrentHashMap<>();
            f.connection.addNotificationListener(circuits, (n, handback) -> {
                notified.incrementAndGet();
                lastNewState.put((String) n.getUserData(), (String) ((AttributeChangeNotification) n).getNewValue());
            }, null, null);
            // tuned as an operator would, over JMX: ask the service every batch, probe again after 1 ms
            final ObjectName calibrate = ObjectNames.stage("flapping", "calibrate");
            f.connection.setAttribute(calibrate, new javax.management.Attribute("cacheTtlMs", 0L));
            f.connection.setAttribute(calibrate, new javax.management.Attribute("openDurationMs", 1L));
            f.run(20_000);
            final CircuitBreaker s3 = f.pipeline.context().circuitBreakers().find("calibration:S3");
            final long opensBefore = s3.transitionCount(CircuitBreaker.State.OPEN);

            // Flapping keeps the JIT busy (hundreds of ms of compilation per window, measured): C2's one-off
            // per-class allocation (see AllocationProbe) has landed in up to three windows after one warm-up
            // round. An allocation per transition would show in every window (over 20 transitions each), and
            // the run without C2 still requires every window to be 0.
            AllocationProbe.measure(3, 5, () -> {
                f.run(BATCHES_PER_ROUND);
                return s3.transitionCount(CircuitBreaker.State.OPEN);
            }).assertAllocationFree(BATCHES_PER_ROUND + " batches with a flapping breaker and a JMX listener");

            final long opened = s3.transitionCount(CircuitBreaker.State.OPEN) - opensBefore;
            assertTrue(opened > 20, "the breaker kept flapping while measured: opened " + opened + " times");
            final long transitions = s3.transitionCount(CircuitBreaker.State.OPEN)
                + s3.transitionCount(CircuitBreaker.State.HALF_OPEN) + s3.transitionCount(CircuitBreaker.State.CLOSED);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (notified.get() < transitions && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(transitions, notified.get(), "every transition reached the remote listener");
            assertEquals(0L, f.connection.getAttribute(circuits, "NotificationsDropped"));
            assertEquals(s3.state().name(), lastNewState.get("calibration:S3"), "the last one says the current state");
        }
    }
}
