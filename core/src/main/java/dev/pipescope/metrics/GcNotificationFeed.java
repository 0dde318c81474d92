package dev.pipescope.metrics;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationFilter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Hands the heap left after each garbage collection from the JMX notification thread to the sampler
 * thread. Subscribed on construction to every collector bean that emits notifications; {@link #close()}
 * unsubscribes.
 *
 * <p>The notification thread parses the notification (it allocates; that thread is the JDK's, not ours)
 * and offers an immutable {@link Event} to a bounded lock-free queue; the sampler thread drains it. A full
 * queue drops the newest event and counts it, so a sampler that stops sampling costs a bounded amount of
 * memory, never a blocked notification thread.
 *
 * <p>Pause notifications of concurrent collectors ({@code "ZGC Pauses"}, {@code "Shenandoah Pauses"}, whose
 * action is {@code "end of GC pause"}) are skipped: they describe the heap at a pause inside a cycle, not
 * after reclamation; JDK 17's ZGC reports 0 bytes for them. The cycles' notifications carry the figure.
 */
final class GcNotificationFeed implements AutoCloseable {
    /** Events buffered between samples: at 1 s sampling that is room for ~1000 collections per second. */
    static final int DEFAULT_CAPACITY = 1024;

    /**
     * One collection as the sampler sees it.
     *
     * @param timeNanos    when it ended, nanoseconds since the JVM started ({@code GcInfo.getEndTime()}, which
     *                     has millisecond resolution). Notifications arrive late by a variable delay, so this
     *                     is the collector's time, not the arrival time.
     * @param afterGcBytes heap in use right after it, summed over the heap pools.
     * @param major        the collector reported it as a major collection ({@code "end of major GC"}: a
     *                     full or old-generation stop-the-world collection of Serial, Parallel or G1).
     * @param gcName       the collector bean's name.
     */
    record Event(long timeNanos, long afterGcBytes, boolean major, String gcName) {
    }

    private static final NotificationFilter GC_ONLY = n ->
        GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType());

    private final Set<String> heapPoolNames;
    private final ManyToOneConcurrentArrayQueue<Event> queue;
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onNotification;
    private final AtomicLong dropped = new AtomicLong();
    private boolean closed;

    /**
     * Subscribes to every collector that emits notifications.
     *
     * @param collectors    the collector beans.
     * @param heapPoolNames names of the heap memory pools, whose after-GC usage is summed.
     * @param capacity      events buffered between two drains.
     */
    GcNotificationFeed(
        final List<GarbageCollectorMXBean> collectors, final Set<String> heapPoolNames, final int capacity) {
        this.heapPoolNames = Set.copyOf(heapPoolNames);
        this.queue = new ManyToOneConcurrentArrayQueue<>(capacity);
        try {
            for (final GarbageCollectorMXBean gc : collectors) {
                if (gc instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener(listener, GC_ONLY, null);
                    emitters.add(emitter);
                }
            }
        } catch (final RuntimeException e) {
            close(); // nobody will hold a half-built feed to close it later
            throw e;
        }
    }

    /** @return true when at least one collector is subscribed; false means no after-GC signal at all. */
    boolean isSubscribed() {
        return !emitters.isEmpty();
    }

    private void onNotification(final Notification notification, final Object handback) {
        try {
            final GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            final String action = info.getGcAction().toLowerCase(Locale.ROOT);
            if (action.contains("pause")) {
                return;
            }
            final GcInfo gcInfo = info.getGcInfo();
            long after = 0;
            for (final Map.Entry<String, MemoryUsage> e : gcInfo.getMemoryUsageAfterGc().entrySet()) {
                if (heapPoolNames.contains(e.getKey())) {
                    after += e.getValue().getUsed();
                }
            }
            final Event event = new Event(gcInfo.getEndTime() * 1_000_000L, after, action.contains("major"),
                info.getGcName());
            if (!queue.offer(event)) {
                dropped.incrementAndGet();
            }
        } catch (final RuntimeException e) {
            // never let a surprise in the JDK's data reach its notification thread; it is a lost collection
            dropped.incrementAndGet();
        }
    }

    /**
     * Hands every buffered event to the consumer, oldest first. Sampler thread only.
     *
     * @param consumer receives the events.
     * @return events drained.
     */
    int drain(final Consumer<Event> consumer) {
        return queue.drain(consumer);
    }

    /** @return collections lost since construction: queue full, or a notification that could not be read. */
    long dropped() {
        return dropped.get();
    }

    /** Unsubscribes from every collector; idempotent. Safe from any thread, including a cleaner's. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (final NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener, GC_ONLY, null);
            } catch (final ListenerNotFoundException e) {
                // already gone: nothing to undo
            }
        }
    }
}
