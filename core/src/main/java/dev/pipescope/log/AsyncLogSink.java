package dev.pipescope.log;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.BackoffIdleStrategy;
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
 * <p>The writer is an Agrona {@link Agent} run by an {@link AgentRunner} on its own daemon thread,
 * {@code pipescope-log-writer}. It reads batches of lines, hands each to the delegate and flushes the
 * delegate whenever it has caught up with the producers, so lines reach the destination within about a
 * millisecond of quiet and I/O is batched under load. A delegate that throws on a line or a flush costs
 * that line, not the writer: the writer goes on with the next one. Every such error, and anything else
 * escaping the agent, is counted in {@link LogSinkCounters#writeErrors()} and printed to standard error
 * at most once per 10 s, with how many happened since the previous report; not through a
 * {@link StructuredLogger}, which may be writing into this very sink.
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
    /** The writer thread's name (the agent's role name). */
    static final String WRITER_NAME = "pipescope-log-writer";

    /*
     * The writer's idle strategy. Under load it never idles: a read that found lines resets the strategy
     * and the next read follows at once, so logging at full speed gets no added latency. Once the ring is
     * empty it spins 100 times (microseconds: a burst that pauses briefly is picked up at once), yields 10
     * times, then parks from 1 us doubling up to 1 ms. So a quiet writer wakes at most about 1000 times a
     * second and a line written after a pause waits at most about 1 ms: no core burnt on a 2-core machine
     * shared with the processing thread. Producers never unpark the writer: that would put a syscall on
     * the hot path. (The park period bounds the delivery delay, not the throughput.)
     */
    private static final long IDLE_MAX_SPINS = 100;
    private static final long IDLE_MAX_YIELDS = 10;
    private static final long IDLE_MIN_PARK_NS = 1_000;
    private static final long IDLE_MAX_PARK_NS = 1_000_000;

    private static final int LINE_MESSAGE_TYPE = 1;

    private final ManyToOneRingBuffer ring;
    private final LogSink delegate;
    private final boolean closeDelegate;
    private final OverflowPolicy overflowPolicy;
    private final LogSinkCounters counters = new LogSinkCounters();
    private final SinkErrorReporter errorReporter;
    private final AtomicInteger producersInside = new AtomicInteger();
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    // Created once: a method reference evaluated per batch would allocate on the writer thread.
    private final MessageHandler lineHandler = this::deliver;
    private final AgentRunner runner;
    private final Thread writer;
    private volatile boolean closed;
    /** Set by close() once no producer can commit any more: the writer drains to the end and stops. */
    private volatile boolean drainRequested;
    /** Set by the writer when every accepted line went to the delegate and the delegate was flushed. */
    private volatile boolean drained;
    private Thread shutdownHook;

    private AsyncLogSink(final LogSink delegate, final int ringCapacity, final OverflowPolicy overflowPolicy,
        final boolean closeDelegate, final SinkErrorReporter errorReporter) {
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
        this.errorReporter = Objects.requireNonNull(errorReporter, "errorReporter");
        runner = new AgentRunner(
            new BackoffIdleStrategy(IDLE_MAX_SPINS, IDLE_MAX_YIELDS, IDLE_MIN_PARK_NS, IDLE_MAX_PARK_NS),
            this::onWriterError, null, new Writer());
        // Last: every field the writer reads is assigned, and Thread.start() publishes them to it.
        writer = AgentRunner.startOnThread(runner, r -> {
            final Thread t = new Thread(r, WRITER_NAME);
            t.setDaemon(true);
            return t;
        });
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
        return start(delegate, ringCapacity, overflowPolicy, closeDelegate, new SinkErrorReporter("async",
            SinkErrorReporter.DEFAULT_INTERVAL_MILLIS, SystemEpochClock.INSTANCE, System.err));
    }

    /** As {@link #start(LogSink, int, OverflowPolicy, boolean)}, telling write errors to {@code errorReporter}. */
    static AsyncLogSink start(final LogSink delegate, final int ringCapacity, final OverflowPolicy overflowPolicy,
        final boolean closeDelegate, final SinkErrorReporter errorReporter) {
        return new AsyncLogSink(delegate, ringCapacity, overflowPolicy, closeDelegate, errorReporter);
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
        drainRequested = true;
        LockSupport.unpark(writer);
        awaitWriter();
        if (closeDelegate) {
            delegate.close();
        }
        removeShutdownHook();
    }

    /**
     * The writer: drains the ring into the delegate until {@link #close()} asks for the final drain, then
     * drains to the end, flushes and ends itself.
     */
    private final class Writer implements Agent {
        @Override
        public int doWork() {
            if (drainRequested) {
                drainToEnd();
                // Not an error: the way an agent ends itself. onWriterError lets it pass.
                throw new AgentTerminationException("drained");
            }
            return drainOnce();
        }

        /**
         * Normally a no-op: the final drain has run. If the runner stopped first (someone interrupted the
         * writer thread), the sink closes itself the way {@link #close()} does, so that no accepted line is
         * left in the ring and later lines are refused and counted instead of silently lost.
         */
        @Override
        public void onClose() {
            if (drained) {
                return;
            }
            final boolean interrupted = Thread.interrupted(); // an interrupt could break the delegate's I/O
            onWriterError(new IllegalStateException(WRITER_NAME + " stopped before close()"
                + (interrupted ? " (interrupted)" : "") + ": the sink is closed, later lines are dropped"));
            closed = true;
            while (producersInside.get() != 0) {
                Thread.onSpinWait();
            }
            drainToEnd();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public String roleName() {
            return WRITER_NAME;
        }
    }

    /**
     * The final drain. The closer saw no producer inside after setting {@code closed}: what is in the ring
     * now is final. Drains until the consumer reaches the producer: a read stops at the end of the buffer,
     * so one that only skips the wrap-around padding returns 0 while lines still wait at the start.
     */
    private void drainToEnd() {
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
        drained = true;
    }

    /**
     * The runner's error handler, and where the delegate's failures go: counts a write error and tells
     * standard error, at most once per interval, how many happened. Allocates only when it prints.
     */
    private void onWriterError(final Throwable error) {
        if (error instanceof AgentTerminationException && drained) {
            return; // the writer ending itself after the final drain
        }
        counters.recordWriteError();
        errorReporter.report(error);
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
            // Caught here rather than by the runner: the rest of the batch goes on without unwinding the read.
            onWriterError(ex);
        }
    }

    private void flushDelegate() {
        try {
            delegate.flush();
        } catch (final RuntimeException ex) {
            onWriterError(ex); // caught here: the final drain must not retry a failing flush forever
        }
    }

    /**
     * Waits, without a time limit, for the writer to end itself after its final drain (or to have died),
     * then closes the runner, which by then has nothing left to wait for; on the writer itself, returns at
     * once (the writer ends when it is back in its loop). Not {@link AgentRunner#close()} alone: that
     * interrupts a writer still draining after 5 s, and an interrupt can break the delegate's I/O (an
     * interrupted FileChannel closes itself).
     */
    private void awaitWriter() {
        if (Thread.currentThread() == writer) {
            return;
        }
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join(100);
            } catch (final InterruptedException ex) {
                // Draining must finish; remember the interrupt for the caller.
                interrupted = true;
            }
        }
        runner.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the writer thread (tests measure what it allocates). */
    Thread writerThread() {
        return writer;
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
