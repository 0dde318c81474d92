package dev.pipescope.jmx;

import dev.pipescope.resilience.CircuitBreaker;
import dev.pipescope.resilience.CircuitBreakerConfig;
import dev.pipescope.resilience.CircuitBreakerRegistry;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CircuitNotificationRelayTest {
    private final CachedNanoClock clock = new CachedNanoClock();
    private final CircuitBreakerRegistry registry = new CircuitBreakerRegistry(CircuitBreakerConfig.DEFAULT, clock);

    @Test
    void transitionsArriveInOrderWithTheirBreakerOnTheRelayThread() throws Exception {
        final List<String> seen = new CopyOnWriteArrayList<>();
        final CountDownLatch four = new CountDownLatch(4);
        try (CircuitNotificationRelay relay = new CircuitNotificationRelay(registry, (b, from, to, millis) -> {
            seen.add(Thread.currentThread().getName() + " " + b.name() + " " + from + "->" + to);
            four.countDown();
        }, 1024, "relay-test")) {
            registry.addListener(relay);
            final CircuitBreaker s3 = registry.breaker("calibration:S3");
            final CircuitBreaker s4 = registry.breaker("calibration:S4");
            s3.forceOpen(clock.nanoTime());
            s4.forceOpen(clock.nanoTime());
            s3.reset(clock.nanoTime());
            s4.forceClose(clock.nanoTime());
            assertTrue(four.await(5, TimeUnit.SECONDS), "relayed: " + seen);
            relay.close(); // joins the relay thread: its counters are final (the target runs before the count)
            assertEquals(List.of("relay-test calibration:S3 CLOSED->FORCED_OPEN", "relay-test calibration:S4 CLOSED->FORCED_OPEN",
                "relay-test calibration:S3 FORCED_OPEN->CLOSED", "relay-test calibration:S4 FORCED_OPEN->FORCED_CLOSED"), seen);
            assertEquals(4, relay.relayed());
            assertEquals(0, relay.dropped());
        }
    }

    @Test
    void aFullRingDropsAndCountsAndCloseDeliversEverythingAccepted() throws Exception {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch firstArrived = new CountDownLatch(1);
        final CircuitNotificationRelay relay = new CircuitNotificationRelay(registry, (b, from, to, millis) -> {
            firstArrived.countDown();
            try {
                release.await(); // a stuck consumer: the ring fills behind it
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, 1024, "relay-full-test");
        registry.addListener(relay);
        final CircuitBreaker b = registry.breaker("calibration:S1");
        b.forceOpen(clock.nanoTime());
        assertTrue(firstArrived.await(5, TimeUnit.SECONDS));
        final int more = 200; // 1 KiB holds 32 transitions of 32 bytes
        for (int i = 0; i < more / 2; i++) {
            b.forceClose(clock.nanoTime());
            b.forceOpen(clock.nanoTime());
        }
        assertTrue(relay.dropped() > 0, "some were dropped: " + relay.dropped());
        release.countDown();
        relay.close();
        assertEquals(1 + more, relay.relayed() + relay.dropped(), "each transition relayed or counted as dropped");
        assertTrue(relay.relayed() >= 32, "the ring's worth was delivered on close: " + relay.relayed());
    }

    @Test
    void aFailingTargetCountsADropAndTheRelayGoesOn() throws Exception {
        final CountDownLatch second = new CountDownLatch(1);
        try (CircuitNotificationRelay relay = new CircuitNotificationRelay(registry, (b, from, to, millis) -> {
            if (to == CircuitBreaker.State.FORCED_OPEN) {
                throw new IllegalStateException("listener bug");
            }
            second.countDown();
        }, 1024, "relay-failing-test")) {
            registry.addListener(relay);
            final CircuitBreaker b = registry.breaker("calibration:S2");
            b.forceOpen(clock.nanoTime());
            b.reset(clock.nanoTime());
            assertTrue(second.await(5, TimeUnit.SECONDS), "the next transition still arrives");
            relay.close(); // joins the relay thread: its counters are final (the target runs before the count)
            assertEquals(1, relay.dropped());
            assertEquals(1, relay.relayed());
        }
    }
}
