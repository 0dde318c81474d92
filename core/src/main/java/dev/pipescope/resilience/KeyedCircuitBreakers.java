package dev.pipescope.resilience;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * The breakers of one dependency indexed by an int key (a sensor id), named
 * {@code dependency + ':' + keyName(key)}, e.g. {@code calibration:S3}. A lookup of an existing breaker is
 * one array read and allocates nothing; a key's first lookup creates its breaker through the registry
 * (allocation and a lock, once). Pre-create breakers at assembly with {@link #get(int)} to keep the first
 * batch allocation-free too. Safe from any thread.
 */
public final class KeyedCircuitBreakers {
    private final CircuitBreakerRegistry registry;
    private final String dependency;
    private final IntFunction<String> keyName;
    private final AtomicReferenceArray<CircuitBreaker> breakers; // volatile reads: safe publication

    KeyedCircuitBreakers(
        final CircuitBreakerRegistry registry, final String dependency, final int keyCapacity, final IntFunction<String> keyName) {
        if (keyCapacity < 1) {
            throw new IllegalArgumentException("keyCapacity must be >= 1, was " + keyCapacity);
        }
        this.registry = registry;
        this.dependency = dependency;
        this.keyName = keyName;
        breakers = new AtomicReferenceArray<>(keyCapacity);
    }

    /** @return the dependency's name. */
    public String dependency() {
        return dependency;
    }

    /** @return keys are {@code 0 .. capacity()-1}. */
    public int capacity() {
        return breakers.length();
    }

    /**
     * @param key a key within {@code 0 .. capacity()-1}.
     * @return its breaker (created on first use).
     * @throws IndexOutOfBoundsException for a key out of range.
     */
    public CircuitBreaker get(final int key) {
        final CircuitBreaker breaker = breakers.get(key);
        return breaker != null ? breaker : create(key);
    }

    /**
     * @param key a key within {@code 0 .. capacity()-1}.
     * @return its breaker, or null when none was created yet (never creates one).
     */
    public CircuitBreaker getIfCreated(final int key) {
        return breakers.get(key);
    }

    private CircuitBreaker create(final int key) {
        final CircuitBreaker breaker = registry.breaker(dependency, keyName.apply(key));
        breakers.set(key, breaker); // racing creators get the same instance from the registry
        return breaker;
    }
}
