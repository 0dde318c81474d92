package dev.pipescope.log;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes lines synchronously to an {@link OutputStream} (standard output by default) or a
 * {@link FileChannel}, staging them in one reusable buffer so no line allocates.
 *
 * <p>Writers from several threads are serialized by a private monitor; that is fine behind an
 * {@link AsyncLogSink} (one writer thread) or for low-rate logging, but a hot path shared by many threads
 * should log through the async sink. With {@code flushEachLine} every line is pushed out before
 * {@link #write} returns; without it, lines leave when the staging buffer fills or on {@link #flush()} /
 * {@link #close()} (what the async writer does after each batch).
 *
 * <p>Counting: a line is {@link LogSinkCounters#eventsWritten() written} once it has been handed to the
 * stream or channel. A failed write or flush counts one {@link LogSinkCounters#writeErrors() error}, the
 * lines it held count as {@link LogSinkCounters#eventsDropped() dropped}, and the failure is reported on
 * stderr at most once per 10 s. Nothing is thrown. {@link #flush()} does not fsync.
 */
public final class StreamLogSink implements LogSink {
    /** Default staging buffer size; lines longer than it are written in several chunks. */
    public static final int DEFAULT_BUFFER_SIZE = 64 * 1024;

    private final Object lock = new Object();
    private final OutputStream stream;
    private final FileChannel channel;
    private final boolean flushEachLine;
    private final boolean closeTarget;
    private final byte[] staging;
    private final ByteBuffer directStaging;
    private final int stagingCapacity;
    private final LogSinkCounters counters = new LogSinkCounters();
    private final SinkErrorReporter errorReporter;

    private int stagedBytes;
    private long stagedLines;
    private boolean closed;

    StreamLogSink(
        final OutputStream stream,
        final FileChannel channel,
        final boolean flushEachLine,
        final boolean closeTarget,
        final int bufferSize,
        final String name,
        final long reportIntervalMillis,
        final EpochClock clock,
        final PrintStream errorOut) {
        if (bufferSize < 64) {
            throw new IllegalArgumentException("bufferSize must be at least 64 bytes, was " + bufferSize);
        }
        this.stream = stream;
        this.channel = channel;
        this.flushEachLine = flushEachLine;
        this.closeTarget = closeTarget;
        stagingCapacity = bufferSize;
        staging = stream != null ? new byte[bufferSize] : null;
        directStaging = channel != null ? ByteBuffer.allocateDirect(bufferSize) : null;
        errorReporter = new SinkErrorReporter(name, reportIntervalMillis, clock, errorOut);
    }

    /**
     * A sink on {@code System.out} (as set when called) that flushes every line and never closes it.
     *
     * @return the sink.
     */
    public static StreamLogSink stdout() {
        return forStream(System.out, true, false);
    }

    /**
     * @param stream        the destination.
     * @param flushEachLine true to push every line out before {@link #write} returns.
     * @param closeStream   true to close the stream when the sink is closed.
     * @return the sink.
     */
    public static StreamLogSink forStream(final OutputStream stream, final boolean flushEachLine, final boolean closeStream) {
        return new StreamLogSink(stream, null, flushEachLine, closeStream, DEFAULT_BUFFER_SIZE, "stream",
            SinkErrorReporter.DEFAULT_INTERVAL_MILLIS, SystemEpochClock.INSTANCE, System.err);
    }

    /**
     * @param channel       the destination, written at its current position.
     * @param flushEachLine true to write every line to the channel before {@link #write} returns.
     * @param closeChannel  true to close the channel when the sink is closed.
     * @return the sink.
     */
    public static StreamLogSink forChannel(final FileChannel channel, final boolean flushEachLine, final boolean closeChannel) {
        return new StreamLogSink(null, channel, flushEachLine, closeChannel, DEFAULT_BUFFER_SIZE, "channel",
            SinkErrorReporter.DEFAULT_INTERVAL_MILLIS, SystemEpochClock.INSTANCE, System.err);
    }

    /**
     * Opens (creating if needed) {@code file} for appending; the sink owns and closes the channel.
     *
     * @param file          the log file.
     * @param flushEachLine true to write every line to the file before {@link #write} returns.
     * @return the sink.
     * @throws IOException when the file cannot be opened.
     */
    public static StreamLogSink appendingTo(final Path file, final boolean flushEachLine) throws IOException {
        final FileChannel channel = FileChannel.open(file,
            StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        return new StreamLogSink(null, channel, flushEachLine, true, DEFAULT_BUFFER_SIZE, file.toString(),
            SinkErrorReporter.DEFAULT_INTERVAL_MILLIS, SystemEpochClock.INSTANCE, System.err);
    }

    /**
     * Copies the line into the staging buffer (pushing it out first when full) and, with
     * {@code flushEachLine}, writes it out.
     */
    @Override
    public boolean write(final DirectBuffer buffer, final int offset, final int length) {
        synchronized (lock) {
            if (closed) {
                counters.recordDropped();
                return false;
            }
            boolean lineStaged = false;
            try {
                int copied = 0;
                while (copied < length) {
                    if (stagedBytes == stagingCapacity) {
                        drainStaging();
                    }
                    final int chunk = Math.min(length - copied, stagingCapacity - stagedBytes);
                    if (staging != null) {
                        buffer.getBytes(offset + copied, staging, stagedBytes, chunk);
                    } else {
                        buffer.getBytes(offset + copied, directStaging, stagedBytes, chunk);
                    }
                    stagedBytes += chunk;
                    copied += chunk;
                }
                stagedLines++;
                lineStaged = true;
                if (flushEachLine) {
                    drainStaging();
                    flushStream();
                }
                return true;
            } catch (final IOException | RuntimeException ex) {
                onFailure(ex, lineStaged ? 0 : 1);
                return false;
            }
        }
    }

    @Override
    public void flush() {
        synchronized (lock) {
            if (!closed) {
                flushLocked();
            }
        }
    }

    private void flushLocked() {
        try {
            drainStaging();
            flushStream();
        } catch (final IOException | RuntimeException ex) {
            onFailure(ex, 0);
        }
    }

    @Override
    public LogSinkCounters counters() {
        return counters;
    }

    /** Flushes, then closes the stream or channel if the sink owns it. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            flushLocked();
            closed = true;
            if (closeTarget) {
                try {
                    if (stream != null) {
                        stream.close();
                    } else {
                        channel.close();
                    }
                } catch (final IOException | RuntimeException ex) {
                    counters.recordWriteError();
                    errorReporter.report(ex);
                }
            }
        }
    }

    /** Hands staged bytes to the stream or channel; counts the lines completed in them as written. */
    private void drainStaging() throws IOException {
        if (stagedBytes == 0) {
            return;
        }
        if (staging != null) {
            stream.write(staging, 0, stagedBytes);
        } else {
            directStaging.limit(stagedBytes).position(0);
            while (directStaging.hasRemaining()) {
                channel.write(directStaging);
            }
            directStaging.clear();
        }
        counters.recordWritten(stagedLines, stagedBytes);
        stagedBytes = 0;
        stagedLines = 0;
    }

    private void flushStream() throws IOException {
        if (stream == null) {
            return;
        }
        stream.flush();
        // PrintStream (System.out) swallows IOExceptions; this is the only way to notice them.
        if (stream instanceof PrintStream && ((PrintStream) stream).checkError()) {
            throw new IOException("the PrintStream reported an error");
        }
    }

    private void onFailure(final Exception ex, final int unstagedLines) {
        counters.recordWriteError();
        // The staged lines are gone with the failed operation, and so is a line still being copied.
        counters.recordDropped(stagedLines + unstagedLines);
        stagedBytes = 0;
        stagedLines = 0;
        if (directStaging != null) {
            directStaging.clear();
        }
        errorReporter.report(ex);
    }
}
