package dev.pipescope.log;

import com.fasterxml.jackson.databind.JsonNode;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AsyncLogSinkTest {
    private static final int PER_PRODUCER = 20_000;

    @Test
    void linesFromTwoProducersArriveIntactAndInOrderPerProducer() throws InterruptedException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final AsyncLogSink sink = AsyncLogSink.start(StreamLogSink.forStream(out, false, true), 64 * 1024,
            OverflowPolicy.WAIT, true);
        final StructuredLogger log = new LogContext(sink).logger("producer");
        final Thread[] producers = new Thread[2];
        for (int p = 0; p < producers.length; p++) {
            final int id = p;
            producers[p] = new Thread(() -> {
                for (int i = 0; i < PER_PRODUCER; i++) {
                    log.begin(LogLevel.INFO, "line").field("producer", id).field("seq", i)
                        .field("text", "\u00e9\uD83D\uDE00".repeat(i % 20)).end();
                }
            });
            producers[p].start();
        }
        for (final Thread producer : producers) {
            producer.join();
        }
        sink.close();

        final List<JsonNode> lines = JsonLines.parseAll(out.toByteArray());
        assertEquals(2 * PER_PRODUCER, lines.size());
        final int[] next = new int[2];
        for (final JsonNode line : lines) {
            final int id = line.get("producer").asInt();
            final int seq = line.get("seq").asInt();
            assertEquals(next[id]++, seq, "order of producer " + id);
            assertEquals("\u00e9\uD83D\uDE00".repeat(seq % 20), line.get("text").asText());
        }
        assertEquals(2 * PER_PRODUCER, sink.counters().eventsWritten());
        assertEquals(0, sink.counters().eventsDropped());
        assertEquals(out.size(), sink.counters().bytesWritten());
    }

    @Test
    void closeDrainsEveryAcceptedLine() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final AsyncLogSink sink = AsyncLogSink.start(StreamLogSink.forStream(out, false, true), 1 << 20,
            OverflowPolicy.DROP, true);
        final JsonLogEncoder encoder = new JsonLogEncoder(LogFormat.defaults());
        int accepted = 0;
        for (int i = 0; i < 50_000; i++) {
            encoder.begin(0, LogLevel.INFO, JsonStrings.quotedUtf8("c"), "e").field("i", i).end();
            if (sink.write(encoder.buffer(), 0, encoder.length())) {
                accepted++;
            }
        }
        sink.close(); // immediately: most lines are still in the ring
        final List<JsonNode> lines = JsonLines.parseAll(out.toByteArray());
        assertEquals(accepted, lines.size());
        assertEquals(accepted, sink.counters().eventsWritten());
        assertEquals(50_000 - accepted, sink.counters().eventsDropped());
        encoder.begin(0, LogLevel.INFO, JsonStrings.quotedUtf8("c"), "late").end();
        assertFalse(sink.write(encoder.buffer(), 0, encoder.length()), "closed sinks refuse lines");
    }

    @Test
    void fullRingDropsAndCountsExactlyTheLostLines() throws InterruptedException {
        final CountDownLatch writerBlocked = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final StreamLogSink target = StreamLogSink.forStream(out, false, true);
        final LogSink blocking = new LogSink() {
            @Override
            public boolean write(final DirectBuffer buffer, final int offset, final int length) {
                writerBlocked.countDown();
                try {
                    release.await();
                } catch (final InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
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
        };
        final AsyncLogSink sink = AsyncLogSink.start(blocking, 4096, OverflowPolicy.DROP, true);
        final JsonLogEncoder encoder = new JsonLogEncoder(LogFormat.defaults());
        final byte[] component = JsonStrings.quotedUtf8("c");
        encoder.begin(0, LogLevel.INFO, component, "first").end();
        assertTrue(sink.write(encoder.buffer(), 0, encoder.length()));
        assertTrue(writerBlocked.await(10, TimeUnit.SECONDS), "writer should pick up the first line");

        final int offered = 500;
        int accepted = 0;
        final boolean[] acceptedSeq = new boolean[offered];
        for (int i = 0; i < offered; i++) {
            encoder.begin(0, LogLevel.INFO, component, "fill").field("seq", i).end();
            acceptedSeq[i] = sink.write(encoder.buffer(), 0, encoder.length());
            if (acceptedSeq[i]) {
                accepted++;
            }
        }
        final int dropped = offered - accepted;
        assertTrue(dropped > 0, "a 4 KiB ring cannot hold 500 lines");
        assertTrue(accepted > 0);
        assertEquals(dropped, sink.counters().eventsDropped());

        release.countDown();
        sink.close();
        final List<JsonNode> lines = JsonLines.parseAll(out.toByteArray());
        assertEquals(1 + accepted, lines.size());
        assertEquals("first", lines.get(0).get("event").asText());
        int index = 1;
        for (int i = 0; i < offered; i++) {
            if (acceptedSeq[i]) {
                assertEquals(i, lines.get(index++).get("seq").asInt());
            }
        }
        assertEquals(1 + accepted, sink.counters().eventsWritten());
        assertEquals(dropped, sink.counters().eventsDropped());
    }

    /**
     * Regression: a line committed after the wrap-around padding, still unread when close() starts, must
     * be drained (a ring read stops at the buffer's end, so the padding alone reads as "0 lines").
     */
    @Test
    void closeDrainsLinesWrittenAfterTheWrapAround() throws InterruptedException {
        final CountDownLatch holdingLast = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final NullLogSink target = new NullLogSink();
        final int[] delivered = new int[1]; // written by the writer thread only; read after the latch
        final LogSink gate = new LogSink() {
            @Override
            public boolean write(final DirectBuffer buffer, final int offset, final int length) {
                delivered[0]++;
                return target.write(buffer, offset, length);
            }

            @Override
            public void flush() {
                // The writer flushes after a read returned: hold it here once the 9th line is read, so the
                // 10th line lands behind the padding while the writer is between two reads.
                if (delivered[0] == 9 && holdingLast.getCount() > 0) {
                    holdingLast.countDown();
                    try {
                        release.await();
                    } catch (final InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                }
            }

            @Override
            public LogSinkCounters counters() {
                return target.counters();
            }

            @Override
            public void close() {
            }
        };
        final AsyncLogSink sink = AsyncLogSink.start(gate, 1024, OverflowPolicy.DROP, true);
        // 9 records of 112 bytes (8 header + 104) fill 1008 of 1024 bytes; the 10th cannot fit at the end.
        final UnsafeBuffer line = new UnsafeBuffer(new byte[104]);
        for (int i = 0; i < 9; i++) {
            assertTrue(sink.write(line, 0, line.capacity()));
        }
        assertTrue(holdingLast.await(10, TimeUnit.SECONDS));
        assertTrue(sink.write(line, 0, line.capacity()), "wraps to the start behind a padding record");
        final Thread closer = new Thread(sink::close);
        closer.start();
        Thread.sleep(100); // let close() stop the main loop before the writer is released
        release.countDown();
        closer.join(10_000);
        assertFalse(closer.isAlive());
        assertEquals(10, target.counters().eventsWritten());
        assertEquals(10, sink.counters().eventsWritten());
    }

    @Test
    void lineLongerThanAnEighthOfTheRingIsDropped() {
        final NullLogSink target = new NullLogSink();
        final AsyncLogSink sink = AsyncLogSink.start(target, 1024, OverflowPolicy.WAIT, false);
        assertEquals(1024 / 8, sink.maxLineLength());
        final UnsafeBuffer big = new UnsafeBuffer(new byte[sink.maxLineLength() + 1]);
        assertFalse(sink.write(big, 0, big.capacity()));
        final UnsafeBuffer ok = new UnsafeBuffer("{}\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(sink.write(ok, 0, ok.capacity()));
        sink.close();
        assertEquals(1, sink.counters().eventsDropped());
        assertEquals(1, target.counters().eventsWritten());
        assertEquals(1024, sink.ringCapacity());
        assertThrows(IllegalArgumentException.class, () -> AsyncLogSink.start(target, 1000, OverflowPolicy.DROP, false));
    }

    @Test
    void shutdownHookCanBeRegisteredAndCloseIsIdempotent() {
        final NullLogSink target = new NullLogSink();
        final AsyncLogSink sink = AsyncLogSink.start(target, 1 << 16, OverflowPolicy.DROP, true).closeOnShutdown();
        final UnsafeBuffer ok = new UnsafeBuffer("{}\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 1000; i++) {
            assertTrue(sink.write(ok, 0, ok.capacity()));
        }
        sink.close();
        sink.close();
        assertEquals(1000, target.counters().eventsWritten());
        assertEquals(1000, sink.counters().eventsWritten());
    }
}
