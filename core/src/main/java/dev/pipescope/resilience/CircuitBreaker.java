package dev.pipescope.resilience;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A circuit breaker for one dependency and key (e.g. {@code calibration:S3}): it stops calling a
 * dependency that keeps failing and probes it again after a while.
 *
 * <h2>States</h2>
 * <ul>
 *   <li>{@link State#CLOSED}: calls pass; outcomes go into a count-based window of the last
 *   {@code windowSize} calls. Once the window holds at least {@code minimumCalls} calls and the failure
 *   share reaches {@code failureRateThreshold}, the breaker opens.</li>
 *   <li>{@link State#OPEN}: calls are rejected. The first {@link #tryAcquire(long)} at least
 *   {@code openDurationNanos} after opening moves to half-open and is the first trial call.</li>
 *   <li>{@link State#HALF_OPEN}: up to {@code trialCalls} calls pass; that many successes close the breaker
 *   (with an empty window), any failure opens it again.</li>
 *   <li>{@link State#FORCED_OPEN} / {@link State#FORCED_CLOSED}: set by an operator during an incident and
 *   held — no automatic transition leaves them — until {@link #reset(long)} (or the other force).</li>
 * </ul>
 *
 * <h2>Threading contract</h2>
 * <ul>
 *   <li><b>Writer</b> (one thread, the one making the protected calls): {@link #tryAcquire(long)},
 *   {@link #onSuccess(long)}, {@link #onFailure(long)}. Lock-free and allocation-free; the call window, the
 *   trial counters and the outcome counters are owned by it.</li>
 *   <li><b>Management</b> (any thread): {@link #forceOpen(long)}, {@link #forceClose(long)},
 *   {@link #reset(long)}, the parameter setters and {@link #addListener(CircuitBreakerListener)}. These
 *   are serialised among themselves by a lock the writer never takes.</li>
 *   <li><b>Readers</b> (any thread): {@link #state()} and all the counters and times.</li>
 * </ul>
 * Every transition, by the writer or by management, is a compare-and-set of the volatile state, so a forced
 * state takes effect immediately (not at the writer's next call), and an automatic transition that races
 * with an operator's command simply fails: the writer's CAS expects e.g. {@code HALF_OPEN} and finds
 * {@code FORCED_OPEN}, so an operator's decision is never overwritten. Writer-owned structures are not
 * touched by management: a reset posts a "clear the window" request (a counter) that the writer applies at
 * the start of its next call. The thread that wins a transition does its bookkeeping (time entered,
 * transition counts, time spent open) and calls the listeners. The one remaining race — an operator's
 * transition and a writer's transition in the same few nanoseconds — can make the recorded entry time of
 * the later state off by that much; counts and states are never wrong.
 *
 * <h2>Outages</h2>
 * An <em>outage</em> is one unbroken stretch of {@code OPEN}, {@code HALF_OPEN} and {@code FORCED_OPEN}:
 * it starts when the breaker leaves {@code CLOSED} or {@code FORCED_CLOSED} for {@code OPEN} or
 * {@code FORCED_OPEN}, carries on through any number of failed half-open probes (each of which restarts
 * {@link #stateEnteredNanos()}, but not the outage) and through an operator's force-open, and ends when the
 * breaker is closed again, automatically, by {@link #reset(long)} or by {@link #forceClose(long)}. An
 * operator wants the outage's age ("open for 2 s"), not the age of the latest open period since the last
 * probe ("open for 0.1 s"): {@link #outageStartedNanos()}, {@link #outageNanos(long)} and
 * {@link #outageCount()}.
 *
 * <p>Memory ordering: the outage start is a volatile field written, like {@link #stateEnteredNanos()}, by
 * the thread that wins the transition, right after its CAS and before the listeners run (so a listener
 * sees it current). A reader on another thread sees it at most that bookkeeping step behind {@link
 * #state()}. The reader masks it with the state it reads, so a breaker that reads as closed never reports
 * an outage, even when an operator's close and the writer's opening race and their bookkeeping lands out
 * of order; the clearing store is a CAS from the value seen before the transition, so a close whose
 * bookkeeping is late cannot erase the start of an outage that began after it. Just after an outage
 * starts, a reader can see the new state with no outage start yet (age 0) for that bookkeeping step. Only
 * an outage that starts while the writer's own opening is still being recorded (an operator closing and
 * force-opening within those nanoseconds) can be dated to the earlier opening. The outage count is an
 * atomic increment by the transition's winner and is exact. The times of the last failure and the last
 * rejection are writer-owned and published with release stores, like the outcome counters.
 */
public final class CircuitBreaker {
    /** Breaker states. */
    public enum State {
        /** Calls pass and are counted. */
        CLOSED,
        /** Calls are rejected until the open duration has passed. */
        OPEN,
        /** A few trial calls pass to probe the dependency. */
        HALF_OPEN,
        /** Held open by an operator. */
        FORCED_OPEN,
        /** Held closed by an operator; outcomes are counted but cannot open it. */
        FORCED_CLOSED
    }

    private static final int CLOSED = 0;
    private static final int OPEN = 1;
    private static final int HALF_OPEN = 2;
    private static final int FORCED_OPEN = 3;
    private static final int FORCED_CLOSED = 4;
    private static final State[] STATES = State.values(); // values() clones: read it once

    /**
     * Returned by {@link #outageStartedNanos()}, {@link #lastFailureNanos()} and {@link #lastRejectedNanos()}
     * when there is no such time. {@link Long#MIN_VALUE} because any other long is a possible
     * {@code nanoTime}.
     */
    public static final long NONE = Long.MIN_VALUE;

    private static final VarHandle STATE;
    private static final VarHandle OUTAGE_STARTED;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(CircuitBreaker.class, "state", int.class);
            OUTAGE_STARTED = lookup.findVarHandle(CircuitBreaker.class, "outageStartedNanos", long.class);
        } catch (final ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private static final CircuitBreakerListener[] NO_LISTENERS = {};

    private final String name;
    private final String dependency;
    private final String key;
    private final int id;
    private final Object managementLock = new Object();

    private volatile int state = CLOSED;
    private volatile long stateEnteredNanos;
    private volatile long outageStartedNanos = NONE; // see "Outages"
    private volatile long lastOutageNanos;
    private volatile CircuitBreakerListener[] listeners = NO_LISTENERS;
    private final AtomicLong openNanos = new AtomicLong(); // completed open periods
    private final AtomicLongArray transitions = new AtomicLongArray(STATES.length);
    private final AtomicLong outages = new AtomicLong();
    private final AtomicInteger clearRequests = new AtomicInteger();

    // Runtime parameters (written by management, read by the writer at each use).
    private volatile double failureRateThreshold;
    private volatile int windowSize;
    private volatile int minimumCalls;
    private volatile long openDurationNanos;
    private volatile int trialCalls;

    // Writer-owned.
    private final boolean[] window;
    private int windowHead;
    private int windowCalls;
    private int windowFailures;
    private int appliedWindowSize;
    private int appliedClearRequests;
    private int trialsStarted;
    private int trialSuccesses;

    // Written by the writer only (release stores), readable by anyone.
    private final AtomicLong permitted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong successes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong lastFailure = new AtomicLong(NONE);
    private final AtomicLong lastRejected = new AtomicLong(NONE);
    private final AtomicLong windowView = new AtomicLong(); // calls << 32 | failures, one store: consistent rate

    /**
     * @param name        the breaker's name, e.g. {@code calibration:S3}: dependency, {@code ':'} and key,
     *                    split at the first {@code ':'} (see {@link #dependency()}).
     * @param config      initial parameters.
     * @param createdNanos the time the breaker starts in {@link State#CLOSED}.
     */
    public CircuitBreaker(final String name, final CircuitBreakerConfig config, final long createdNanos) {
        this(name, dependencyOf(name), keyOf(name), config, createdNanos, -1);
    }

    CircuitBreaker(
        final String name,
        final String dependency,
        final String key,
        final CircuitBreakerConfig config,
        final long createdNanos,
        final int id) {
        this.name = name;
        this.dependency = dependency;
        this.key = key;
        this.id = id;
        window = new boolean[config.windowCapacity()];
        failureRateThreshold = config.failureRateThreshold();
        windowSize = config.windowSize();
        minimumCalls = config.minimumCalls();
        openDurationNanos = config.openDurationNanos();
        trialCalls = config.trialCalls();
        appliedWindowSize = windowSize;
        stateEnteredNanos = createdNanos;
    }

    /** @return the name, e.g. {@code calibration:S3}. */
    public String name() {
        return name;
    }

    /**
     * @return the dependency this breaker protects, e.g. {@code calibration} for {@code calibration:S3}: the
     *         dependency given to {@link CircuitBreakerRegistry#keyed} for its breakers, otherwise the name
     *         up to its first {@code ':'} (the whole name when it has none). Breakers are grouped by it in
     *         {@link CircuitBreakerRegistry#dependencies()}.
     */
    public String dependency() {
        return dependency;
    }

    /**
     * @return the key within the dependency, e.g. {@code S3} for {@code calibration:S3}: what follows the
     *         dependency and its {@code ':'}, empty when the name has no {@code ':'}.
     */
    public String key() {
        return key;
    }

    static String dependencyOf(final String name) {
        final int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(0, colon);
    }

    static String keyOf(final String name) {
        final int colon = name.indexOf(':');
        return colon < 0 ? "" : name.substring(colon + 1);
    }

    /**
     * @return the position of this breaker in its registry's creation order ({@link
     *         CircuitBreakerRegistry#breakerAt(int)} finds it again), or -1 when no registry created it. Lets a
     *         listener pass a breaker on as a number, without allocating.
     */
    public int id() {
        return id;
    }

    // ------------------------------------------------------------------ writer

    /**
     * Asks permission for one call. Writer thread only; allocation-free (unless a listener allocates).
     * A {@code true} must be followed by {@link #onSuccess(long)} or {@link #onFailure(long)}.
     *
     * @param nowNanos the current time.
     * @return true when the call may proceed, false when it is short-circuited.
     */
    public boolean tryAcquire(final long nowNanos) {
        applyManagementRequests();
        while (true) {
            final int s = state;
            if (s == CLOSED || s == FORCED_CLOSED) {
                return permit();
            } else if (s == HALF_OPEN) {
                if (trialsStarted < trialCalls) {
                    trialsStarted++;
                    return permit();
                }
                return reject(nowNanos);
            } else if (s == OPEN) {
                if (nowNanos - stateEnteredNanos < openDurationNanos) {
                    return reject(nowNanos);
                }
                trialsStarted = 0;
                trialSuccesses = 0;
                transition(OPEN, HALF_OPEN, nowNanos); // if it fails an operator got there first: re-read
            } else { // FORCED_OPEN
                return reject(nowNanos);
            }
        }
    }

    /**
     * Reports that a permitted call succeeded. Writer thread only; allocation-free.
     *
     * @param nowNanos the current time.
     */
    public void onSuccess(final long nowNanos) {
        applyManagementRequests();
        successes.lazySet(successes.get() + 1);
        final int s = state;
        if (s == CLOSED) {
            recordInWindow(false);
        } else if (s == HALF_OPEN) {
            if (++trialSuccesses >= trialCalls) {
                clearWindow();
                transition(HALF_OPEN, CLOSED, nowNanos);
            }
        }
    }

    /**
     * Reports that a permitted call failed. Writer thread only; allocation-free.
     *
     * @param nowNanos the current time.
     */
    public void onFailure(final long nowNanos) {
        applyManagementRequests();
        failures.lazySet(failures.get() + 1);
        lastFailure.lazySet(nowNanos);
        final int s = state;
        if (s == CLOSED) {
            recordInWindow(true);
            if (windowCalls >= minimumCalls && windowFailures >= failureRateThreshold * windowCalls) {
                transition(CLOSED, OPEN, nowNanos);
            }
        } else if (s == HALF_OPEN) {
            transition(HALF_OPEN, OPEN, nowNanos);
        }
    }

    private boolean permit() {
        permitted.lazySet(permitted.get() + 1);
        return true;
    }

    private boolean reject(final long nowNanos) {
        rejected.lazySet(rejected.get() + 1);
        lastRejected.lazySet(nowNanos);
        return false;
    }

    /**
     * Whether a call asked for at {@code atNanos} is sure to be refused, judged from the state now: forced
     * open, or open with the open duration not over by then. Lets the caller skip a retry's backoff that
     * could only end in a short-circuit. Any thread; allocation-free; an operator may change the answer
     * right after.
     *
     * @param atNanos the time the next call would be asked for.
     * @return true when that call would be rejected.
     */
    boolean rejectsAt(final long atNanos) {
        final int s = state;
        return s == FORCED_OPEN || (s == OPEN && atNanos - stateEnteredNanos < openDurationNanos);
    }

    private void applyManagementRequests() {
        final int requests = clearRequests.get();
        final int size = windowSize;
        if (requests != appliedClearRequests || size != appliedWindowSize) {
            appliedClearRequests = requests;
            appliedWindowSize = size;
            clearWindow();
        }
    }

    private void recordInWindow(final boolean failed) {
        if (windowCalls == appliedWindowSize) {
            if (window[windowHead]) {
                windowFailures--;
            }
        } else {
            windowCalls++;
        }
        window[windowHead] = failed;
        if (failed) {
            windowFailures++;
        }
        windowHead = windowHead + 1 == appliedWindowSize ? 0 : windowHead + 1;
        windowView.lazySet((long)windowCalls << 32 | windowFailures);
    }

    private void clearWindow() {
        Arrays.fill(window, false);
        windowHead = 0;
        windowCalls = 0;
        windowFailures = 0;
        windowView.lazySet(0);
    }

    // ------------------------------------------------------------------ transitions

    private static boolean inOutage(final int s) {
        return s == OPEN || s == HALF_OPEN || s == FORCED_OPEN;
    }

    private boolean transition(final int from, final int to, final long nowNanos) {
        final boolean startsOutage = !inOutage(from) && inOutage(to);
        final boolean endsOutage = inOutage(from) && !inOutage(to);
        // read before the CAS: the clearing CAS below must fail if a later outage's start got stored meanwhile
        final long outageSeen = endsOutage ? outageStartedNanos : NONE;
        if (!STATE.compareAndSet(this, from, to)) {
            return false;
        }
        final long entered = stateEnteredNanos;
        stateEnteredNanos = nowNanos;
        if (from == OPEN || from == FORCED_OPEN) {
            openNanos.getAndAdd(Math.max(0, nowNanos - entered));
        }
        if (startsOutage) {
            outageStartedNanos = nowNanos;
            outages.getAndIncrement();
        } else if (endsOutage) {
            if (outageSeen != NONE) {
                lastOutageNanos = Math.max(0, nowNanos - outageSeen);
            }
            OUTAGE_STARTED.compareAndSet(this, outageSeen, NONE);
        }
        transitions.getAndIncrement(to);
        final CircuitBreakerListener[] current = listeners;
        for (int i = 0; i < current.length; i++) { // indexed: no iterator on the writer's path
            current[i].stateChanged(this, STATES[from], STATES[to], nowNanos);
        }
        return true;
    }

    private void moveTo(final int to, final long nowNanos) {
        while (true) {
            final int s = state;
            if (s == to || transition(s, to, nowNanos)) {
                return;
            }
        }
    }

    // ------------------------------------------------------------------ management

    /**
     * Opens the breaker and holds it open until {@link #reset(long)} or {@link #forceClose(long)}. Any
     * thread; takes effect immediately.
     *
     * @param nowNanos the current time.
     */
    public void forceOpen(final long nowNanos) {
        synchronized (managementLock) {
            moveTo(FORCED_OPEN, nowNanos);
        }
    }

    /**
     * Closes the breaker and holds it closed (failures cannot open it) until {@link #reset(long)} or
     * {@link #forceOpen(long)}. Any thread; takes effect immediately.
     *
     * @param nowNanos the current time.
     */
    public void forceClose(final long nowNanos) {
        synchronized (managementLock) {
            moveTo(FORCED_CLOSED, nowNanos);
        }
    }

    /**
     * Returns the breaker to automatic operation in {@link State#CLOSED} with an empty window (the writer
     * empties it before its next call is counted). Totals and transition counts are kept: they are
     * monotonic counters for monitoring. Any thread.
     *
     * @param nowNanos the current time.
     */
    public void reset(final long nowNanos) {
        synchronized (managementLock) {
            clearRequests.incrementAndGet(); // before the CAS: the writer must not count into the old window
            moveTo(CLOSED, nowNanos);
        }
    }

    /**
     * Adds a listener (see {@link CircuitBreakerListener} for the rules). Any thread; allocates.
     *
     * @param listener told about every transition from now on.
     */
    public void addListener(final CircuitBreakerListener listener) {
        synchronized (managementLock) {
            final CircuitBreakerListener[] grown = Arrays.copyOf(listeners, listeners.length + 1);
            grown[grown.length - 1] = listener;
            listeners = grown;
        }
    }

    /**
     * Removes a listener added before (the first occurrence). Any thread; allocates.
     *
     * @param listener no longer told.
     */
    public void removeListener(final CircuitBreakerListener listener) {
        synchronized (managementLock) {
            final CircuitBreakerListener[] current = listeners;
            for (int i = 0; i < current.length; i++) {
                if (current[i] == listener) {
                    final CircuitBreakerListener[] shrunk = new CircuitBreakerListener[current.length - 1];
                    System.arraycopy(current, 0, shrunk, 0, i);
                    System.arraycopy(current, i + 1, shrunk, i, current.length - i - 1);
                    listeners = shrunk;
                    return;
                }
            }
        }
    }

    /** @param threshold the failure share that opens the breaker, 0 &lt; x &lt;= 1. Any thread. */
    public void failureRateThreshold(final double threshold) {
        checkThreshold(threshold);
        failureRateThreshold = threshold;
    }

    /**
     * Changes the window size; the writer starts a fresh window at its next call. Any thread.
     *
     * @param size calls in the window, 1..window capacity.
     */
    public void windowSize(final int size) {
        checkWindow(size, window.length);
        windowSize = size;
    }

    /** @param calls calls needed in the window before the breaker can open, {@code >= 1}. Any thread. */
    public void minimumCalls(final int calls) {
        checkMinimumCalls(calls);
        minimumCalls = calls;
    }

    /** @param nanos how long the breaker stays open before trial calls, {@code >= 0}. Any thread. */
    public void openDurationNanos(final long nanos) {
        checkOpenDuration(nanos);
        openDurationNanos = nanos;
    }

    /** @param calls trial calls while half-open, {@code >= 1}. Any thread. */
    public void trialCalls(final int calls) {
        checkTrialCalls(calls);
        trialCalls = calls;
    }

    // ------------------------------------------------------------------ readers

    /** @return the current state (volatile read). */
    public State state() {
        return STATES[state];
    }

    /** @return true when calls are currently rejected ({@code OPEN} or {@code FORCED_OPEN}). */
    public boolean isOpen() {
        final int s = state;
        return s == OPEN || s == FORCED_OPEN;
    }

    /**
     * @return the time the current state was entered. During an outage this restarts at every failed
     *         half-open probe; use {@link #outageStartedNanos()} for the outage's age.
     */
    public long stateEnteredNanos() {
        return stateEnteredNanos;
    }

    /**
     * @param nowNanos the current time.
     * @return total time spent open or forced open, including the current open period.
     */
    public long openNanos(final long nowNanos) {
        final long completed = openNanos.get();
        return isOpen() ? completed + Math.max(0, nowNanos - stateEnteredNanos) : completed;
    }

    /**
     * The start of the current outage (see "Outages" above): the time the breaker first opened or was forced
     * open after being closed, kept while it goes on to half-open, open again or forced open. Any thread.
     *
     * @return the outage's start, or {@link #NONE} while the breaker is closed or forced closed.
     */
    public long outageStartedNanos() {
        final long started = outageStartedNanos;
        final int s = state; // masks a start whose close is still being recorded (or was recorded first)
        return inOutage(s) ? started : NONE;
    }

    /**
     * @param nowNanos the current time.
     * @return how long the current outage has lasted (across half-open probes), 0 while closed.
     */
    public long outageNanos(final long nowNanos) {
        final long started = outageStartedNanos();
        return started == NONE ? 0 : Math.max(0, nowNanos - started);
    }

    /**
     * @return how long the most recent ended outage lasted, 0 before the first one ended. A listener told
     *         about the closing transition reads the outage that just ended here (the start is cleared by
     *         then).
     */
    public long lastOutageNanos() {
        return lastOutageNanos;
    }

    /**
     * @return outages so far: transitions from closed or forced closed to open or forced open. Unlike {@code
     *         transitionCount(OPEN)}, a failed half-open probe (half-open to open) does not add one.
     */
    public long outageCount() {
        return outages.get();
    }

    /** @return the time of the last reported failure, or {@link #NONE} if there was none. */
    public long lastFailureNanos() {
        return lastFailure.get();
    }

    /** @return the time of the last rejected (short-circuited) call, or {@link #NONE} if there was none. */
    public long lastRejectedNanos() {
        return lastRejected.get();
    }

    /**
     * @param to a target state.
     * @return transitions into it so far.
     */
    public long transitionCount(final State to) {
        return transitions.get(to.ordinal());
    }

    /** @return calls permitted so far. */
    public long permittedCalls() {
        return permitted.get();
    }

    /** @return calls rejected (short-circuited) so far. */
    public long rejectedCalls() {
        return rejected.get();
    }

    /** @return successes reported so far. */
    public long successes() {
        return successes.get();
    }

    /** @return failures reported so far. */
    public long failures() {
        return failures.get();
    }

    /** @return calls in the closed-state window as last published by the writer. */
    public int windowCalls() {
        return (int)(windowView.get() >>> 32);
    }

    /** @return failure share of the window (consistent with {@link #windowCalls()} at one instant), NaN if empty. */
    public double windowFailureRate() {
        final long view = windowView.get();
        final long calls = view >>> 32;
        return calls == 0 ? Double.NaN : (double)(view & 0xFFFF_FFFFL) / calls;
    }

    /** @return the failure share that opens the breaker. */
    public double failureRateThreshold() {
        return failureRateThreshold;
    }

    /** @return calls in the window. */
    public int windowSize() {
        return windowSize;
    }

    /** @return the largest window size this breaker supports. */
    public int windowCapacity() {
        return window.length;
    }

    /** @return calls needed in the window before the breaker can open. */
    public int minimumCalls() {
        return minimumCalls;
    }

    /** @return how long the breaker stays open before trial calls. */
    public long openDurationNanos() {
        return openDurationNanos;
    }

    /** @return trial calls while half-open. */
    public int trialCalls() {
        return trialCalls;
    }

    @Override
    public String toString() {
        return "CircuitBreaker{" + name + ' ' + state() + '}';
    }

    // ------------------------------------------------------------------ validation (shared with the config)

    static void checkThreshold(final double threshold) {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("failureRateThreshold must be within (0, 1], was " + threshold);
        }
    }

    static void checkWindow(final int size, final int capacity) {
        if (size < 1 || size > capacity) {
            throw new IllegalArgumentException("windowSize must be within [1, " + capacity + "], was " + size);
        }
    }

    static void checkMinimumCalls(final int calls) {
        if (calls < 1) {
            throw new IllegalArgumentException("minimumCalls must be >= 1, was " + calls);
        }
    }

    static void checkOpenDuration(final long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("openDurationNanos must be >= 0, was " + nanos);
        }
    }

    static void checkTrialCalls(final int calls) {
        if (calls < 1) {
            throw new IllegalArgumentException("trialCalls must be >= 1, was " + calls);
        }
    }
}
