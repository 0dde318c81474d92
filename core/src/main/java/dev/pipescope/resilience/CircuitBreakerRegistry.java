package dev.pipescope.resilience;

import org.agrona.concurrent.NanoClock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

/**
 * Creates and holds circuit breakers by name, e.g. {@code calibration:S3}.
 *
 * <p>Creation allocates and takes a lock, so it happens at assembly or on a key's first use; hot-path
 * lookups go through {@link KeyedCircuitBreakers#get(int)}, an array read. Readers (health, JMX) list the
 * breakers with {@link #breakers()}, count open ones with {@link #openCount()}, and see them per dependency
 * ("calibration: 10 of 10 open, for 30 s") with {@link #dependencies()} and {@link #dependency(String)};
 * those views allocate and are meant for reporting threads, never the processing thread. All methods are
 * safe from any thread.
 */
public final class CircuitBreakerRegistry {
    private final CircuitBreakerConfig defaults;
    private final NanoClock clock;
    private final ConcurrentHashMap<String, CircuitBreaker> byName = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<CircuitBreaker> all = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<CircuitBreakerListener> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param defaults parameters of breakers this registry creates.
     * @param clock    time at which a breaker is created (its initial state's entry time).
     */
    public CircuitBreakerRegistry(final CircuitBreakerConfig defaults, final NanoClock clock) {
        this.defaults = defaults;
        this.clock = clock;
    }

    /** @return the parameters new breakers start with. */
    public CircuitBreakerConfig defaults() {
        return defaults;
    }

    /**
     * Returns the breaker of that name, creating it with the registry's defaults if needed. Allocates on
     * creation; use at assembly or through {@link KeyedCircuitBreakers} on the hot path.
     *
     * @param name the breaker's name.
     * @return the one breaker with that name.
     */
    public CircuitBreaker breaker(final String name) {
        final CircuitBreaker existing = byName.get(name);
        return existing != null
            ? existing : create(name, CircuitBreaker.dependencyOf(name), CircuitBreaker.keyOf(name));
    }

    /**
     * The breaker named {@code dependency:key}, split there rather than at the first {@code ':'}, so that a
     * dependency whose name holds a {@code ':'} still groups its breakers. A breaker created before under the
     * same name keeps the split it was created with.
     */
    CircuitBreaker breaker(final String dependency, final String key) {
        final String name = dependency + ':' + key;
        final CircuitBreaker existing = byName.get(name);
        return existing != null ? existing : create(name, dependency, key);
    }

    private synchronized CircuitBreaker create(final String name, final String dependency, final String key) {
        CircuitBreaker breaker = byName.get(name);
        if (breaker == null) {
            breaker = new CircuitBreaker(name, dependency, key, defaults, clock.nanoTime(), all.size());
            for (int i = 0; i < listeners.size(); i++) {
                breaker.addListener(listeners.get(i));
            }
            all.add(breaker);
            byName.put(name, breaker); // after the listeners: a breaker found by name is fully wired
        }
        return breaker;
    }

    /**
     * @param name a breaker's name.
     * @return the breaker, or null when none has that name.
     */
    public CircuitBreaker find(final String name) {
        return byName.get(name);
    }

    /**
     * A per-key view for one dependency, for allocation-free lookups on the hot path.
     *
     * @param dependency  the dependency's name, the first part of each breaker name.
     * @param keyCapacity keys are {@code 0 .. keyCapacity-1} (e.g. sensor ids).
     * @param keyName     names a key (e.g. a sensor's name), called once per key on creation.
     * @return the view.
     */
    public KeyedCircuitBreakers keyed(final String dependency, final int keyCapacity, final IntFunction<String> keyName) {
        return new KeyedCircuitBreakers(this, dependency, keyCapacity, keyName);
    }

    /**
     * Adds a listener to every existing and future breaker of this registry.
     *
     * @param listener see {@link CircuitBreakerListener}.
     */
    public synchronized void addListener(final CircuitBreakerListener listener) {
        listeners.add(listener);
        for (int i = 0; i < all.size(); i++) {
            all.get(i).addListener(listener);
        }
    }

    /**
     * Removes a listener from every breaker and from breakers created later.
     *
     * @param listener no longer told.
     */
    public synchronized void removeListener(final CircuitBreakerListener listener) {
        listeners.remove(listener);
        for (int i = 0; i < all.size(); i++) {
            all.get(i).removeListener(listener);
        }
    }

    /**
     * Allocation-free lookup by {@link CircuitBreaker#id()}.
     *
     * @param id a breaker's id, {@code 0 <= id < size()}.
     * @return the breaker created {@code id}-th.
     * @throws IndexOutOfBoundsException when no breaker has that id.
     */
    public CircuitBreaker breakerAt(final int id) {
        return all.get(id);
    }

    /** @return a copy of the list of breakers in creation order. */
    public List<CircuitBreaker> breakers() {
        return List.copyOf(all);
    }

    /** @return how many breakers exist. */
    public int size() {
        return all.size();
    }

    /** @return how many breakers are open or forced open right now. */
    public int openCount() {
        int open = 0;
        final Object[] snapshot = all.toArray();
        for (final Object breaker : snapshot) {
            if (((CircuitBreaker)breaker).isOpen()) {
                open++;
            }
        }
        return open;
    }

    /**
     * The breakers grouped by {@link CircuitBreaker#dependency()}, each group with how many are not closed,
     * which keys those are and the oldest outage start among them. Any thread; allocates (a reporting
     * thread's call, not the processing thread's).
     *
     * @return one view per dependency, in the order their first breakers were created.
     */
    public List<DependencyCircuits> dependencies() {
        final Map<String, List<CircuitBreaker>> grouped = new LinkedHashMap<>();
        for (final Object breaker : all.toArray()) {
            final CircuitBreaker b = (CircuitBreaker)breaker;
            grouped.computeIfAbsent(b.dependency(), d -> new ArrayList<>()).add(b);
        }
        final List<DependencyCircuits> views = new ArrayList<>(grouped.size());
        for (final Map.Entry<String, List<CircuitBreaker>> e : grouped.entrySet()) {
            views.add(DependencyCircuits.of(e.getKey(), e.getValue()));
        }
        return List.copyOf(views);
    }

    /**
     * One dependency's breakers, as in {@link #dependencies()}. Any thread; allocates.
     *
     * @param dependency a dependency's name, e.g. {@code calibration} ({@link ResilientCall#dependency()}).
     * @return its view; an empty one (no breakers, nothing failing) when no breaker belongs to it.
     */
    public DependencyCircuits dependency(final String dependency) {
        final List<CircuitBreaker> members = new ArrayList<>();
        for (final Object breaker : all.toArray()) {
            final CircuitBreaker b = (CircuitBreaker)breaker;
            if (b.dependency().equals(dependency)) {
                members.add(b);
            }
        }
        return DependencyCircuits.of(dependency, members);
    }

    /** @return how many breakers are not closed (open, half-open or forced open). */
    public int notClosedCount() {
        int count = 0;
        final Object[] snapshot = all.toArray();
        for (final Object breaker : snapshot) {
            final CircuitBreaker.State state = ((CircuitBreaker)breaker).state();
            if (state != CircuitBreaker.State.CLOSED && state != CircuitBreaker.State.FORCED_CLOSED) {
                count++;
            }
        }
        return count;
    }
}
