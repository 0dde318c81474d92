package dev.pipescope.jmx;

import dev.pipescope.log.BackgroundErrorHandler;
import dev.pipescope.resilience.CircuitBreaker;
import dev.pipescope.resilience.CircuitBreakerListener;
import dev.pipescope.resilience.CircuitBreakerRegistry;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Carries circuit-breaker transitions from the threads where they happen to a relay thread that turns
 * them into JMX notifications.
 *
 * <p>Automatic transitions happen on the processing thread, inside a batch. Building an
 * {@code AttributeChangeNotification} and handing it to a broadcaster allocates (the notification, its
 * message, the delivery job), so the listener only writes the transition as four numbers into an Agrona
 * many-to-one ring buffer — operators' forced transitions come from JMX threads, hence many producers —
 * and unparks the relay thread, which reads them and calls the {@link Target}. When the ring is full
 * (thousands of transitions not yet relayed) a transition's notification is dropped and counted; the
 * breaker's state, its counts and the {@code circuit_state_changed} log event are not affected.
 *
 * <p>The relay is an Agrona {@link Agent} run by an {@link AgentRunner} on its own daemon thread. A
 * target that throws costs that one notification (counted in {@link #dropped()} and {@link #errors()}),
 * not the relay; the error goes to an {@link ErrorHandler}, by default a {@link BackgroundErrorHandler}
 * printing at most one line per interval to standard error.
 */
final class CircuitNotificationRelay implements CircuitBreakerListener, AutoCloseable {
    /** Receives transitions on the relay thread. */
    interface Target {
        /**
         * @param breaker     the breaker that changed.
         * @param from        its state before.
         * @param to          its state after.
         * @param epochMillis when it changed.
         */
        void transition(CircuitBreaker breaker, CircuitBreaker.State from, CircuitBreaker.State to, long epochMillis);
    }

    private static final int TRANSITION = 1;
    private static final int MILLIS_OFFSET = 0;
    private static final int ID_OFFSET = 8;
    private static final int FROM_OFFSET = 12;
    private static final int TO_OFFSET = 16;
    private static final int LENGTH = 20;
    private static final CircuitBreaker.State[] STATES = CircuitBreaker.State.values();
    /*
     * The relay's idle strategy: park 100 ms when the ring is empty, woken at once by the unpark every
     * accepted transition does. Transitions come at human or breaker timescales (at most thousands a
     * second), so spinning would buy nothing and a 2-core machine cannot spare the CPU; an idle relay wakes
     * 10 times a second. SleepingIdleStrategy rather than SleepingMillisIdleStrategy: it parks
     * (LockSupport.parkNanos), which unpark ends, where Thread.sleep would make each notification wait out
     * the period. The 100 ms bound only matters if an unpark were ever missed.
     */
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private final CircuitBreakerRegistry registry;
    private final Target target;
    private final ManyToOneRingBuffer ring;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final ErrorHandler errorHandler;
    private final String threadName;
    // Created once: a method reference evaluated per read would allocate on the relay thread.
    private final MessageHandler handler = this::onMessage;
    private final AgentRunner runner;
    private final Thread thread;
    /** Set by close(): the relay delivers what the ring holds and ends. */
    private volatile boolean closing;
    /** Set by the relay once it has delivered everything accepted before close(). */
    private volatile boolean drained;

    /**
     * Starts the relay thread, telling errors to a {@link BackgroundErrorHandler} on standard error.
     *
     * @param registry      where breaker ids are looked up.
     * @param target        what the relay thread tells.
     * @param capacityBytes ring capacity, a power of two (each transition takes 32 bytes).
     * @param threadName    the relay thread's name.
     */
    CircuitNotificationRelay(final CircuitBreakerRegistry registry, final Target target, final int capacityBytes,
        final String threadName) {
        this(registry, target, capacityBytes, threadName, BackgroundErrorHandler.standardError());
    }

    /**
     * Starts the relay thread.
     *
     * @param registry      where breaker ids are looked up.
     * @param target        what the relay thread tells.
     * @param capacityBytes ring capacity, a power of two (each transition takes 32 bytes).
     * @param threadName    the relay thread's name.
     * @param errorHandler  told, on the relay thread, about each error (a throwing target, mostly); it
     *                      should count and rate-limit, as {@link BackgroundErrorHandler} does.
     */
    CircuitNotificationRelay(final CircuitBreakerRegistry registry, final Target target, final int capacityBytes,
        final String threadName, final ErrorHandler errorHandler) {
        this.registry = registry;
        this.target = target;
        this.threadName = Objects.requireNonNull(threadName, "threadName");
        this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
        ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(capacityBytes + RingBufferDescriptor.TRAILER_LENGTH)));
        runner = new AgentRunner(new SleepingIdleStrategy(IDLE_PARK_NANOS), this::onRelayError, null, new Relay());
        // Last: every field the relay reads is assigned, and Thread.start() publishes them to it.
        thread = AgentRunner.startOnThread(runner, r -> {
            final Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void stateChanged(final CircuitBreaker breaker, final CircuitBreaker.State from,
        final CircuitBreaker.State to, final long nowNanos) {
        if (breaker.id() < 0) {
            return; // not one of the registry's: nobody could look it up
        }
        final int index = ring.tryClaim(TRANSITION, LENGTH);
        if (index <= 0) {
            dropped.incrementAndGet();
            return;
        }
        final MutableDirectBuffer buffer = ring.buffer();
        buffer.putInt(index + ID_OFFSET, breaker.id());
        buffer.putInt(index + FROM_OFFSET, from.ordinal());
        buffer.putInt(index + TO_OFFSET, to.ordinal());
        buffer.putLong(index + MILLIS_OFFSET, System.currentTimeMillis());
        ring.commit(index);
        LockSupport.unpark(thread);
    }

    /** Relays until close(), then delivers what the ring holds and ends itself. */
    private final class Relay implements Agent {
        @Override
        public int doWork() {
            if (closing) {
                drainToEnd();
                // Not an error: the way an agent ends itself. onRelayError lets it pass.
                throw new AgentTerminationException("drained");
            }
            return ring.read(handler);
        }

        /**
         * Normally a no-op. If the runner stopped before close() (someone interrupted the relay thread),
         * says so and delivers what the ring holds; later transitions are dropped once the ring is full.
         */
        @Override
        public void onClose() {
            if (!drained) {
                onRelayError(new IllegalStateException(threadName + " stopped before close()"
                    + (Thread.currentThread().isInterrupted() ? " (interrupted)" : "")
                    + ": circuit notifications stop"));
                drainToEnd();
            }
        }

        @Override
        public String roleName() {
            return threadName;
        }
    }

    /**
     * Delivers every transition accepted so far: reads until the consumer reaches the producer, or stops
     * moving. (Every record takes 32 bytes of a power-of-two ring, so the ring never pads at its end and a
     * read returning 0 means empty today; this loop does not depend on that, as the log sink's cannot.)
     */
    private void drainToEnd() {
        long previous = -1;
        while (true) {
            ring.read(handler);
            final long consumed = ring.consumerPosition();
            if (consumed == ring.producerPosition() || consumed == previous) {
                break;
            }
            previous = consumed;
        }
        drained = true;
    }

    private void onMessage(final int type, final MutableDirectBuffer buffer, final int index, final int length) {
        try {
            target.transition(registry.breakerAt(buffer.getInt(index + ID_OFFSET)),
                STATES[buffer.getInt(index + FROM_OFFSET)], STATES[buffer.getInt(index + TO_OFFSET)],
                buffer.getLong(index + MILLIS_OFFSET));
            relayed.incrementAndGet();
        } catch (final RuntimeException e) {
            // Caught here rather than by the runner: the rest of the read goes on. One bad delivery costs
            // one notification, not the relay.
            dropped.incrementAndGet();
            onRelayError(e);
        }
    }

    /** The runner's error handler, and where a failed delivery goes: counts it and tells the handler. */
    private void onRelayError(final Throwable error) {
        if (error instanceof AgentTerminationException && drained) {
            return; // the relay ending itself after delivering everything
        }
        errors.incrementAndGet();
        try {
            errorHandler.onError(error);
        } catch (final RuntimeException ignored) {
            // an error handler that fails cannot be told about it; the relay must go on
        }
    }

    /** @return transitions not notified: the ring was full, or delivering failed. */
    long dropped() {
        return dropped.get();
    }

    /** @return transitions handed to the target. */
    long relayed() {
        return relayed.get();
    }

    /** @return errors on the relay thread: deliveries that threw (also counted as dropped), and any other. */
    long errors() {
        return errors.get();
    }

    /** @return the relay thread (tests measure what it allocates). */
    Thread thread() {
        return thread;
    }

    /**
     * Stops the relay thread after it has relayed every transition accepted so far; waits up to 5 s for a
     * slow target, then returns, leaving the (daemon) relay to finish and end by itself. Not
     * {@link AgentRunner#close()} alone: that waits without a limit and interrupts the target every 5 s.
     */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(thread);
        if (Thread.currentThread() == thread) {
            return; // a target closing the relay: it ends once the target returns
        }
        try {
            thread.join(CLOSE_WAIT_MILLIS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (!thread.isAlive()) {
            runner.close(); // nothing left to wait for
        }
    }
}
