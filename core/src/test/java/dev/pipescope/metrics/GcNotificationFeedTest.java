package dev.pipescope.metrics;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import org.junit.jupiter.api.Test;

import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.NotificationEmitter;
import javax.management.ObjectName;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-over from the notification thread, driven by a collector bean of our own that sends real
 * {@link GarbageCollectionNotificationInfo} data (built around a {@link GcInfo} of this JVM's last collection).
 */
class GcNotificationFeedTest {
    /** A collector bean that only broadcasts what the test tells it to. */
    private static final class FakeCollector extends NotificationBroadcasterSupport
        implements GarbageCollectorMXBean, NotificationEmitter {
        private long sequence;

        void send(final String action, final GcInfo info) {
            final Notification n = new Notification(
                GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION, this, ++sequence);
            n.setUserData(new GarbageCollectionNotificationInfo("Fake", action, "test", info).toCompositeData(null));
            sendNotification(n);
        }

        void sendGarbage() {
            final Notification n = new Notification(
                GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION, this, ++sequence);
            n.setUserData("not composite data");
            sendNotification(n);
        }

        void sendOtherType() {
            sendNotification(new Notification("something.else", this, ++sequence));
        }

        @Override
        public long getCollectionCount() {
            return sequence;
        }

        @Override
        public long getCollectionTime() {
            return 0;
        }

        @Override
        public String getName() {
            return "Fake";
        }

        @Override
        public boolean isValid() {
            return true;
        }

        @Override
        public String[] getMemoryPoolNames() {
            return new String[0];
        }

        @Override
        public ObjectName getObjectName() {
            return null;
        }

        @Override
        public MBeanNotificationInfo[] getNotificationInfo() {
            return new MBeanNotificationInfo[0];
        }
    }

    private static GcInfo lastGcInfo() {
        System.gc();
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            final GcInfo info = ((com.sun.management.GarbageCollectorMXBean) gc).getLastGcInfo();
            if (info != null) {
                return info;
            }
        }
        throw new AssertionError("no collector reports its last collection");
    }

    private static Set<String> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    }

    @Test
    void handsOverHeapAfterEachCollectionSkippingPausesAndCountingWhatIsLost() {
        final GcInfo info = lastGcInfo();
        final Set<String> heap = heapPools();
        long expectedAfter = 0;
        for (final var e : info.getMemoryUsageAfterGc().entrySet()) {
            if (heap.contains(e.getKey())) {
                expectedAfter += e.getValue().getUsed();
            }
        }
        long everything = 0;
        for (final MemoryUsage u : info.getMemoryUsageAfterGc().values()) {
            everything += u.getUsed();
        }
        assertTrue(everything > expectedAfter, "non-heap pools (metaspace, code cache) are in the data too");

        final FakeCollector collector = new FakeCollector();
        final List<GcNotificationFeed.Event> events = new ArrayList<>();
        try (GcNotificationFeed feed = new GcNotificationFeed(List.of(collector), heap, 4)) {
            assertTrue(feed.isSubscribed());
            collector.send("end of minor GC", info);
            collector.send("end of major GC", info);
            collector.send("end of GC pause", info); // ZGC/Shenandoah pauses: not an after-GC figure
            collector.sendOtherType(); // filtered out before it reaches the listener
            assertEquals(2, feed.drain(events::add));
            assertEquals(expectedAfter, events.get(0).afterGcBytes(), "heap pools only");
            assertFalse(events.get(0).major());
            assertTrue(events.get(1).major());
            assertEquals(info.getEndTime() * 1_000_000L, events.get(0).timeNanos(), "the collector's end time");
            assertEquals("Fake", events.get(0).gcName());

            for (int i = 0; i < 6; i++) { // room for 4
                collector.send("end of minor GC", info);
            }
            collector.sendGarbage();
            assertEquals(3, feed.dropped(), "2 beyond the capacity and 1 unreadable");
            events.clear();
            assertEquals(4, feed.drain(events::add));

            feed.close();
            collector.send("end of minor GC", info);
            assertEquals(0, feed.drain(events::add), "closed: unsubscribed");
        }
    }
}
