package dev.pipescope.jmx;

import dev.pipescope.resilience.CircuitBreaker;
import dev.pipescope.resilience.CircuitBreakerListener;
import dev.pipescope.resilience.CircuitBreakerRegistry;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
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
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final CircuitBreakerRegistry registry;
    private final Target target;
    private final ManyToOneRingBuffer ring;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong relayed = new AtomicLong();
    private final Thread thread;
    private final MessageHandler handler = this::onMessage;
    private volatile boolean running = true;

    /**
     * Starts the relay thread.
     *
     * @param registry      where breaker ids are looked up.
     * @param target        what the relay thread tells.
     * @param capacityBytes ring capacity, a power of two (each transition takes 32 bytes).
     * @param threadName    the relay thread's name.
     */
    CircuitNotificationRelay(final CircuitBreakerRegistry registry, final Target target, final int capacityBytes,
        final String threadName) {
        this.registry = registry;
        this.target = target;
        ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(capacityBytes + RingBufferDescriptor.TRAILER_LENGTH)));
        thread = new Thread(this::relayUntilClosed, threadName);
        thread.setDaemon(true);
        thread.start();
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

    private void relayUntilClosed() {
        while (running) {
            if (ring.read(handler) == 0) {
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
            }
        }
        while (ring.read(handler) > 0) {
            // deliver what was accepted before close
        }
    }

    private void onMessage(final int type, final MutableDirectBuffer buffer, final int index, final int length) {
        try {
            target.transition(registry.breakerAt(buffer.getInt(index + ID_OFFSET)),
                STATES[buffer.getInt(index + FROM_OFFSET)], STATES[buffer.getInt(index + TO_OFFSET)],
                buffer.getLong(index + MILLIS_OFFSET));
            relayed.incrementAndGet();
        } catch (final RuntimeException e) {
            dropped.incrementAndGet(); // one bad delivery must not stop the relay
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

    /** Stops the relay thread after it has relayed every transition accepted so far (waits up to 5 s). */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
