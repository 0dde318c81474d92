package dev.pipescope.jmx;

import dev.pipescope.log.BackgroundErrorHandler;
import dev.pipescope.resilience.CircuitBreaker;
import dev.pipescope.resilience.CircuitBreakerConfig;
import dev.pipescope.resilience.CircuitBreakerRegistry;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relay as an Agrona agent: its thread, its error handler, and how it ends. */
class CircuitNotificationRelayAgentTest {
    private final CachedNanoClock clock = new CachedNanoClock();
    private final CircuitBreakerRegistry registry = new CircuitBreakerRegistry(CircuitBreakerConfig.DEFAULT, clock);

    @Test
    void aThrowingTargetIsCountedAndToldToTheErrorHandlerAndLaterTransitionsStillArrive() throws Exception {
        final List<String> notified = new CopyOnWriteArrayList<>();
        final List<String> handled = new CopyOnWriteArrayList<>();
        final CircuitNotificationRelay relay = new CircuitNotificationRelay(registry, (b, from, to, millis) -> {
            if (to == CircuitBreaker.State.FORCED_OPEN) {
                throw new IllegalStateException("listener bug");
            }
            notified.add(from + "->" + to);
        }, 1024, "relay-errors-test", e -> handled.add(Thread.currentThread().getName() + " " + e.getMessage()));
        try {
            registry.addListener(relay);
            final CircuitBreaker b = registry.breaker("calibration:S5");
            for (int i = 0; i < 3; i++) {
                b.forceOpen(clock.nanoTime());
                b.reset(clock.nanoTime());
            }
            await(() -> notified.size() == 3, "the transitions after each failure arrive: " + notified);
            assertTrue(relay.thread().isAlive(), "the relay survived its target's errors");
        } finally {
            relay.close();
        }
        assertEquals(List.of("FORCED_OPEN->CLOSED", "FORCED_OPEN->CLOSED", "FORCED_OPEN->CLOSED"), notified);
        assertEquals(3, relay.relayed());
        assertEquals(3, relay.dropped(), "a failed delivery is a notification not sent");
        assertEquals(3, relay.errors());
        assertEquals(List.of("relay-errors-test listener bug", "relay-errors-test listener bug",
            "relay-errors-test listener bug"), handled, "told on the relay thread, once per error");
    }

    @Test
    void withABackgroundErrorHandlerEveryErrorIsCountedButOneIsPrintedPerInterval() throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final AtomicLong nowMillis = new AtomicLong(1_000_000);
        final BackgroundErrorHandler handler = new BackgroundErrorHandler(null,
            new PrintStream(out, true, StandardCharsets.UTF_8), nowMillis::get, 10_000);
        final AtomicLong delivered = new AtomicLong();
        try (CircuitNotificationRelay relay = new CircuitNotificationRelay(registry, (b, from, to, millis) -> {
            if (to == CircuitBreaker.State.FORCED_OPEN) {
                throw new IllegalStateException("listener bug");
            }
            delivered.incrementAndGet();
        }, 1024, "relay-interval-test", handler)) {
            registry.addListener(relay);
            final CircuitBreaker b = registry.breaker("calibration:S6");
            for (int i = 0; i < 4; i++) {
                b.forceOpen(clock.nanoTime());
                b.reset(clock.nanoTime());
            }
            await(() -> delivered.get() == 4, "the transitions after each failure arrive");
            await(() -> handler.errorCount() == 4, "every failure counted");
            assertEquals(1, out.toString(StandardCharsets.UTF_8).lines().count(), out::toString);
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("error on relay-interval-test"), out::toString);

            nowMillis.addAndGet(10_000);
            b.forceOpen(clock.nanoTime());
            // the handler counts an error before it prints it: wait for the line, not the count
            await(() -> out.toString(StandardCharsets.UTF_8).lines().count() == 2, "the fifth error's line");
            final List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
            assertEquals(2, lines.size(), out::toString);
            assertTrue(lines.get(1).contains("5 so far, 3 not shown since the previous"), lines.get(1));
            assertEquals(5, relay.errors());
        }
    }

    @Test
    void theRelayIsADaemonAgentThreadWithItsNameThatEndsWithClose() {
        final List<Throwable> handled = new CopyOnWriteArrayList<>();
        final CircuitNotificationRelay relay = new CircuitNotificationRelay(registry, (b, from, to, millis) -> { },
            1024, "pipescope-jmx-circuits-agent-test", handled::add);
        final Thread thread = relay.thread();
        assertEquals("pipescope-jmx-circuits-agent-test", thread.getName());
        assertTrue(thread.isDaemon());
        assertTrue(thread.isAlive());
        relay.close();
        assertFalse(thread.isAlive(), "close() returns once the relay has ended");
        relay.close(); // idempotent
        assertEquals(0, relay.errors(), "ending after the final drain is no error");
        assertEquals(List.of(), handled);
    }

    @Test
    void anInterruptedRelaySaysSoAndDeliversWhatItHeld() throws Exception {
        final List<Throwable> handled = new CopyOnWriteArrayList<>();
        final AtomicLong delivered = new AtomicLong();
        final CircuitNotificationRelay relay = new CircuitNotificationRelay(registry,
            (b, from, to, millis) -> delivered.incrementAndGet(), 1024, "relay-interrupt-test", handled::add);
        try {
            registry.addListener(relay);
            registry.breaker("calibration:S7").forceOpen(clock.nanoTime());
            await(() -> delivered.get() == 1, "the first transition");
            relay.thread().interrupt(); // Agrona's runner stops on an interrupt: that must not go unnoticed
            relay.thread().join(10_000);
            assertFalse(relay.thread().isAlive());
            assertEquals(1, relay.errors());
            assertEquals(1, handled.size());
            assertTrue(handled.get(0).getMessage().contains("relay-interrupt-test stopped before close()"),
                handled.get(0).getMessage());
        } finally {
            relay.close(); // still fine
        }
    }

    private static void await(final BooleanSupplier condition, final String what) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for: " + what);
            Thread.sleep(1);
        }
    }
}
