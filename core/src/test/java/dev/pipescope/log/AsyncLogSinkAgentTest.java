package dev.pipescope.log;

import com.fasterxml.jackson.databind.JsonNode;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The writer as an Agrona agent: its thread, its error handling, and how it ends. */
class AsyncLogSinkAgentTest {
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final AtomicLong nowMillis = new AtomicLong(1_000_000);
    private final SinkErrorReporter reporter = new SinkErrorReporter("async", 10_000, nowMillis::get,
        new PrintStream(stderr, true, StandardCharsets.UTF_8));

    @Test
    void aThrowingDelegateCostsOnlyItsLinesWhichAreCountedAndReportedOncePerInterval() throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final StreamLogSink target = StreamLogSink.forStream(out, false, true);
        final LogSink failing = new ForwardingSink(target) {
            @Override
            public boolean write(final DirectBuffer buffer, final int offset, final int length) {
                if (buffer.getStringWithoutLengthAscii(offset, length).contains("\"boom\"")) {
                    throw new IllegalStateException("delegate bug");
                }
                return super.write(buffer, offset, length);
            }
        };
        final AsyncLogSink sink = AsyncLogSink.start(failing, 64 * 1024, OverflowPolicy.WAIT, true, reporter);
        final StructuredLogger log = new LogContext(sink).logger("c");
        for (int i = 0; i < 5; i++) {
            log.begin(LogLevel.INFO, "ok").field("seq", i).end();
            log.begin(LogLevel.INFO, "boom").field("seq", i).end();
        }
        await(() -> sink.counters().writeErrors() == 5, "five failed lines counted");
        final Thread writer = sink.writerThread();
        assertTrue(writer.isAlive(), "the writer survived its delegate's errors");
        assertEquals(1, lines(stderr).size(), "one report per interval: " + stderr);
        assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("1 write error(s)"), stderr::toString);
        assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("delegate bug"), stderr::toString);

        nowMillis.addAndGet(10_000); // the next error after the interval reports the suppressed ones with it
        log.begin(LogLevel.INFO, "boom").field("seq", 5).end();
        log.begin(LogLevel.INFO, "ok").field("seq", 5).end();
        sink.close();

        final List<JsonNode> written = JsonLines.parseAll(out.toByteArray());
        assertEquals(6, written.size(), "every line the delegate did not throw on arrived");
        for (int i = 0; i < written.size(); i++) {
            assertEquals("ok", written.get(i).get("event").asText());
            assertEquals(i, written.get(i).get("seq").asInt());
        }
        assertEquals(6, sink.counters().eventsWritten());
        assertEquals(6, sink.counters().writeErrors());
        assertEquals(0, sink.counters().eventsDropped());
        assertEquals(2, lines(stderr).size(), stderr::toString);
        assertTrue(lines(stderr).get(1).contains("5 write error(s)"), stderr::toString);
    }

    @Test
    void aThrowingFlushIsCountedAndLinesStillArrive() {
        final NullLogSink target = new NullLogSink();
        final AtomicLong flushes = new AtomicLong();
        final LogSink failing = new ForwardingSink(target) {
            @Override
            public void flush() {
                flushes.incrementAndGet();
                throw new IllegalStateException("disk full");
            }
        };
        final AsyncLogSink sink = AsyncLogSink.start(failing, 64 * 1024, OverflowPolicy.WAIT, true, reporter);
        final UnsafeBuffer line = new UnsafeBuffer("{}\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 3; i++) {
            assertTrue(sink.write(line, 0, line.capacity()));
            final long written = i + 1;
            await(() -> sink.counters().eventsWritten() == written && flushes.get() >= written, "line " + i);
        }
        sink.close(); // the final flush fails too: counted once, not retried forever
        assertEquals(3, target.counters().eventsWritten());
        assertEquals(flushes.get(), sink.counters().writeErrors());
        assertTrue(sink.counters().writeErrors() >= 4, "three catch-up flushes and the final one");
        assertFalse(sink.writerThread().isAlive());
    }

    @Test
    void theWriterIsADaemonAgentThreadNamedAsBeforeThatEndsWithClose() {
        final NullLogSink target = new NullLogSink();
        final AsyncLogSink sink = AsyncLogSink.start(target, 1024, OverflowPolicy.DROP, true, reporter);
        final Thread writer = sink.writerThread();
        assertEquals("pipescope-log-writer", writer.getName());
        assertTrue(writer.isDaemon());
        assertTrue(writer.isAlive());
        sink.close();
        assertFalse(writer.isAlive(), "close() returns once the writer has ended");
        assertEquals(0, sink.counters().writeErrors(), "ending after the final drain is no error");
        assertEquals("", stderr.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anInterruptedWriterClosesTheSinkWithoutLosingAcceptedLines() throws InterruptedException {
        final NullLogSink target = new NullLogSink();
        final AsyncLogSink sink = AsyncLogSink.start(target, 64 * 1024, OverflowPolicy.DROP, true, reporter);
        final UnsafeBuffer line = new UnsafeBuffer("{}\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 1000; i++) {
            assertTrue(sink.write(line, 0, line.capacity()));
        }
        final Thread writer = sink.writerThread();
        writer.interrupt(); // Agrona's runner stops on an interrupt: the sink must not go on accepting lines
        writer.join(10_000);
        assertFalse(writer.isAlive());
        assertEquals(1000, target.counters().eventsWritten(), "every line accepted before was written");
        assertFalse(sink.write(line, 0, line.capacity()), "later lines are refused");
        assertEquals(1, sink.counters().eventsDropped());
        assertEquals(1, sink.counters().writeErrors(), "the stop is counted");
        assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("pipescope-log-writer stopped before close()"),
            stderr::toString);
        sink.close(); // still fine
        assertEquals(1000, sink.counters().eventsWritten());
    }

    private static List<String> lines(final ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static void await(final BooleanSupplier condition, final String what) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for: " + what);
            Thread.onSpinWait();
        }
    }

    /** Passes everything on; tests override what should fail. */
    private static class ForwardingSink implements LogSink {
        private final LogSink target;

        ForwardingSink(final LogSink target) {
            this.target = target;
        }

        @Override
        public boolean write(final DirectBuffer buffer, final int offset, final int length) {
            return target.write(buffer, offset, length);
        }

        @Override
        public void flush() {
            target.flush();
        }

        @Override
        public LogSinkCounters counters() {
            return target.counters();
        }

        @Override
        public void close() {
            target.close();
        }
    }
}
