package dev.pipescope.resilience;

import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void breakersAreGroupedByDependencyWithTheirFailingKeysAndOldestOutage() {
        final CachedNanoClock clock = new CachedNanoClock();
        final long s = 1_000_000_000L;
        final CircuitBreakerRegistry registry = new CircuitBreakerRegistry(
            new CircuitBreakerConfig(0.5, 10, 2, 2 * s, 1, 10), clock);
        final KeyedCircuitBreakers calibration = registry.keyed("calibration", 10, id -> "S" + id);
        for (int id = 0; id < 10; id++) {
            calibration.get(id);
        }
        final CircuitBreaker lookup = registry.breaker("lookup");
        clock.update(100 * s);
        for (int id = 0; id < 10; id++) { // every sensor fails; S0 first, S9 0.9 s later
            final CircuitBreaker b = calibration.get(id);
            for (int i = 0; i < 2; i++) {
                final long now = clock.nanoTime();
                assertTrue(b.tryAcquire(now));
                b.onFailure(now);
            }
            clock.advance(s / 10);
        }
        for (int probe = 0; probe < 14; probe++) { // 28 s more of failed half-open probes, 2 s apart
            clock.advance(2 * s);
            for (int id = 0; id < 10; id++) {
                final CircuitBreaker b = calibration.get(id);
                final long now = clock.nanoTime();
                if (b.tryAcquire(now)) {
                    b.onFailure(now);
                }
            }
        }
        clock.advance(s / 10);
        final long now = clock.nanoTime();

        final List<DependencyCircuits> views = registry.dependencies();
        assertEquals(List.of("calibration", "lookup"), views.stream().map(DependencyCircuits::dependency).toList());
        final DependencyCircuits cal = views.get(0);
        assertEquals(10, cal.size());
        assertEquals(10, cal.notClosedCount(), "10 of 10 sensors open");
        assertEquals(List.of("S0", "S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9"), cal.failingKeys());
        assertEquals(100 * s, cal.oldestOutageStartedNanos(), "S0's first opening, not its latest probe");
        assertEquals(29 * s + s / 10, cal.oldestOutageNanos(now), "S0 has been out for 29.1 s");
        assertTrue(now - calibration.get(0).stateEnteredNanos() < 2 * s, "each breaker's open period is recent");
        assertEquals(calibration.get(3), cal.breakers().get(3));

        final DependencyCircuits single = views.get(1);
        assertEquals(List.of(lookup), single.breakers());
        assertEquals(0, single.notClosedCount());
        assertEquals(CircuitBreaker.NONE, single.oldestOutageStartedNanos());
        assertEquals(0, single.oldestOutageNanos(now));
        assertEquals("", lookup.key(), "a name without ':' has no key");

        calibration.get(0).reset(now);
        calibration.get(1).forceClose(now);
        calibration.get(2).forceOpen(now); // joins its outage in progress
        final DependencyCircuits later = registry.dependency("calibration");
        assertEquals(8, later.notClosedCount(), "closed and forced closed are not failing");
        assertEquals("S2", later.failingKeys().get(0));
        assertEquals(100 * s + 2 * s / 10, later.oldestOutageStartedNanos(), "now S2's outage is the oldest");
        assertEquals(10, cal.notClosedCount(), "a view taken earlier does not change");
    }

    @Test
    void aKeyedDependencyMayContainAColonAndAnUnknownOneIsEmpty() {
        final CircuitBreakerRegistry registry =
            new CircuitBreakerRegistry(CircuitBreakerConfig.DEFAULT, new CachedNanoClock());
        final CircuitBreaker b = registry.keyed("geo:eu", 2, id -> "S" + id).get(1);
        assertEquals("geo:eu:S1", b.name());
        assertEquals("geo:eu", b.dependency(), "split where keyed() joined, not at the first ':'");
        assertEquals("S1", b.key());
        assertEquals(List.of(b), registry.dependency("geo:eu").breakers());
        final CircuitBreaker plain = registry.breaker("calibration:S3:raw");
        assertEquals("calibration", plain.dependency(), "other names split at the first ':'");
        assertEquals("S3:raw", plain.key());
        final DependencyCircuits unknown = registry.dependency("nothing");
        assertEquals(0, unknown.size());
        assertEquals(List.of(), unknown.failingKeys());
        final CircuitBreaker standalone = new CircuitBreaker("calibration:S4", CircuitBreakerConfig.DEFAULT, 0);
        assertEquals("calibration", standalone.dependency());
        assertEquals("S4", standalone.key());
    }
}
