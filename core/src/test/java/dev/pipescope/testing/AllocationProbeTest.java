package dev.pipescope.testing;

import dev.pipescope.metrics.AllocationMeter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The allocation probe can fail, and it applies the rule that fits the JVM it runs in. */
@Tag(AllocationProbe.TAG)
class AllocationProbeTest {
    private Object escaped; // where allocations go so no JIT can remove them
    private int calls;

    @BeforeAll
    static void counterAvailable() {
        assumeTrue(AllocationMeter.isAvailable());
    }

    @Test
    void detectsTheJitTheBuildAsksFor() {
        final boolean withoutC2 = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .anyMatch(a -> a.equals("-XX:TieredStopAtLevel=1") || a.equals("-Xint"));
        assertEquals(!withoutC2, AllocationProbe.c2Compiles());
    }

    @Test
    void allocationInEveryRoundFailsUnderEitherRule() {
        final AllocationProbe.Measurement m = AllocationProbe.measure(2, 3, () -> {
            for (int i = 0; i < 1_000; i++) {
                escaped = new long[4];
            }
            return 1;
        });
        assertFalse(m.allocationFree(), m.toString());
        assertEquals(3, m.windows().length, "every window measured: " + m);
        assertTrue(m.windows()[0] >= 1_000 * 48L, "a thousand 48-byte arrays per window: " + m);
        assertThrows(AssertionError.class, () -> m.assertAllocationFree("escaping arrays"));
    }

    @Test
    void aOneOffIsToleratedOnlyWithC2() {
        calls = 0;
        final AllocationProbe.Measurement m = AllocationProbe.measure(1, 3, () -> {
            if (++calls == 2) { // the first measured window only
                escaped = new byte[400];
            }
            return calls;
        });
        assertTrue(m.windows()[0] >= 400, m.toString());
        assertEquals(AllocationProbe.c2Compiles(), m.allocationFree(), m.toString());
        if (AllocationProbe.c2Compiles()) {
            assertTrue(m.windows()[m.windows().length - 1] == 0, "with C2 it stops at a zero window: " + m);
        } else {
            assertEquals(3, m.windows().length, "without C2 every window is measured: " + m);
        }
    }

    @Test
    void rejectsNoWindow() {
        assertThrows(IllegalArgumentException.class, () -> AllocationProbe.measure(0, 0, () -> 0));
    }
}
