package dev.pipescope.stage.builtin;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.calibration.Calibration;
import dev.pipescope.calibration.CalibrationCache;
import dev.pipescope.calibration.CalibrationService;
import dev.pipescope.resilience.CircuitBreaker;
import dev.pipescope.resilience.KeyedCircuitBreakers;
import dev.pipescope.resilience.ResilientCall;
import dev.pipescope.resilience.RetryPolicy;
import dev.pipescope.stage.Parameter;
import dev.pipescope.stage.Stage;
import dev.pipescope.stage.StageContext;
import dev.pipescope.stage.StageDefinition;
import org.agrona.concurrent.NanoClock;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Applies each sensor's gain and offset ({@code value = raw * gain + offset}), looked up from the
 * calibration service through a {@link CalibrationCache}. Calls to the service go through a circuit
 * breaker per sensor (named {@code calibration:S3}) and a retry policy with jittered backoff whose waits
 * never exceed a per-batch budget.
 *
 * <p>When the service fails, the breaker is open or the budget is spent, the stage degrades instead of
 * losing data: a record gets the sensor's last known calibration, flagged
 * {@link RecordBatch#FLAG_STALE_CALIBRATION}, or passes uncalibrated; both are flagged
 * {@link RecordBatch#FLAG_DEGRADED}. A sensor whose call failed is not asked again within the same batch,
 * so an outage costs one call (with its retries) per sensor per batch, not one per record.
 */
@StageDefinition(type = "calibrate",
    description = "Applies per-sensor gain/offset from the calibration service, through a cache.")
public final class CalibrationStage implements Stage, ResilientCall.Attempt {
    @Parameter(description = "How long a cached calibration stays fresh.", min = 0, max = 86_400_000, unit = "ms")
    volatile long cacheTtlMs = 1000;

    @Parameter(description = "Number of cache slots (direct-mapped by sensor id).", min = 1, max = 1 << 20,
        tunable = false)
    int cacheCapacity = 64;

    @Parameter(description = "Failure rate over the breaker's window at which a sensor's circuit opens.",
        min = 0.01, max = 1.0)
    volatile double failureRateThreshold = 0.5;

    @Parameter(description = "Calls in each breaker's sliding window.", min = 1, max = 100, unit = "calls")
    volatile int breakerWindow = 20;

    @Parameter(description = "Calls a breaker's window needs before it may open.", min = 1, max = 100, unit = "calls")
    volatile int breakerMinCalls = 5;

    @Parameter(description = "How long an open circuit rejects calls before probing.", min = 1, max = 3_600_000,
        unit = "ms")
    volatile long openDurationMs = 2000;

    @Parameter(description = "Trial calls in half-open; that many successes close the circuit.", min = 1, max = 100,
        unit = "calls")
    volatile int halfOpenTrials = 3;

    @Parameter(description = "Attempts per call, the first included.", min = 1, max = 10, tunable = false)
    int retryAttempts = 3;

    @Parameter(description = "Backoff before the first retry (doubles per retry, equal jitter).", min = 0, max = 10_000,
        unit = "us", tunable = false)
    long retryBackoffMicros = 200;

    @Parameter(description = "Total retry waiting allowed per batch.", min = 0, max = 10_000, unit = "us",
        tunable = false)
    long retryBudgetMicros = 2000;

    private final Calibration scratch = new Calibration();
    private final AtomicLong degraded = new AtomicLong();
    private CalibrationCache cache;
    private CalibrationService service;
    private ResilientCall call;
    private KeyedCircuitBreakers breakers;
    private NanoClock clock;
    private long[] failedInBatch = new long[0];
    private boolean[] breakerConfigured = new boolean[0];
    private long batchNumber;
    private long appliedBreakerSettings;

    @Override
    public void open(final StageContext context) {
        final SensorRegistry sensors = context.registry();
        cache = new CalibrationCache(cacheCapacity, sensors.capacity());
        service = context.require(CalibrationService.class);
        clock = context.nanoClock();
        failedInBatch = new long[sensors.capacity()];
        breakerConfigured = new boolean[sensors.capacity()];
        breakers = context.circuitBreakers().keyed(service.dependencyName(), sensors.capacity(), sensors::name);
        final long backoff = retryBackoffMicros * 1000;
        final RetryPolicy policy = new RetryPolicy(retryAttempts, backoff, 2.0, Math.max(backoff, backoff * 8),
            RetryPolicy.Jitter.EQUAL, retryBudgetMicros * 1000, 0x5eed);
        call = new ResilientCall(service.dependencyName(), this, policy, breakers, clock, context.sleeper());
        context.metrics().registerCache("calibration", cache);
        context.metrics().registerCall(call);
        // breakers of the sensors known now exist before the first batch, so the hot path never creates one
        for (int id = 0; id < sensors.size(); id++) {
            configure(id, breakers.get(id));
        }
        appliedBreakerSettings = breakerSettingsHash();
    }

    @Override
    public void process(final RecordBatch batch) {
        final long now = clock.nanoTime();
        final long ttlNanos = cacheTtlMs * 1_000_000L;
        final long batchId = ++batchNumber;
        if (breakerSettingsHash() != appliedBreakerSettings) {
            applyBreakerSettings();
        }
        call.beginBatch();
        final CalibrationCache cache = this.cache;
        cache.beginBatch(now, ttlNanos);
        final int[] sensor = batch.sensor;
        final double[] value = batch.value;
        final int[] flags = batch.flags;
        final int n = batch.size();
        int hits = 0;
        long degradedNow = 0;
        int i = 0;
        while (i < n) {
            final int miss = cache.applyWhileFresh(sensor, value, flags, RecordBatch.FLAG_CALIBRATED, i, n);
            hits += miss - i;
            if (miss == n) {
                break;
            }
            if (!calibrateMiss(batch, miss, sensor[miss], now, batchId)) {
                degradedNow++;
            }
            i = miss + 1;
        }
        cache.countLookups(hits, n - hits); // every record is a hit of the fast path or one miss
        if (degradedNow != 0) {
            degraded.lazySet(degraded.get() + degradedNow);
        }
    }

    // Out of the loop: a miss calls the service (with retries and the breaker), which the hit path must not
    // carry in its body. Returns false when the record was passed stale or uncalibrated.
    private boolean calibrateMiss(final RecordBatch batch, final int i, final int s, final long now, final long batchId) {
        final double[] value = batch.value;
        final int[] flags = batch.flags;
        if (failedInBatch[s] != batchId && fetch(s)) {
            value[i] = cache.apply(cache.put(s, scratch, now), value[i]);
            flags[i] |= RecordBatch.FLAG_CALIBRATED;
            return true;
        }
        failedInBatch[s] = batchId;
        final int lastKnown = cache.lastKnownSlot(s);
        if (lastKnown != CalibrationCache.MISS) {
            value[i] = cache.apply(lastKnown, value[i]);
            flags[i] |= RecordBatch.FLAG_CALIBRATED | RecordBatch.FLAG_STALE_CALIBRATION | RecordBatch.FLAG_DEGRADED;
        } else {
            flags[i] |= RecordBatch.FLAG_DEGRADED;
        }
        return false;
    }

    private boolean fetch(final int sensorId) {
        if (!breakerConfigured[sensorId]) {
            configure(sensorId, breakers.get(sensorId)); // a sensor first seen after assembly
        }
        return call.execute(sensorId) == ResilientCall.Outcome.SUCCESS;
    }

    /** One attempt of the protected call; fills the scratch calibration on success. */
    @Override
    public boolean attempt(final int sensorId) {
        return service.fetch(sensorId, scratch);
    }

    private long breakerSettingsHash() {
        long h = Double.doubleToRawLongBits(failureRateThreshold);
        h = 31 * h + breakerWindow;
        h = 31 * h + breakerMinCalls;
        h = 31 * h + openDurationMs;
        return 31 * h + halfOpenTrials;
    }

    private void applyBreakerSettings() {
        for (int id = 0; id < breakers.capacity(); id++) {
            final CircuitBreaker breaker = breakers.getIfCreated(id);
            if (breaker != null) {
                configure(id, breaker);
            }
        }
        appliedBreakerSettings = breakerSettingsHash();
    }

    private void configure(final int sensorId, final CircuitBreaker breaker) {
        breakerConfigured[sensorId] = true;
        breaker.failureRateThreshold(failureRateThreshold);
        breaker.windowSize(breakerWindow);
        breaker.minimumCalls(Math.min(breakerMinCalls, breakerWindow));
        breaker.openDurationNanos(openDurationMs * 1_000_000L);
        breaker.trialCalls(halfOpenTrials);
    }

    @Override
    public String checkChange(final String parameter, final double candidate) {
        if ("breakerMinCalls".equals(parameter) && candidate > breakerWindow) {
            return "breakerMinCalls = " + (long) candidate + " must not exceed breakerWindow = " + breakerWindow;
        }
        if ("breakerWindow".equals(parameter) && candidate < breakerMinCalls) {
            return "breakerWindow = " + (long) candidate + " must not be below breakerMinCalls = " + breakerMinCalls;
        }
        return null;
    }

    /** @return the stage's cache (null before {@link #open}); its counters may be read from any thread. */
    public CalibrationCache cache() {
        return cache;
    }

    /** @return the resilient call to the service (null before {@link #open}); counters readable from any thread. */
    public ResilientCall call() {
        return call;
    }

    /** @return records passed with stale or no calibration since start; readable from any thread. */
    public long degradedRecords() {
        return degraded.get();
    }
}
