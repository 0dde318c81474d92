package dev.pipescope.metrics;

/** A cache's counters, readable from any thread without blocking its single writer. */
public interface CacheStats {
    /** @return lookups answered from the cache. */
    long hits();

    /** @return lookups the cache could not answer. */
    long misses();

    /** @return entries replaced to make room. */
    long evictions();
}
