package dev.pipescope.log;

import dev.pipescope.batch.SensorRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Logging on the hot path allocates nothing once a thread has logged its first event. Measured with the
 * JVM's per-thread allocation counter around a round of 100k events after warm-up; the bound is exactly
 * zero bytes.
 *
 * <p>Warm-up repeats 100k-event rounds until {@value #QUIET_ROUNDS} rounds in a row allocate nothing (at
 * most {@value #MAX_WARM_UP_ROUNDS} rounds): while C1/C2 compile and swap in code (OSR, deoptimization)
 * the JVM itself was seen to allocate a few hundred bytes on the thread once, in a late round; that is the
 * runtime settling, it does not grow with the number of events and it is not repeated.
 */
class ZeroAllocationTest {
    private static final int EVENTS_PER_ROUND = 100_000;
    private static final int QUIET_ROUNDS = 3;
    private static final int MAX_WARM_UP_ROUNDS = 25;

    private static com.sun.management.ThreadMXBean threads;

    private final SensorRegistry sensors = new SensorRegistry(16);
    private final int sensor = sensors.register("S3-\u00e9");
    private long checksum; // keeps results alive so nothing is optimized away

    @BeforeAll
    static void allocationCounterAvailable() {
        threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    /** Bytes allocated on this thread by one round, measured after warm-up. */
    private static long steadyStateAllocation(final Runnable round) {
        int quiet = 0;
        for (int i = 0; i < MAX_WARM_UP_ROUNDS && quiet < QUIET_ROUNDS; i++) {
            quiet = allocatedBy(round) == 0 ? quiet + 1 : 0;
        }
        return allocatedBy(round);
    }

    private static long allocatedBy(final Runnable round) {
        final long before = threads.getCurrentThreadAllocatedBytes();
        round.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    private void logStageCompleted(final StructuredLogger log) {
        for (int i = 0; i < EVENTS_PER_ROUND; i++) {
            if (log.isEnabled(LogLevel.INFO)) {
                log.begin(LogLevel.INFO, "stage_completed")
                    .field("recordsIn", 1024 + i)
                    .field("recordsOut", 1019L + i)
                    .field("elapsedMs", i * 0.001 + 0.012)
                    .field("p99Ms", i * 1.7, 3)
                    .field("healthy", (i & 1) == 0)
                    .field("stage", "normalize \u00e9\uD83D\uDE00")
                    .fieldJson("sensor", sensors.jsonName(sensor))
                    .field("nan", Double.NaN)
                    .field("level", "renamed")
                    .beginArray("openCircuits").item("calibration:S3").item(i).endArray()
                    .beginObject("cacheHitRates").field("calibration", 0.99).field("lookup", 1.0 / (i + 1)).endObject()
                    .end();
            }
            log.begin(LogLevel.DEBUG, "filtered_out").field("x", i).end();
        }
    }

    @Test
    void measuringAllocatesNothing() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            min = Math.min(min, allocatedBy(() -> { }));
        }
        assertEquals(0, min);
    }

    @Test
    void encoderAloneAllocatesNothing() {
        final JsonLogEncoder encoder = new JsonLogEncoder(LogFormat.defaults());
        final byte[] component = JsonStrings.quotedUtf8("normalize");
        final long allocated = steadyStateAllocation(() -> {
            for (int i = 0; i < EVENTS_PER_ROUND; i++) {
                encoder.begin(1_700_000_000_000L + i * 1000L, LogLevel.INFO, component, "stage_completed")
                    .field("recordsIn", i)
                    .field("elapsedMs", Double.longBitsToDouble(0x3F50_0000_0000_0000L + i * 7919L))
                    .field("text", "quote\" \u2028 \uD800 lone")
                    .end();
                checksum += encoder.length();
            }
        });
        assertEquals(0, allocated, "bytes allocated by " + EVENTS_PER_ROUND + " encodings");
        assertTrue(checksum > 0);
    }

    @Test
    void synchronousLoggingToNullSinkAllocatesNothing() {
        final NullLogSink nullSink = new NullLogSink();
        final StructuredLogger log = new LogContext(nullSink).logger("normalize");
        final long allocated = steadyStateAllocation(() -> logStageCompleted(log));
        assertEquals(0, allocated, "bytes allocated by " + EVENTS_PER_ROUND + " logged events");
        assertEquals(0, nullSink.counters().eventsWritten() % EVENTS_PER_ROUND);
        assertTrue(nullSink.counters().eventsWritten() >= (QUIET_ROUNDS + 1) * (long) EVENTS_PER_ROUND);
    }

    @Test
    void asyncProducerPathAllocatesNothing() {
        final NullLogSink nullSink = new NullLogSink();
        final AsyncLogSink async = AsyncLogSink.start(nullSink, 1 << 22, OverflowPolicy.DROP, true);
        final long allocated;
        try {
            final StructuredLogger log = new LogContext(async).logger("normalize");
            allocated = steadyStateAllocation(() -> logStageCompleted(log));
        } finally {
            async.close();
        }
        assertEquals(0, allocated, "bytes allocated on the producer thread by " + EVENTS_PER_ROUND + " events");
        final LogSinkCounters counters = async.counters();
        assertEquals(0, (counters.eventsWritten() + counters.eventsDropped()) % EVENTS_PER_ROUND);
        assertEquals(counters.eventsWritten(), nullSink.counters().eventsWritten());
        assertTrue(counters.eventsWritten() > 0);
    }
}
