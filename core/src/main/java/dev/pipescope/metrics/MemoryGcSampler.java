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
import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Samples heap, garbage collection and allocation figures from the platform MXBeans, and estimates the
 * live set and whether it is growing (the leak signal) from the collectors' notifications.
 *
 * <p><b>Threading:</b> {@link #sample()} belongs to one sampler thread (it keeps the previous sample to
 * compute intervals, and owns the trends). {@link #registerThread(long)} and {@link #unregisterThread(long)}
 * may be called from any thread, {@link #close()} too. Nothing here is on the hot path: MXBean calls
 * allocate, which is fine on the sampler.
 *
 * <p><b>Allocation rate</b> is the sum over threads of {@code ThreadMXBean.getThreadAllocatedBytes}
 * deltas. When threads are registered (normally the processing threads) only those are measured;
 * otherwise every live thread is, a thread first seen in an interval counting all it allocated since it
 * started (it started after the previous sample, or would have been seen then). Bytes allocated by a
 * thread that died within the interval are lost, so the figure is a lower bound.
 *
 * <p><b>Live set and growth:</b> the sampler subscribes to every collector's
 * {@code GarbageCollectionNotificationInfo} notifications and records the heap in use after EACH
 * collection (summed over heap pools). The pools' {@code getCollectionUsage()}, which this class used to
 * trend, is only updated for the old generation by a full collection on G1, Parallel and Serial, so it stayed
 * flat under a leak until just before {@code OutOfMemoryError}. The after-GC values are handed from the
 * notification thread through a lock-free queue and fed, at each sample, to two {@link LiveSetTrend}s:
 * a fast one (quarter-second floors, for leaks that exhaust the heap within seconds to minutes) and a slow
 * one (ten-second floors, for leaks over minutes to hours). Growth is reported when either reports it.
 * See {@link MemorySnapshot} for what each figure means.
 *
 * <p><b>Lifecycle:</b> the subscription lasts until {@link #close()}. A sampler that is dropped without being
 * closed is unsubscribed once it is garbage collected, so a forgotten close leaks nothing for long, but the
 * owner should close it.
 */
public final class MemoryGcSampler implements AutoCloseable {
    /** Unsubscribes samplers their owner forgot to close; one daemon thread for all of them. */
    private static final Cleaner CLEANER = Cleaner.create();

    private final NanoClock nanoClock;
    private final EpochClock epochClock;
    private final LiveSetTrend fast;
    private final LiveSetTrend slow;
    private final GcNotificationFeed feed;
    private final Cleaner.Cleanable unsubscribe;
    private final Consumer<GcNotificationFeed.Event> onEvent = this::onEvent;
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
    private long intervalNotifications;
    private long intervalMajors;

    /**
     * A sampler with the default trends ({@link LiveSetTrend.Settings#fast()} and
     * {@link LiveSetTrend.Settings#slow()}). Subscribes to the collectors' notifications until {@link #close()}.
     *
     * @param nanoClock  monotonic time for intervals.
     * @param epochClock wall-clock time for the snapshot's timestamp.
     */
    public MemoryGcSampler(final NanoClock nanoClock, final EpochClock epochClock) {
        this(nanoClock, epochClock, LiveSetTrend.Settings.fast(), LiveSetTrend.Settings.slow());
    }

    /**
     * Subscribes to the collectors' notifications until {@link #close()}.
     *
     * @param nanoClock    monotonic time for intervals.
     * @param epochClock   wall-clock time for the snapshot's timestamp.
     * @param fastSettings the fast live-set trend's tuning.
     * @param slowSettings the slow live-set trend's tuning.
     */
    public MemoryGcSampler(final NanoClock nanoClock, final EpochClock epochClock,
        final LiveSetTrend.Settings fastSettings, final LiveSetTrend.Settings slowSettings) {
        this.nanoClock = nanoClock;
        this.epochClock = epochClock;
        heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .toArray(MemoryPoolMXBean[]::new);
        MemoryPoolMXBean old = null;
        final Set<String> heapPoolNames = new HashSet<>();
        for (final MemoryPoolMXBean pool : heapPools) {
            heapPoolNames.add(pool.getName());
            final String name = pool.getName().toLowerCase(Locale.ROOT);
            if (name.contains("old") || name.contains("tenured")) {
                old = pool;
            }
        }
        oldPool = old;
        final long limit = liveSetLimit();
        fast = new LiveSetTrend(fastSettings, limit);
        slow = new LiveSetTrend(slowSettings, limit);
        previousNanos = nanoClock.nanoTime();
        previousGcCount = gcCount();
        previousGcMillis = gcMillis();
        measureAllocated(); // baseline per thread
        feed = new GcNotificationFeed(collectors, heapPoolNames, GcNotificationFeed.DEFAULT_CAPACITY);
        // the action holds the feed only, never this sampler, or the sampler could never become unreachable
        unsubscribe = CLEANER.register(this, feed::close);
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

    /**
     * The most the live set can reach before the collector runs out of room: the old generation's maximum
     * when the collector has an old pool with a defined maximum (Serial and Parallel: there, live objects
     * must fit in the old generation, about two thirds of {@code -Xmx} by default, and full collections
     * thrash well before the whole heap is used), otherwise the heap's maximum (G1, whose old "pool" may
     * take any region and reports {@code -Xmx}; ZGC, which has a single pool).
     *
     * @return bytes, or -1 when undefined.
     */
    private long liveSetLimit() {
        final long heapMax = memory.getHeapMemoryUsage().getMax();
        if (oldPool != null) {
            final long oldMax = oldPool.getUsage().getMax();
            if (oldMax > 0) {
                return heapMax > 0 ? Math.min(oldMax, heapMax) : oldMax;
            }
        }
        return heapMax;
    }

    /**
     * Unsubscribes from the collectors' notifications; later samples report no new collections. Idempotent,
     * any thread.
     */
    @Override
    public void close() {
        unsubscribe.clean();
    }

    private void onEvent(final GcNotificationFeed.Event event) {
        intervalNotifications++;
        if (event.major()) {
            intervalMajors++;
        }
        fast.onCollection(event.timeNanos(), event.afterGcBytes());
        slow.onCollection(event.timeNanos(), event.afterGcBytes());
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

        intervalNotifications = 0;
        intervalMajors = 0;
        feed.drain(onEvent);

        // prefer the fast scale while it reports growth (it is the urgent one), then the slow one once it has a
        // window's worth of floors, since its slope is the steadier figure when nothing is growing
        final LiveSetTrend decisive = fast.isGrowing() ? fast
            : slow.isGrowing() || slow.size() >= slow.settings().minSamples() ? slow : fast;
        final boolean growing = fast.isGrowing() || slow.isGrowing();
        final double slope = decisive.slopeBytesPerSecond();
        final long liveSet = fast.liveSetBytes();
        final long limit = fast.limitBytes();
        final double share = limit > 0 && liveSet >= 0 ? (double) liveSet / limit : Double.NaN;
        final double secondsToExhaustion = growing && limit > 0 && liveSet >= 0 && slope > 0
            ? Math.max(0.0, (limit - liveSet) / slope) : Double.NaN;

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
            slope,
            decisive.rSquared(),
            decisive.trendSamples(),
            growing,
            liveSet,
            limit,
            share,
            intervalNotifications,
            intervalMajors,
            slope,
            growing,
            secondsToExhaustion,
            feed.dropped());
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
