package dev.pipescope.log;

import dev.pipescope.metrics.AllocationMeter;
import dev.pipescope.testing.AllocationProbe;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The writer agent's side of the async sink: draining lines into the delegate, flushing when caught up and
 * idling in between allocates nothing per line, on the writer thread, in steady state. (The producer side
 * is measured by {@link ZeroAllocationTest}.) Same rule as {@link AllocationProbe}: without C2 every window
 * must be 0 bytes, with C2 one of up to five.
 */
@Tag(AllocationProbe.TAG)
class AsyncLogSinkAllocationTest {
    private static final int LINES_PER_ROUND = 20_000;
    private static final int WARM_UP_ROUNDS = 15;
    private static final int WINDOWS = 5;

    @Test
    void theWriterThreadAllocatesNothingPerLine() {
        assumeTrue(AllocationMeter.isAvailable());
        final NullLogSink target = new NullLogSink();
        final AsyncLogSink sink = AsyncLogSink.start(target, 1 << 20, OverflowPolicy.WAIT, true);
        try {
            final long writerId = sink.writerThread().getId();
            final JsonLogEncoder encoder = new JsonLogEncoder(LogFormat.defaults());
            final byte[] component = JsonStrings.quotedUtf8("normalize");
            long expected = 0;
            for (int r = 0; r < WARM_UP_ROUNDS; r++) {
                expected = round(sink, encoder, component, expected);
            }
            final long[] bytes = new long[WINDOWS];
            final long[] compileMillis = new long[WINDOWS];
            int measured = 0;
            while (measured < WINDOWS) {
                final long compiledBefore = compilationMillis();
                final long before = AllocationMeter.threadAllocatedBytes(writerId);
                expected = round(sink, encoder, component, expected);
                bytes[measured] = AllocationMeter.threadAllocatedBytes(writerId) - before;
                compileMillis[measured++] = compilationMillis() - compiledBefore;
                if (AllocationProbe.c2Compiles() && bytes[measured - 1] == 0) {
                    break;
                }
            }
            new AllocationProbe.Measurement(Arrays.copyOf(bytes, measured), Arrays.copyOf(compileMillis, measured),
                !AllocationProbe.c2Compiles())
                .assertAllocationFree(LINES_PER_ROUND + " lines drained by the writer thread");
            assertEquals(expected, target.counters().eventsWritten());
        } finally {
            sink.close();
        }
        assertEquals(0, sink.counters().eventsDropped());
        assertEquals(0, sink.counters().writeErrors());
    }

    /** Writes a round of lines and waits until the writer has handed all of them to the delegate. */
    private static long round(final AsyncLogSink sink, final JsonLogEncoder encoder, final byte[] component,
        final long writtenBefore) {
        for (int i = 0; i < LINES_PER_ROUND; i++) {
            encoder.begin(0, LogLevel.INFO, component, "stage_completed").field("seq", i).field("value", i * 0.5)
                .end();
            assertTrue(sink.write(encoder.buffer(), 0, encoder.length()));
        }
        final long expected = writtenBefore + LINES_PER_ROUND;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sink.counters().eventsWritten() < expected) {
            assertTrue(System.nanoTime() < deadline, "the writer drains the round");
            LockSupport.parkNanos(100_000); // leave the second core to the writer
        }
        return expected;
    }

    private static long compilationMillis() {
        final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }
}
