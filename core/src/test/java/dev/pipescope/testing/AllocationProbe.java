package dev.pipescope.testing;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.pipescope.metrics.AllocationMeter;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Measures what the calling thread allocates in steady state, in windows of repeated work after a warm-up,
 * with the thread's allocated-bytes counter (test helper, shared with other modules through core's
 * test-jar).
 *
 * <p>How strict a measurement is depends on the JIT the JVM runs with:
 * <ul>
 * <li><b>Without C2</b> ({@code -XX:TieredStopAtLevel=1}, as the build's {@code allocation-without-c2}
 *     surefire run does, or {@code -Xint}): every window must allocate exactly zero bytes. There is no
 *     escape analysis to hide an allocation, and nothing in the runtime allocates on the thread once its
 *     code paths have run, so the figure is the code's own and it is deterministic.</li>
 * <li><b>With C2</b> (the default JVM): at least one of the windows must allocate exactly zero. When a
 *     thread is the first to request a C2 compilation of a method, HotSpot resolves every string constant
 *     of that method's class on that thread ({@code CompileBroker::compile_method} calls
 *     {@code ConstantPool::resolve_string_constants}): a String and its array per literal that had never
 *     run, such as exception messages on cold paths. It happens once per class, but it can happen late — a
 *     class whose methods were only ever inlined gets its first compilation of its own after a
 *     deoptimization — so a window can catch a few hundred bytes once. Allocation per unit of work shows up
 *     in every window and fails the measurement; a one-off does not repeat.</li>
 * </ul>
 */
public final class AllocationProbe {
    /** JUnit tag of the tests that measure allocation; the build runs them again without C2. */
    public static final String TAG = "allocation";

    private static final boolean C2 = detectC2();

    private AllocationProbe() {
    }

    /** A unit of measured work; returns something derived from it so the JIT cannot drop it. */
    @FunctionalInterface
    public interface Round {
        /** @return a value depending on the work done. */
        long run();
    }

    /** @return whether this JVM compiles hot code with C2 (and so may allocate once per class for it). */
    public static boolean c2Compiles() {
        return C2;
    }

    /**
     * Runs {@code warmUpRounds} rounds, then measures up to {@code windows} rounds: all of them without
     * C2, until the first allocation-free one with C2.
     *
     * @param warmUpRounds rounds run before measuring.
     * @param windows      measured rounds at most (at least 1).
     * @param round        the work of one round.
     * @return the bytes each measured round allocated.
     */
    public static Measurement measure(final int warmUpRounds, final int windows, final Round round) {
        if (windows < 1) {
            throw new IllegalArgumentException("windows must be at least 1: " + windows);
        }
        long sink = 0;
        for (int i = 0; i < warmUpRounds; i++) {
            sink += round.run();
        }
        final long[] bytes = new long[windows];
        final long[] compileMillis = new long[windows];
        int measured = 0;
        while (measured < windows) {
            final long compiledBefore = totalCompilationMillis();
            final long before = AllocationMeter.currentThreadAllocatedBytes();
            sink += round.run();
            bytes[measured] = AllocationMeter.currentThreadAllocatedBytes() - before;
            compileMillis[measured++] = totalCompilationMillis() - compiledBefore;
            if (C2 && bytes[measured - 1] == 0) {
                break;
            }
        }
        if (sink == Long.MIN_VALUE) {
            System.out.print(""); // keeps the work alive
        }
        return new Measurement(Arrays.copyOf(bytes, measured), Arrays.copyOf(compileMillis, measured), !C2);
    }

    /** @return the JIT's accumulated compilation time in ms, or 0 where the JVM does not say. */
    private static long totalCompilationMillis() {
        final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    private static boolean detectC2() {
        if (String.valueOf(System.getProperty("java.vm.info")).contains("interpreted mode")) {
            return false;
        }
        try {
            final HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (!Boolean.parseBoolean(vm.getVMOption("TieredCompilation").getValue())) {
                return true; // C2 alone
            }
            return Integer.parseInt(vm.getVMOption("TieredStopAtLevel").getValue()) >= 4;
        } catch (final RuntimeException notHotSpot) {
            return true; // assume an optimizing JIT: the lenient rule
        }
    }

    /**
     * The bytes allocated per measured round.
     *
     * @param windows       bytes per measured round, in order.
     * @param compileMillis JIT compilation time (all compiler threads, ms) during each round: a window that
     *                      allocated while the JIT was busy points at compilation, one that allocated while it
     *                      was idle points at the code.
     * @param exact         whether every round must be zero (no C2) or one suffices (C2).
     */
    public record Measurement(long[] windows, long[] compileMillis, boolean exact) {
        /** @return whether the rule for this JVM holds. */
        public boolean allocationFree() {
            if (exact) {
                return Arrays.stream(windows).allMatch(b -> b == 0);
            }
            return Arrays.stream(windows).anyMatch(b -> b == 0);
        }

        /**
         * Fails unless {@link #allocationFree()}.
         *
         * @param what the measured work, for the message ("5000 batches").
         */
        public void assertAllocationFree(final String what) {
            assertTrue(allocationFree(), () -> "bytes allocated by " + what + ", per measured window: "
                + Arrays.toString(windows) + ", JIT compilation ms in each: " + Arrays.toString(compileMillis) + (exact
                ? " (no C2 in this JVM: every window must be 0)"
                : " (C2: a one-off compilation-time allocation is tolerated, but some window must be 0)"));
        }

        @Override
        public String toString() {
            return Arrays.toString(windows) + (exact ? " exact" : " c2");
        }
    }
}
