package dev.pipescope.metrics;

import dev.pipescope.resilience.ResilientCall;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where stages register what the health dashboard and management adapters should watch besides the
 * per-stage metrics: caches and resilient calls to dependencies. Registration happens at assembly
 * ({@code Stage.open}); readers take copies, so nothing here is on the hot path.
 */
public final class MetricsRegistry {
    private final Map<String, CacheStats> caches = new LinkedHashMap<>();
    private final CopyOnWriteArrayList<ResilientCall> calls = new CopyOnWriteArrayList<>();

    /**
     * @param name  the cache's name in reports, e.g. the stage's name.
     * @param cache its counters.
     */
    public synchronized void registerCache(final String name, final CacheStats cache) {
        caches.put(name, cache);
    }

    /** @param call a resilient call whose retries, failures and short circuits count in the windows. */
    public void registerCall(final ResilientCall call) {
        calls.addIfAbsent(call);
    }

    /** @return the registered caches by name, in registration order (a copy). */
    public synchronized Map<String, CacheStats> caches() {
        return new LinkedHashMap<>(caches);
    }

    /** @return the registered calls. */
    public List<ResilientCall> calls() {
        return List.copyOf(calls);
    }
}
