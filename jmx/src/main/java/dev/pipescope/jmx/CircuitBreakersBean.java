package dev.pipescope.jmx;

import dev.pipescope.resilience.CircuitBreaker;
import dev.pipescope.resilience.CircuitBreakerRegistry;
import org.agrona.concurrent.NanoClock;

import javax.management.AttributeChangeNotification;
import javax.management.MBeanNotificationInfo;
import javax.management.NotificationBroadcasterSupport;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Adapter of a {@link CircuitBreakerRegistry} to {@link CircuitBreakersMXBean}. Every transition becomes an
 * {@link AttributeChangeNotification} (attribute {@code State}, user data the breaker's name). Transitions
 * reach it through a {@link CircuitNotificationRelay}, so the notification is built on the relay thread and
 * the processing thread, where automatic transitions happen, allocates nothing for it.
 */
final class CircuitBreakersBean implements CircuitBreakersMXBean, CircuitNotificationRelay.Target {
    private static final String[] COLUMNS = {"name", "state", "stateCode", "secondsInState", "timesOpened", "calls",
        "failures", "rejectedCalls", "windowFailureRate"};
    private static final CompositeType ROW = OpenTypes.composite("CircuitBreaker", "One circuit breaker", COLUMNS,
        new String[] {"Breaker name (dependency:key)", "State", "0 closed, 1 half-open, 2 open (FORCED_OPEN is 2, FORCED_CLOSED 0)",
            "Seconds since the last transition", "Times it opened", "Calls permitted", "Failed calls",
            "Calls refused while open", "Failure rate over its sliding window"},
        new OpenType<?>[] {SimpleType.STRING, SimpleType.STRING, SimpleType.INTEGER, SimpleType.DOUBLE, SimpleType.LONG,
            SimpleType.LONG, SimpleType.LONG, SimpleType.LONG, SimpleType.DOUBLE});
    private static final TabularType TABLE = OpenTypes.table("CircuitBreakers", "Every circuit breaker", ROW, "name");

    private final CircuitBreakerRegistry registry;
    private final NanoClock clock;
    private final NotificationBroadcasterSupport emitter;
    private final javax.management.ObjectName source;
    private final AtomicLong sequence = new AtomicLong();
    private volatile CircuitNotificationRelay relay;

    CircuitBreakersBean(final CircuitBreakerRegistry registry, final NanoClock clock, final Executor notifier,
        final javax.management.ObjectName source) {
        this.registry = registry;
        this.source = source;
        this.clock = clock;
        emitter = new NotificationBroadcasterSupport(notifier, new MBeanNotificationInfo(
            new String[] {AttributeChangeNotification.ATTRIBUTE_CHANGE}, AttributeChangeNotification.class.getName(),
            "A circuit breaker changed state; the user data is the breaker's name"));
    }

    NotificationBroadcasterSupport emitter() {
        return emitter;
    }

    /** Wires the relay that feeds {@link #transition}; its drop count becomes an attribute. */
    void relay(final CircuitNotificationRelay relay) {
        this.relay = relay;
    }

    @Override
    public void transition(final CircuitBreaker breaker, final CircuitBreaker.State from, final CircuitBreaker.State to,
        final long epochMillis) {
        final AttributeChangeNotification n = new AttributeChangeNotification(source, sequence.incrementAndGet(),
            epochMillis, breaker.name() + " " + from + " -> " + to, "State", "java.lang.String",
            from.name(), to.name());
        n.setUserData(breaker.name());
        emitter.sendNotification(n);
    }

    @Override
    public TabularData getBreakers() {
        final TabularDataSupport table = new TabularDataSupport(TABLE);
        final long now = clock.nanoTime();
        for (final CircuitBreaker b : registry.breakers()) {
            try {
                table.put(new CompositeDataSupport(ROW, COLUMNS, new Object[] {b.name(), b.state().name(),
                    stateCode(b.state()), Math.max(0, now - b.stateEnteredNanos()) / 1e9,
                    b.transitionCount(CircuitBreaker.State.OPEN) + b.transitionCount(CircuitBreaker.State.FORCED_OPEN),
                    b.permittedCalls(), b.failures(), b.rejectedCalls(), b.windowFailureRate()}));
            } catch (final OpenDataException e) {
                throw new IllegalStateException(e);
            }
        }
        return table;
    }

    private static int stateCode(final CircuitBreaker.State state) {
        switch (state) {
            case HALF_OPEN: return 1;
            case OPEN:
            case FORCED_OPEN: return 2;
            default: return 0;
        }
    }

    @Override
    public long getNotificationsDropped() {
        final CircuitNotificationRelay r = relay;
        return r == null ? 0 : r.dropped();
    }

    @Override
    public int getOpenCount() {
        return registry.notClosedCount();
    }

    @Override
    public int getBreakerCount() {
        return registry.size();
    }

    @Override
    public String[] getOpenBreakers() {
        final List<String> open = new ArrayList<>();
        for (final CircuitBreaker b : registry.breakers()) {
            if (stateCode(b.state()) != 0) {
                open.add(b.name());
            }
        }
        return open.toArray(new String[0]);
    }

    @Override
    public String state(final String name) {
        return breaker(name).state().name();
    }

    @Override
    public void forceOpen(final String name) {
        breaker(name).forceOpen(clock.nanoTime());
    }

    @Override
    public void forceClose(final String name) {
        breaker(name).forceClose(clock.nanoTime());
    }

    @Override
    public void reset(final String name) {
        breaker(name).reset(clock.nanoTime());
    }

    private CircuitBreaker breaker(final String name) {
        final CircuitBreaker b = name == null ? null : registry.find(name);
        if (b == null) {
            final List<String> names = new ArrayList<>();
            for (final CircuitBreaker each : registry.breakers()) {
                names.add(each.name());
            }
            throw new IllegalArgumentException("no circuit breaker named '" + name + "'; breakers: " + names);
        }
        return b;
    }
}
