package dev.pipescope.log;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamLogSinkTest {
    private static UnsafeBuffer line(final String text) {
        return new UnsafeBuffer((text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void failingStreamIsCountedAndReportedAtMostOncePerInterval() {
        final OutputStream broken = new OutputStream() {
            @Override
            public void write(final int b) throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public void write(final byte[] b, final int off, final int len) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        final AtomicLong now = new AtomicLong(1_000);
        final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        final StreamLogSink sink = new StreamLogSink(broken, null, true, false, 1024, "test", 10_000, now::get,
            new PrintStream(stderr, true, StandardCharsets.UTF_8));
        final UnsafeBuffer line = line("{\"a\":1}");
        for (int i = 0; i < 50; i++) {
            assertFalse(sink.write(line, 0, line.capacity()));
        }
        assertEquals(50, sink.counters().writeErrors());
        assertEquals(50, sink.counters().eventsDropped());
        assertEquals(0, sink.counters().eventsWritten());
        String reports = stderr.toString(StandardCharsets.UTF_8);
        assertEquals(1, reports.lines().count(), reports);
        assertTrue(reports.contains("No space left on device"));

        now.addAndGet(10_000);
        sink.write(line, 0, line.capacity());
        reports = stderr.toString(StandardCharsets.UTF_8);
        assertEquals(2, reports.lines().count(), reports);
        assertTrue(reports.lines().skip(1).findFirst().orElseThrow().contains(" 50 write error(s)"), reports);
        sink.close();
    }

    @Test
    void printStreamErrorsAreNoticed() {
        final PrintStream failing = new PrintStream(new ByteArrayOutputStream()) {
            @Override
            public boolean checkError() {
                return true;
            }
        };
        final StreamLogSink sink = new StreamLogSink(failing, null, true, false, 1024, "ps", 10_000, () -> 0,
            new PrintStream(new ByteArrayOutputStream()));
        final UnsafeBuffer line = line("{}");
        assertFalse(sink.write(line, 0, line.capacity()));
        assertEquals(1, sink.counters().writeErrors());
    }

    @Test
    void batchesUntilFlushAndSplitsLinesLongerThanTheStagingBuffer() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final StreamLogSink sink = new StreamLogSink(out, null, false, true, 64, "small", 10_000, () -> 0, System.err);
        final UnsafeBuffer shortLine = line("{\"s\":1}");
        final UnsafeBuffer longLine = line("{\"long\":\"" + "x".repeat(300) + "\"}");
        assertTrue(sink.write(shortLine, 0, shortLine.capacity()));
        assertEquals(0, out.size(), "staged, not written");
        assertTrue(sink.write(longLine, 0, longLine.capacity()));
        sink.flush();
        assertEquals("{\"s\":1}\n{\"long\":\"" + "x".repeat(300) + "\"}\n", out.toString(StandardCharsets.UTF_8));
        assertEquals(2, sink.counters().eventsWritten());
        assertEquals(shortLine.capacity() + longLine.capacity(), sink.counters().bytesWritten());
        sink.close();
        assertFalse(sink.write(shortLine, 0, shortLine.capacity()));
        assertEquals(1, sink.counters().eventsDropped());
    }

    @Test
    void appendsToFileThroughChannel(@TempDir final Path dir) throws IOException {
        final Path file = dir.resolve("pipescope.log");
        Files.writeString(file, "{\"old\":true}\n");
        final StreamLogSink sink = StreamLogSink.appendingTo(file, false);
        final UnsafeBuffer framed = new UnsafeBuffer(new byte[64]);
        final int length = framed.putStringWithoutLengthAscii(5, "{\"new\":1}\n");
        for (int i = 0; i < 3; i++) {
            assertTrue(sink.write(framed, 5, length));
        }
        assertEquals("{\"old\":true}\n", Files.readString(file), "nothing written before flush");
        sink.close();
        assertEquals("{\"old\":true}\n" + "{\"new\":1}\n".repeat(3), Files.readString(file));
        assertEquals(3, sink.counters().eventsWritten());
        assertEquals(0, sink.counters().writeErrors());
    }

    @Test
    void closedChannelCountsErrors(@TempDir final Path dir) throws IOException {
        final java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(dir.resolve("x.log"),
            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
        final StreamLogSink sink = new StreamLogSink(null, channel, true, true, 1024, "closed", 10_000, () -> 0,
            new PrintStream(new ByteArrayOutputStream()));
        channel.close();
        final UnsafeBuffer line = line("{}");
        assertFalse(sink.write(line, 0, line.capacity()));
        assertEquals(1, sink.counters().writeErrors());
        sink.close();
    }
}
