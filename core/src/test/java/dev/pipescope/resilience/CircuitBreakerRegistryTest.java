package dev.pipescope.resilience;

import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CircuitBreakerRegistryTest {
    @Test
    void keyedBreakersAreNamedCreatedOnceAndCounted() {
        final CachedNanoClock clock = new CachedNanoClock();
        final CircuitBreakerRegistry registry = new CircuitBreakerRegistry(CircuitBreakerConfig.DEFAULT, clock);
        final AtomicInteger transitions = new AtomicInteger();
        registry.addListener((cb, from, to, now) -> transitions.incrementAndGet());
        final KeyedCircuitBreakers calibration = registry.keyed("calibration", 8, id -> "S" + id);

        final CircuitBreaker s3 = calibration.get(3);
        assertEquals("calibration:S3", s3.name());
        assertSame(s3, calibration.get(3));
        assertSame(s3, registry.find("calibration:S3"));
        assertSame(s3, registry.breaker("calibration:S3"));
        assertNull(registry.find("calibration:S4"));
        calibration.get(4);
        assertEquals(2, registry.size());
        assertEquals(0, registry.openCount());

        s3.forceOpen(clock.nanoTime());
        assertEquals(1, registry.openCount());
        assertEquals(1, registry.notClosedCount());
        assertEquals(1, transitions.get(), "registry listeners reach every breaker");
        assertEquals(2, registry.breakers().size());
    }

    @Test
    void idsFollowCreationOrderAndFindTheBreakerAgain() {
        final CircuitBreakerRegistry registry =
            new CircuitBreakerRegistry(CircuitBreakerConfig.DEFAULT, new CachedNanoClock());
        final CircuitBreaker a = registry.breaker("calibration:S7");
        final CircuitBreaker b = registry.breaker("lookup:S1");
        assertEquals(0, a.id());
        assertEquals(1, b.id());
        assertSame(a, registry.breaker("calibration:S7"), "asking again creates nothing");
        assertSame(b, registry.breakerAt(1));
        assertSame(a, registry.breakerAt(a.id()));
        assertThrows(IndexOutOfBoundsException.class, () -> registry.breakerAt(2));
        assertEquals(-1, new CircuitBreaker("standalone", CircuitBreakerConfig.DEFAULT, 0).id());
    }
}
