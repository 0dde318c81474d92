package dev.pipescope.log;

import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.metrics.AllocationMeter;
import dev.pipescope.testing.AllocationProbe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Logging on the hot path allocates nothing once a thread has logged its first event: measured with the
 * thread's allocated-bytes counter over rounds of 100k events after warm-up (see {@link AllocationProbe} for
 * the rule with and without C2).
 */
@Tag(AllocationProbe.TAG)
class ZeroAllocationTest {
    private static final int EVENTS_PER_ROUND = 100_000;
    private static final int WARM_UP_ROUNDS = 5;
    private static final int WINDOWS = 3;

    private final SensorRegistry sensors = new SensorRegistry(16);
    private final int sensor = sensors.register("S3-\u00e9");
    private long checksum; // keeps results alive so nothing is optimized away

    @BeforeAll
    static void allocationCounterAvailable() {
        assumeTrue(AllocationMeter.isAvailable());
    }

    private static void assertSteadyStateAllocationFree(final String what, final Runnable round) {
        AllocationProbe.measure(WARM_UP_ROUNDS, WINDOWS, () -> {
            round.run();
            return 1;
        }).assertAllocationFree(what);
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
                    .field("sensor", sensors.name(sensor))
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
        assertSteadyStateAllocationFree("an empty round", () -> { });
    }

    @Test
    void encoderAloneAllocatesNothing() {
        final JsonLogEncoder encoder = new JsonLogEncoder(LogFormat.defaults());
        final byte[] component = JsonStrings.quotedUtf8("normalize");
        assertSteadyStateAllocationFree(EVENTS_PER_ROUND + " encodings", () -> {
            for (int i = 0; i < EVENTS_PER_ROUND; i++) {
                encoder.begin(1_700_000_000_000L + i * 1000L, LogLevel.INFO, component, "stage_completed")
                    .field("recordsIn", i)
                    .field("elapsedMs", Double.longBitsToDouble(0x3F50_0000_0000_0000L + i * 7919L))
                    .field("text", "quote\" \u2028 \uD800 lone")
                    .end();
                checksum += encoder.length();
            }
        });
        assertTrue(checksum > 0);
    }

    @Test
    void synchronousLoggingToNullSinkAllocatesNothing() {
        final NullLogSink nullSink = new NullLogSink();
        final StructuredLogger log = new LogContext(nullSink).logger("normalize");
        assertSteadyStateAllocationFree(EVENTS_PER_ROUND + " logged events", () -> logStageCompleted(log));
        assertEquals(0, nullSink.counters().eventsWritten() % EVENTS_PER_ROUND);
        assertTrue(nullSink.counters().eventsWritten() >= (WARM_UP_ROUNDS + 1) * (long) EVENTS_PER_ROUND);
    }

    @Test
    void asyncProducerPathAllocatesNothing() {
        final NullLogSink nullSink = new NullLogSink();
        final AsyncLogSink async = AsyncLogSink.start(nullSink, 1 << 22, OverflowPolicy.DROP, true);
        try {
            final StructuredLogger log = new LogContext(async).logger("normalize");
            assertSteadyStateAllocationFree(EVENTS_PER_ROUND + " events on the producer thread",
                () -> logStageCompleted(log));
        } finally {
            async.close();
        }
        final LogSinkCounters counters = async.counters();
        assertEquals(0, (counters.eventsWritten() + counters.eventsDropped()) % EVENTS_PER_ROUND);
        assertEquals(counters.eventsWritten(), nullSink.counters().eventsWritten());
        assertTrue(counters.eventsWritten() > 0);
    }
}
