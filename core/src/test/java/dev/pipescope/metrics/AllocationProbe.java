package dev.pipescope.metrics;

import java.util.Arrays;

/**
 * Measures the bytes the calling thread allocates in a loop after warm-up (test helper).
 *
 * <p>The JIT compiles in the background, so on a busy machine a measured round can still catch a one-off
 * allocation while compiled code is being swapped in. The probe therefore measures up to three rounds and
 * returns the smallest figure: steady-state per-call allocation shows up in every round (100k calls of
 * even one small object is over a megabyte), a one-off does not.
 */
public final class AllocationProbe {
    /** A loop of {@code iterations} calls; returns something derived from the work so it is not dead code. */
    @FunctionalInterface
    public interface Loop {
        /**
         * @param iterations calls to make.
         * @return a value depending on the calls.
         */
        long run(int iterations);
    }

    private static final int WARM_UP_ROUNDS = 3;
    private static final int MEASURED_ROUNDS = 3;

    private long[] rounds = new long[0];

    /**
     * @param loop       the loop.
     * @param iterations calls per round (warm-up and measured).
     * @return the smallest number of bytes allocated by a measured round (0 ends the measuring).
     */
    public long minAllocatedBytes(final Loop loop, final int iterations) {
        long sink = 0;
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
            sink += loop.run(iterations);
        }
        rounds = new long[MEASURED_ROUNDS];
        Arrays.fill(rounds, -1);
        long min = Long.MAX_VALUE;
        for (int round = 0; round < MEASURED_ROUNDS && min != 0; round++) {
            final long before = AllocationMeter.currentThreadAllocatedBytes();
            sink += loop.run(iterations);
            final long after = AllocationMeter.currentThreadAllocatedBytes();
            rounds[round] = after - before;
            min = Math.min(min, after - before);
        }
        if (sink == Long.MIN_VALUE) {
            System.out.print(""); // keeps sink alive
        }
        return min;
    }

    /** @return bytes per measured round of the last measurement (-1: round not needed). */
    public String rounds() {
        return Arrays.toString(rounds);
    }
}
