package dev.pipescope.jmx;

import dev.pipescope.metrics.AllocationMeter;
import dev.pipescope.resilience.CircuitBreaker;
import dev.pipescope.resilience.CircuitBreakerConfig;
import dev.pipescope.resilience.CircuitBreakerRegistry;
import dev.pipescope.testing.AllocationProbe;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The relay agent's own work — reading transitions from the ring, looking the breaker up, calling the
 * target, idling in between — allocates nothing per transition on the relay thread (the real target,
 * {@link CircuitBreakersBean}, then allocates the notification there, by design). Same rule as
 * {@link AllocationProbe}: without C2 every window must be 0 bytes, with C2 one of up to five.
 */
@Tag(AllocationProbe.TAG)
class CircuitNotificationRelayAllocationTest {
    private static final int TRANSITIONS_PER_ROUND = 1_000;
    private static final int WARM_UP_ROUNDS = 20;
    private static final int WINDOWS = 5;

    @Test
    void theRelayThreadAllocatesNothingPerTransition() throws InterruptedException {
        assumeTrue(AllocationMeter.isAvailable());
        final CachedNanoClock clock = new CachedNanoClock();
        final CircuitBreakerRegistry registry = new CircuitBreakerRegistry(CircuitBreakerConfig.DEFAULT, clock);
        final AtomicLong delivered = new AtomicLong();
        try (CircuitNotificationRelay relay = new CircuitNotificationRelay(registry,
            (b, from, to, millis) -> delivered.addAndGet(to.ordinal() + 1 - from.ordinal()), 64 * 1024,
            "relay-allocation-test")) {
            registry.addListener(relay);
            final CircuitBreaker breaker = registry.breaker("calibration:S8");
            final long relayId = relay.thread().getId();
            for (int r = 0; r < WARM_UP_ROUNDS; r++) {
                round(relay, breaker, clock);
            }
            final long[] bytes = new long[WINDOWS];
            final long[] compileMillis = new long[WINDOWS];
            int measured = 0;
            while (measured < WINDOWS) {
                final long compiledBefore = compilationMillis();
                final long before = AllocationMeter.threadAllocatedBytes(relayId);
                round(relay, breaker, clock);
                bytes[measured] = AllocationMeter.threadAllocatedBytes(relayId) - before;
                compileMillis[measured++] = compilationMillis() - compiledBefore;
                if (AllocationProbe.c2Compiles() && bytes[measured - 1] == 0) {
                    break;
                }
            }
            new AllocationProbe.Measurement(Arrays.copyOf(bytes, measured), Arrays.copyOf(compileMillis, measured),
                !AllocationProbe.c2Compiles())
                .assertAllocationFree(TRANSITIONS_PER_ROUND + " transitions relayed by the relay thread");
            assertEquals(0, relay.dropped());
            assertEquals(0, relay.errors());
        }
        assertTrue(delivered.get() != 0);
    }

    /** Flips the breaker and waits until the relay has handed every transition to the target. */
    private static void round(final CircuitNotificationRelay relay, final CircuitBreaker breaker,
        final CachedNanoClock clock) throws InterruptedException {
        final long expected = relay.relayed() + TRANSITIONS_PER_ROUND;
        for (int i = 0; i < TRANSITIONS_PER_ROUND / 2; i++) {
            breaker.forceOpen(clock.nanoTime());
            breaker.forceClose(clock.nanoTime());
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (relay.relayed() < expected) {
            assertTrue(System.nanoTime() < deadline, "the relay delivers the round, dropped " + relay.dropped());
            Thread.sleep(1);
        }
    }

    private static long compilationMillis() {
        final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }
}
