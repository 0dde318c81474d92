package dev.pipescope.metrics;

import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Samples heap, garbage collection and allocation figures from the platform MXBeans and keeps a
 * {@link HeapTrend} of the heap left after collections — the figure that climbs when something leaks.
 *
 * <p><b>Threading:</b> {@link #sample()} belongs to one sampler thread (it keeps the previous sample to
 * compute intervals). {@link #registerThread(long)} and {@link #unregisterThread(long)} may be called from
 * any thread. Nothing here is on the hot path: MXBean calls allocate, which is fine on the sampler.
 *
 * <p><b>Allocation rate</b> is the sum over threads of {@code ThreadMXBean.getThreadAllocatedBytes}
 * deltas. When threads are registered (normally the processing threads) only those are measured;
 * otherwise every live thread is, a thread first seen in an interval counting all it allocated since it
 * started (it started after the previous sample, or would have been seen then). Bytes allocated by a
 * thread that died within the interval are lost, so the figure is a lower bound.
 *
 * <p><b>Trend</b>: a point (time, old generation after GC — or heap after GC when the collector has no old
 * pool) is added only when a collection happened since the previous sample; between collections the
 * figure is stale and repeating it would flatten the slope.
 */
public final class MemoryGcSampler {
    /** Default trend window: 30 points. */
    public static final int DEFAULT_TREND_WINDOW = 30;
    /** Default minimum points before growth can be reported: 8. */
    public static final int DEFAULT_TREND_MIN_SAMPLES = 8;
    /** Default growth threshold: 1 MiB per minute. */
    public static final double DEFAULT_GROWTH_THRESHOLD_BYTES_PER_MINUTE = 1024.0 * 1024.0;
    /** Default share of rising steps for growth: 0.6. */
    public static final double DEFAULT_MIN_RISING_FRACTION = 0.6;

    private final NanoClock nanoClock;
    private final EpochClock epochClock;
    private final HeapTrend trend;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final MemoryPoolMXBean[] heapPools;
    private final MemoryPoolMXBean oldPool;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Set<Long> registered = ConcurrentHashMap.newKeySet();
    private final Map<Long, Long> lastAllocated = new HashMap<>();

    private long previousNanos;
    private long previousGcCount;
    private long previousGcMillis;

    /**
     * A sampler with the default trend (30 points, at least 8, growth above 1 MiB/min, 60% rising steps).
     *
     * @param nanoClock  monotonic time for intervals and the trend.
     * @param epochClock wall-clock time for the snapshot's timestamp.
     */
    public MemoryGcSampler(final NanoClock nanoClock, final EpochClock epochClock) {
        this(nanoClock, epochClock, new HeapTrend(DEFAULT_TREND_WINDOW, DEFAULT_TREND_MIN_SAMPLES,
            DEFAULT_GROWTH_THRESHOLD_BYTES_PER_MINUTE, DEFAULT_MIN_RISING_FRACTION));
    }

    /**
     * @param nanoClock  monotonic time for intervals and the trend.
     * @param epochClock wall-clock time for the snapshot's timestamp.
     * @param trend      the trend to feed; owned by this sampler from now on.
     */
    public MemoryGcSampler(final NanoClock nanoClock, final EpochClock epochClock, final HeapTrend trend) {
        this.nanoClock = nanoClock;
        this.epochClock = epochClock;
        this.trend = trend;
        heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .toArray(MemoryPoolMXBean[]::new);
        MemoryPoolMXBean old = null;
        for (final MemoryPoolMXBean pool : heapPools) {
            final String name = pool.getName().toLowerCase(Locale.ROOT);
            if (name.contains("old") || name.contains("tenured")) {
                old = pool;
            }
        }
        oldPool = old;
        previousNanos = nanoClock.nanoTime();
        previousGcCount = gcCount();
        previousGcMillis = gcMillis();
        measureAllocated(); // baseline per thread
    }

    /**
     * Measures this thread's allocations from now on (and stops measuring all threads). Any thread.
     *
     * @param threadId the thread's id ({@code Thread.getId()}).
     */
    public void registerThread(final long threadId) {
        registered.add(threadId);
    }

    /**
     * Stops measuring a registered thread. Any thread.
     *
     * @param threadId the thread's id.
     */
    public void unregisterThread(final long threadId) {
        registered.remove(threadId);
    }

    /** @return the trend this sampler feeds (read it on the sampler thread only). */
    public HeapTrend trend() {
        return trend;
    }

    /**
     * Reads the MXBeans and closes the interval. Sampler thread only.
     *
     * @return the snapshot.
     */
    public MemorySnapshot sample() {
        final long now = nanoClock.nanoTime();
        final long epochMillis = epochClock.time();
        final long interval = now - previousNanos;

        final MemoryUsage heap = memory.getHeapMemoryUsage();
        long afterGc = -1;
        for (final MemoryPoolMXBean pool : heapPools) {
            final MemoryUsage usage = pool.getCollectionUsage(); // null for pools the collector doesn't report
            if (usage != null) {
                afterGc = Math.max(afterGc, 0) + usage.getUsed();
            }
        }
        long oldAfterGc = -1;
        if (oldPool != null) {
            final MemoryUsage usage = oldPool.getCollectionUsage();
            oldAfterGc = usage == null ? -1 : usage.getUsed();
        }

        final long gcCount = gcCount();
        final long gcMillis = gcMillis();
        final long gcCountDelta = gcCount - previousGcCount;
        final long gcMillisDelta = gcMillis - previousGcMillis;

        final long allocated = measureAllocated();

        final long signal = oldAfterGc >= 0 ? oldAfterGc : afterGc;
        if (gcCountDelta > 0 && signal >= 0) {
            trend.add(now, signal);
        }

        previousNanos = now;
        previousGcCount = gcCount;
        previousGcMillis = gcMillis;
        return new MemorySnapshot(
            epochMillis,
            now,
            interval,
            heap.getUsed(),
            heap.getCommitted(),
            heap.getMax(),
            afterGc,
            oldAfterGc,
            gcCountDelta,
            gcMillisDelta,
            gcCount,
            gcMillis,
            interval > 0 ? gcMillisDelta * 1e6 / interval : Double.NaN,
            allocated,
            allocated >= 0 && interval > 0 ? allocated * 1e9 / interval : Double.NaN,
            trend.slopeBytesPerSecond(),
            trend.rSquared(),
            trend.size(),
            trend.isGrowing());
    }

    private long gcCount() {
        long total = 0;
        for (final GarbageCollectorMXBean gc : collectors) {
            total += Math.max(0, gc.getCollectionCount()); // -1 means "undefined" for that collector
        }
        return total;
    }

    private long gcMillis() {
        long total = 0;
        for (final GarbageCollectorMXBean gc : collectors) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    /** @return bytes allocated by the measured threads since the previous call, or -1 when unavailable. */
    private long measureAllocated() {
        if (!AllocationMeter.isAvailable()) {
            return -1;
        }
        final boolean onlyRegistered = !registered.isEmpty();
        long[] ids;
        int count;
        if (onlyRegistered) {
            ids = new long[registered.size()];
            count = 0;
            for (final Long id : registered) {
                if (count == ids.length) {
                    ids = Arrays.copyOf(ids, count * 2); // registered while we iterate
                }
                ids[count++] = id;
            }
        } else {
            ids = threads.getAllThreadIds();
            count = ids.length;
        }
        long total = 0;
        final Map<Long, Long> seen = new HashMap<>(count * 2);
        for (int i = 0; i < count; i++) {
            final long id = ids[i];
            final long current = AllocationMeter.threadAllocatedBytes(id);
            if (current < 0) {
                continue; // died or not a live thread
            }
            final Long previous = lastAllocated.get(id);
            if (previous != null) {
                total += Math.max(0, current - previous);
            } else if (!onlyRegistered) {
                total += current; // started since the previous sample: all of it is new
            } // a thread registered after it ran: its history is not this interval's; baseline only
            seen.put(id, current);
        }
        lastAllocated.clear();
        lastAllocated.putAll(seen);
        return total;
    }
}
