package dev.pipescope.log;

import com.fasterxml.jackson.databind.JsonNode;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochClock;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StructuredLoggerTest {
    private static final long T0 = Instant.parse("2026-11-27T10:00:00.123Z").toEpochMilli();
    private final AtomicLong now = new AtomicLong(T0);
    private final EpochClock clock = now::get;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final StreamLogSink sink = StreamLogSink.forStream(out, true, false);
    private final LogContext context = new LogContext(sink, LogFormat.defaults(), clock);

    @Test
    void logsEnabledLevelsWithStandardFields() {
        final StructuredLogger log = context.logger("normalize", LogLevel.INFO);
        if (log.isEnabled(LogLevel.INFO)) {
            log.begin(LogLevel.INFO, "stage_completed").field("recordsIn", 1024).field("elapsedMs", 0.5).end();
        }
        log.begin(LogLevel.DEBUG, "too_detailed").field("x", 1).end();
        now.addAndGet(1);
        log.log(LogLevel.ERROR, "failed");

        final List<JsonNode> lines = JsonLines.parseAll(out.toByteArray());
        assertEquals(2, lines.size());
        assertEquals("2026-11-27T10:00:00.123Z", lines.get(0).get("timestamp").asText());
        assertEquals("INFO", lines.get(0).get("level").asText());
        assertEquals("normalize", lines.get(0).get("component").asText());
        assertEquals("stage_completed", lines.get(0).get("event").asText());
        assertEquals(1024, lines.get(0).get("recordsIn").asInt());
        assertEquals("2026-11-27T10:00:00.124Z", lines.get(1).get("timestamp").asText());
        assertEquals("ERROR", lines.get(1).get("level").asText());
        assertEquals(2, sink.counters().eventsWritten());
    }

    @Test
    void thresholdChangesAtRuntime() {
        final StructuredLogger log = context.logger("calibration", LogLevel.WARNING);
        assertEquals(LogLevel.WARNING, log.threshold());
        assertFalse(log.isEnabled(LogLevel.INFO));
        assertSame(JsonLogEncoder.DISABLED, log.begin(LogLevel.INFO, "x"));
        assertFalse(log.isEnabled(null));
        log.threshold(LogLevel.DEBUG);
        assertTrue(log.isEnabled(LogLevel.DEBUG));
        log.log(LogLevel.DEBUG, "now_visible");
        assertEquals(1, JsonLines.parseAll(out.toByteArray()).size());
        assertEquals("calibration", log.component());
    }

    @Test
    void sinkFailureNeverReachesTheCaller() {
        final LogSink throwing = new LogSink() {
            private final LogSinkCounters counters = new LogSinkCounters();

            @Override
            public boolean write(final DirectBuffer buffer, final int offset, final int length) {
                throw new IllegalStateException("disk on fire");
            }

            @Override
            public void flush() {
            }

            @Override
            public LogSinkCounters counters() {
                return counters;
            }

            @Override
            public void close() {
            }
        };
        final StructuredLogger log = new LogContext(throwing, LogFormat.defaults(), clock).logger("x");
        for (int i = 0; i < 3; i++) {
            log.begin(LogLevel.ERROR, "boom").field("i", i).end();
        }
        assertEquals(3, throwing.counters().writeErrors());
    }

    @Test
    void truncatedLinesAreCountedBySink() {
        final LogContext small = new LogContext(sink, LogFormat.defaults().withMaxLineLength(LogFormat.MIN_LINE_LENGTH), clock);
        final StructuredLogger log = small.logger("x".repeat(1000));
        log.begin(LogLevel.INFO, "e").field("long", "y".repeat(1000)).end();
        log.begin(LogLevel.INFO, "e").end();
        // The component is shortened once, when the logger is made; only the line that lost a field counts.
        assertEquals(1, sink.counters().linesTruncated());
        final JsonNode node = JsonLines.parseAll(out.toByteArray()).get(0);
        assertTrue(node.get("component").asText().endsWith(JsonStrings.TRUNCATION_MARKER));
        assertTrue(node.get("long").asText().endsWith(JsonStrings.TRUNCATION_MARKER));
    }

    @Test
    void threadsNeverShareALine() throws InterruptedException {
        final StructuredLogger log = context.logger("parallel", LogLevel.INFO);
        final Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            final int id = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 2_000; i++) {
                    log.begin(LogLevel.INFO, "tick").field("thread", id).field("seq", i).field("pad", "p".repeat(i % 50)).end();
                }
            });
            threads[t].start();
        }
        for (final Thread thread : threads) {
            thread.join();
        }
        final List<JsonNode> lines = JsonLines.parseAll(out.toByteArray());
        assertEquals(8_000, lines.size());
        final int[] next = new int[threads.length];
        for (final JsonNode line : lines) {
            final int id = line.get("thread").asInt();
            assertEquals(next[id]++, line.get("seq").asInt());
            assertEquals("p".repeat(line.get("seq").asInt() % 50), line.get("pad").asText());
        }
    }
}
