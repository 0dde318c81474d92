package dev.pipescope.log;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Takes lines from any number of threads into an Agrona {@link ManyToOneRingBuffer} and writes them to a
 * delegate sink from one background thread, so the hot path never waits for I/O.
 *
 * <p>Producers claim space, copy the line and commit; nothing allocates and nothing locks. When the ring
 * is full the line is dropped and counted ({@link OverflowPolicy#DROP}), or the producer spins until space
 * frees up ({@link OverflowPolicy#WAIT}). A line longer than {@link #maxLineLength()} (an eighth of the
 * ring) is always dropped, so size the ring at least 8x the {@link LogFormat#maxLineLength()}.
 *
 * <p>The writer thread reads batches of lines, hands each to the delegate and flushes the delegate
 * whenever it has caught up with the producers, so lines reach the destination within about a
 * millisecond of quiet and I/O is batched under load.
 *
 * <p>{@link #close()} refuses new lines, waits for producers already inside {@link #write} to commit,
 * lets the writer drain every accepted line, flushes and (if owned) closes the delegate. So every line
 * for which {@code write} returned true reaches the delegate, whole. {@link #closeOnShutdown()} does the
 * same from a JVM shutdown hook (SIGTERM, Ctrl-C, {@code System.exit}). The writer is a daemon thread: a
 * JVM exiting without either loses what is still in the ring.
 *
 * <p>{@link #counters()}: written / bytes count lines the delegate accepted, dropped counts lines refused
 * here, errors count lines the delegate refused or threw on. The delegate keeps its own counters too.
 */
public final class AsyncLogSink implements LogSink {
    /** Lines the writer hands to the delegate before checking whether to flush. */
    static final int BATCH_LIMIT = 256;

    private static final int LINE_MESSAGE_TYPE = 1;

    private final ManyToOneRingBuffer ring;
    private final LogSink delegate;
    private final boolean closeDelegate;
    private final OverflowPolicy overflowPolicy;
    private final LogSinkCounters counters = new LogSinkCounters();
    private final SinkErrorReporter errorReporter;
    private final AtomicInteger producersInside = new AtomicInteger();
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private final Thread writer;
    // Created once: a method reference evaluated per batch would allocate on the writer thread.
    private final MessageHandler lineHandler = this::deliver;
    private volatile boolean closed;
    private volatile boolean running = true;
    private volatile boolean writerDone;
    private Thread shutdownHook;

    private AsyncLogSink(
        final LogSink delegate, final int ringCapacity, final OverflowPolicy overflowPolicy, final boolean closeDelegate) {
        if (!BitUtil.isPowerOfTwo(ringCapacity) || ringCapacity < 1024) {
            throw new IllegalArgumentException("ringCapacity must be a power of two of at least 1024 bytes, was "
                + ringCapacity);
        }
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.overflowPolicy = Objects.requireNonNull(overflowPolicy, "overflowPolicy");
        this.closeDelegate = closeDelegate;
        AgronaAccess.check();
        ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(ringCapacity + RingBufferDescriptor.TRAILER_LENGTH)));
        errorReporter = new SinkErrorReporter("async", SinkErrorReporter.DEFAULT_INTERVAL_MILLIS,
            SystemEpochClock.INSTANCE, System.err);
        writer = new Thread(this::runWriter, "pipescope-log-writer");
        writer.setDaemon(true);
    }

    /**
     * Creates the sink and starts its writer thread.
     *
     * @param delegate       where the writer thread puts lines, e.g. a {@link StreamLogSink} without
     *                       per-line flush.
     * @param ringCapacity   ring size in bytes, a power of two of at least 1024; a line may take up to an
     *                       eighth of it.
     * @param overflowPolicy what producers do when the ring is full.
     * @param closeDelegate  true to close the delegate when this sink closes.
     * @return the running sink.
     */
    public static AsyncLogSink start(
        final LogSink delegate, final int ringCapacity, final OverflowPolicy overflowPolicy, final boolean closeDelegate) {
        final AsyncLogSink sink = new AsyncLogSink(delegate, ringCapacity, overflowPolicy, closeDelegate);
        sink.writer.start();
        return sink;
    }

    /**
     * Registers a JVM shutdown hook that {@link #close() closes} this sink, draining it, when the JVM exits
     * normally or on SIGTERM / Ctrl-C. The hook is removed by an explicit close.
     *
     * @return this sink.
     */
    public synchronized AsyncLogSink closeOnShutdown() {
        if (shutdownHook == null && !closed) {
            shutdownHook = new Thread(this::close, "pipescope-log-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        return this;
    }

    /** @return the longest line the ring accepts, in bytes. */
    public int maxLineLength() {
        return ring.maxMsgLength();
    }

    /** @return the ring capacity in bytes. */
    public int ringCapacity() {
        return ring.capacity();
    }

    /** @return the sink the writer thread writes to. */
    public LogSink delegate() {
        return delegate;
    }

    /**
     * Copies the line into the ring. Lock-free and allocation-free; with {@link OverflowPolicy#DROP} it
     * never waits.
     *
     * @return true when the line was accepted: it will reach the delegate, even across {@link #close()}.
     */
    @Override
    public boolean write(final DirectBuffer buffer, final int offset, final int length) {
        if (length > ring.maxMsgLength() || length < 0) {
            counters.recordDropped();
            return false;
        }
        // Announce ourselves before checking closed: close() sets closed, then waits until nobody is inside,
        // so a line that passes the check is always committed before the writer's final drain.
        producersInside.getAndIncrement();
        try {
            if (closed) {
                counters.recordDropped();
                return false;
            }
            int index = ring.tryClaim(LINE_MESSAGE_TYPE, length);
            if (index < 0) {
                if (overflowPolicy == OverflowPolicy.DROP) {
                    counters.recordDropped();
                    return false;
                }
                index = claimWaiting(length);
                if (index < 0) {
                    counters.recordDropped();
                    return false;
                }
            }
            try {
                ring.buffer().putBytes(index, buffer, offset, length);
            } catch (final RuntimeException ex) {
                ring.abort(index);
                counters.recordDropped();
                return false;
            }
            ring.commit(index);
            return true;
        } finally {
            producersInside.getAndDecrement();
        }
    }

    /** Lines are flushed by the writer thread whenever it catches up; there is nothing to do here. */
    @Override
    public void flush() {
    }

    @Override
    public LogSinkCounters counters() {
        return counters;
    }

    /**
     * Stops accepting lines, drains every accepted line into the delegate, flushes it, closes it if owned,
     * and stops the writer thread. Blocks until done; idempotent and safe to call from several threads.
     */
    @Override
    public void close() {
        if (!closeStarted.compareAndSet(false, true)) {
            awaitWriter();
            return;
        }
        closed = true;
        while (producersInside.get() != 0) {
            Thread.onSpinWait();
        }
        running = false;
        LockSupport.unpark(writer);
        if (Thread.currentThread() != writer) {
            awaitWriter();
        }
        if (closeDelegate) {
            delegate.close();
        }
        removeShutdownHook();
    }

    private void runWriter() {
        final IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
        try {
            while (running) {
                final int lines = drainOnce();
                if (lines == 0) {
                    idle.idle();
                } else {
                    idle.reset();
                }
            }
            // close() saw no producer inside after setting closed: what is in the ring now is final. Drain
            // until the consumer reaches the producer: a read stops at the end of the buffer, so one that
            // only skips the wrap-around padding returns 0 while lines still wait at the start.
            long previous = -1;
            while (true) {
                drainOnce();
                final long consumed = ring.consumerPosition();
                if (consumed == ring.producerPosition() || consumed == previous) {
                    break;
                }
                previous = consumed;
            }
            flushDelegate();
        } finally {
            writerDone = true;
        }
    }

    /** Reads one batch; flushes the delegate when the batch was not full, i.e. the writer caught up. */
    private int drainOnce() {
        final int lines = ring.read(lineHandler, BATCH_LIMIT);
        if (lines > 0 && lines < BATCH_LIMIT) {
            flushDelegate();
        }
        return lines;
    }

    private void deliver(final int messageType, final MutableDirectBuffer buffer, final int index, final int length) {
        try {
            if (delegate.write(buffer, index, length)) {
                counters.recordWritten(1, length);
            } else {
                counters.recordWriteError();
            }
        } catch (final RuntimeException ex) {
            counters.recordWriteError();
            errorReporter.report(ex);
        }
    }

    private void flushDelegate() {
        try {
            delegate.flush();
        } catch (final RuntimeException ex) {
            counters.recordWriteError();
            errorReporter.report(ex);
        }
    }

    private void awaitWriter() {
        boolean interrupted = false;
        while (!writerDone && writer.isAlive() && Thread.currentThread() != writer) {
            try {
                writer.join(100);
            } catch (final InterruptedException ex) {
                // Draining must finish; remember the interrupt for the caller.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private int claimWaiting(final int length) {
        int attempts = 0;
        while (!closed) {
            final int index = ring.tryClaim(LINE_MESSAGE_TYPE, length);
            if (index >= 0) {
                return index;
            }
            if (++attempts < 1_000) {
                Thread.onSpinWait();
            } else if (attempts < 2_000) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(50_000);
            }
        }
        return -1;
    }

    private synchronized void removeShutdownHook() {
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (final IllegalStateException ex) {
                // the JVM is already shutting down; the hook will find the sink closed
            }
            shutdownHook = null;
        }
    }
}
