package dev.pipescope.metrics;

import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The child JVM of {@link LiveSetGrowthAcrossCollectorsTest}: a pipeline stand-in that allocates garbage
 * at a steady rate, optionally retains (leaks) a fixed amount every tick, and samples a
 * {@link MemoryGcSampler} every 250 ms like the health reporter would.
 *
 * <p>Arguments: bytes leaked per 10 ms tick, bytes of garbage per tick, duration in seconds. Prints one
 * {@code SAMPLE} line per sample, then either {@code GROWING} (and exits) the first time {@code heapGrowing}
 * is true, or {@code NO_GROWTH} once the duration is over. Run it with {@code -XX:+ExitOnOutOfMemoryError}
 * so that running out of heap ends it at once, without a {@code GROWING} line.
 */
public final class LeakingChild {
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final int GARBAGE_OBJECT_BYTES = 1024;

    /** Keeps garbage from being optimised away. */
    private static volatile Object sink;

    private LeakingChild() {
    }

    /**
     * @param args leaked bytes per tick, garbage bytes per tick, duration in seconds.
     */
    public static void main(final String[] args) {
        final int leakPerTick = Integer.parseInt(args[0]);
        final int garbagePerTick = Integer.parseInt(args[1]);
        final long durationNanos = (long) (Double.parseDouble(args[2]) * 1e9);
        final List<byte[]> retained = new ArrayList<>();
        final long start = System.nanoTime();
        long notified = 0;
        try (MemoryGcSampler sampler = new MemoryGcSampler(SystemNanoClock.INSTANCE, SystemEpochClock.INSTANCE)) {
            long nextTick = start;
            long nextSample = start + SAMPLE_NANOS;
            while (System.nanoTime() - start < durationNanos) {
                for (int i = 0; i < garbagePerTick / GARBAGE_OBJECT_BYTES; i++) {
                    sink = new byte[GARBAGE_OBJECT_BYTES];
                }
                if (leakPerTick > 0) {
                    retained.add(new byte[leakPerTick]);
                }
                final long now = System.nanoTime();
                if (now >= nextSample) {
                    nextSample += SAMPLE_NANOS;
                    final MemorySnapshot s = sampler.sample();
                    notified += s.gcNotifications();
                    final double elapsed = (now - start) / 1e9;
                    System.out.println(line("SAMPLE", elapsed, s, notified, retained.size() * (long) leakPerTick));
                    if (s.heapGrowing()) {
                        System.out.println(line("GROWING", elapsed, s, notified, retained.size() * (long) leakPerTick));
                        System.out.flush();
                        return;
                    }
                }
                // a fixed schedule, so that a slow tick is caught up and the rates hold per wall-clock second
                nextTick += TICK_NANOS;
                final long wait = nextTick - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            System.out.println(String.format(Locale.ROOT, "NO_GROWTH elapsed=%.2f notified=%d",
                (System.nanoTime() - start) / 1e9, notified));
        }
    }

    private static String line(final String what, final double elapsed, final MemorySnapshot s, final long notified,
        final long leaked) {
        return String.format(Locale.ROOT,
            "%s elapsed=%.2f share=%.3f live=%d limit=%d slope=%.0f tte=%.1f floors=%d notified=%d majors=%d leaked=%d",
            what, elapsed, s.liveSetShareOfLimit(), s.liveSetBytes(), s.liveSetLimitBytes(),
            s.liveSetSlopeBytesPerSecond(), s.secondsToExhaustion(), s.trendSamples(), notified,
            s.majorGcNotifications(), leaked);
    }
}
