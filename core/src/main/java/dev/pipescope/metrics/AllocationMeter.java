package dev.pipescope.metrics;

import java.lang.management.ManagementFactory;

/**
 * Reads how many bytes the current thread has allocated since it started, through HotSpot's
 * {@code com.sun.management.ThreadMXBean}. Use the difference of two readings around a piece of work,
 * e.g. to feed {@link StageMetrics#recordAllocatedBytes(long)}.
 *
 * <p>The MXBean is looked up once; {@link #currentThreadAllocatedBytes()} is a direct call into the VM
 * that does not allocate (on JDK 17 the current-thread variant no longer builds the thread-id arrays the
 * older {@code getThreadAllocatedBytes(long)} path used). Any thread may call it, for itself. The figure
 * includes the used part of the thread's current allocation buffer, so a difference of zero means the
 * work between the two readings allocated nothing on the heap.
 */
public final class AllocationMeter {
    private static final com.sun.management.ThreadMXBean THREADS;
    private static final boolean AVAILABLE;

    static {
        com.sun.management.ThreadMXBean threads = null;
        boolean available = false;
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean hotspot
            && hotspot.isThreadAllocatedMemorySupported()) {
            threads = hotspot;
            try {
                if (!hotspot.isThreadAllocatedMemoryEnabled()) {
                    hotspot.setThreadAllocatedMemoryEnabled(true);
                }
                available = hotspot.isThreadAllocatedMemoryEnabled();
            } catch (final SecurityException | UnsupportedOperationException ex) {
                available = false; // measured figures are then reported as unavailable (-1), not guessed
            }
        }
        THREADS = threads;
        AVAILABLE = available;
    }

    private AllocationMeter() {
    }

    /** @return true when per-thread allocation accounting is supported and enabled in this JVM. */
    public static boolean isAvailable() {
        return AVAILABLE;
    }

    /**
     * Allocation-free; callable on any thread, about itself.
     *
     * @return bytes allocated by the calling thread since it started, or -1 when not available.
     */
    public static long currentThreadAllocatedBytes() {
        return AVAILABLE ? THREADS.getCurrentThreadAllocatedBytes() : -1;
    }

    /**
     * Reader side (allocates nothing itself, but is a VM call per thread).
     *
     * @param threadId a live thread's id.
     * @return bytes it allocated since it started, or -1 when not available or the thread is gone.
     */
    public static long threadAllocatedBytes(final long threadId) {
        return AVAILABLE ? THREADS.getThreadAllocatedBytes(threadId) : -1;
    }
}
