package dev.pipescope.stage.builtin;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.resilience.CircuitBreaker;
import dev.pipescope.calibration.CalibrationCache;
import dev.pipescope.calibration.SimulatedCalibrationService;
import dev.pipescope.stage.ConfiguredStage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CalibrationStageTest {
    private static final int SENSORS = 4;
    private static final long MS = 1_000_000L;
    private static final int CALIBRATED = RecordBatch.FLAG_CALIBRATED;
    private static final int STALE = RecordBatch.FLAG_STALE_CALIBRATION | RecordBatch.FLAG_DEGRADED
        | RecordBatch.FLAG_CALIBRATED;

    private final TestContext ctx = new TestContext(SENSORS);

    private static double calibrated(final int sensor, final double raw) {
        return raw * SimulatedCalibrationService.gainOf(sensor) + SimulatedCalibrationService.offsetOf(sensor);
    }

    private static CalibrationCache cache(final ConfiguredStage stage) {
        return ((CalibrationStage) stage.stage()).cache();
    }

    @Test
    void appliesEachSensorsGainAndOffset() {
        final ConfiguredStage stage = ctx.open(CalibrationStage.class);
        final RecordBatch batch = TestContext.roundRobin(SENSORS, 12);
        final double[] raw = batch.value.clone();
        stage.process(batch);
        assertEquals(12, batch.size());
        for (int i = 0; i < 12; i++) {
            final int s = batch.sensor[i];
            assertEquals(calibrated(s, raw[i]), batch.value[i], "record " + i);
            assertEquals(CALIBRATED, batch.flags[i]);
        }
        // the calibrations really differ: sensor 0 gets gain 0.98 and offset -0.3
        assertEquals(0.98, SimulatedCalibrationService.gainOf(0), 1e-15);
        assertEquals(-0.3, SimulatedCalibrationService.offsetOf(0), 1e-15);
        assertEquals(10 * 0.98 - 0.3, batch.value[0], 1e-12);
    }

    @Test
    void oneMissPerSensorThenHits() {
        final ConfiguredStage stage = ctx.open(CalibrationStage.class);
        stage.process(TestContext.roundRobin(SENSORS, 40));
        final CalibrationCache cache = cache(stage);
        assertEquals(SENSORS, cache.misses());
        assertEquals(40 - SENSORS, cache.hits());
        assertEquals(SENSORS, ctx.service.calls());

        stage.process(TestContext.roundRobin(SENSORS, 40));
        assertEquals(SENSORS, cache.misses());
        assertEquals(80 - SENSORS, cache.hits());
        assertEquals(SENSORS, ctx.service.calls(), "fresh entries are not fetched again");
        assertEquals((80.0 - SENSORS) / 80, cache.hitRate(), 1e-12);
    }

    @Test
    void expiredEntriesAreFetchedAgain() {
        final ConfiguredStage stage = ctx.open(CalibrationStage.class, "cacheTtlMs", 1000);
        stage.process(TestContext.roundRobin(SENSORS, 8));
        assertEquals(SENSORS, ctx.service.calls());

        ctx.nanoClock.advance(999 * MS);
        stage.process(TestContext.roundRobin(SENSORS, 8));
        assertEquals(SENSORS, ctx.service.calls(), "still fresh after 999 ms");

        ctx.nanoClock.advance(1 * MS);
        final RecordBatch batch = TestContext.roundRobin(SENSORS, 8);
        stage.process(batch);
        assertEquals(2 * SENSORS, ctx.service.calls(), "expired at 1000 ms: one refetch per sensor");
        assertEquals(2 * SENSORS, cache(stage).misses());
        assertEquals(CALIBRATED, batch.flags[7]);

        stage.setParameter("cacheTtlMs", 0);
        stage.process(TestContext.roundRobin(SENSORS, 8));
        assertEquals(2 * SENSORS + 8, ctx.service.calls(), "TTL 0 caches nothing");
    }

    @Test
    void failingServiceServesTheLastKnownCalibrationFlaggedStale() {
        final ConfiguredStage stage = ctx.open(CalibrationStage.class, "cacheTtlMs", 1000, "retryAttempts", 1);
        stage.process(TestContext.roundRobin(SENSORS, 8));
        ctx.service.setFailing(1, true);
        ctx.nanoClock.advance(5_000 * MS);

        final RecordBatch batch = TestContext.roundRobin(SENSORS, 40);
        final double[] raw = batch.value.clone();
        final long callsBefore = ctx.service.calls();
        stage.process(batch);
        assertEquals(40, batch.size(), "no record is lost");
        for (int i = 0; i < 40; i++) {
            final int s = batch.sensor[i];
            assertEquals(calibrated(s, raw[i]), batch.value[i], "record " + i + " keeps the last known calibration");
            assertEquals(s == 1 ? STALE : CALIBRATED, batch.flags[i], "record " + i);
        }
        assertEquals(callsBefore + SENSORS, ctx.service.calls(), "one fetch per sensor, failing one included");
        assertEquals(1, ctx.service.failures());
        assertEquals(10, ((CalibrationStage) stage.stage()).degradedRecords());

        // the next batch asks the failing sensor once more, not once per record
        stage.process(TestContext.roundRobin(SENSORS, 40));
        assertEquals(callsBefore + SENSORS + 1, ctx.service.calls());
        assertEquals(20, ((CalibrationStage) stage.stage()).degradedRecords());

        // recovery: calibrated normally again
        ctx.service.setFailing(1, false);
        final RecordBatch recovered = TestContext.roundRobin(SENSORS, 8);
        stage.process(recovered);
        assertEquals(CALIBRATED, recovered.flags[1]);
        assertEquals(20, ((CalibrationStage) stage.stage()).degradedRecords());
    }

    @Test
    void sensorWithoutAnyCalibrationPassesThroughFlaggedDegraded() {
        ctx.service.setFailing(2, true);
        final ConfiguredStage stage = ctx.open(CalibrationStage.class, "retryAttempts", 1);
        final RecordBatch batch = TestContext.roundRobin(SENSORS, 20);
        final double[] raw = batch.value.clone();
        stage.process(batch);
        assertEquals(20, batch.size());
        for (int i = 0; i < 20; i++) {
            if (batch.sensor[i] == 2) {
                assertEquals(raw[i], batch.value[i], "passes uncalibrated");
                assertEquals(RecordBatch.FLAG_DEGRADED, batch.flags[i]);
            } else {
                assertEquals(CALIBRATED, batch.flags[i]);
            }
        }
        assertEquals(SENSORS, ctx.service.calls(), "the failing sensor is asked once in the batch");
        assertEquals(5, batch.countFlagged(RecordBatch.FLAG_DEGRADED));
        assertEquals(5, ((CalibrationStage) stage.stage()).degradedRecords());
    }

    @Test
    void failedCallsAreRetriedWithinTheBudgetThenTheCircuitOpensAndRecovers() {
        final ConfiguredStage stage = ctx.open(CalibrationStage.class, "cacheTtlMs", 0, "retryAttempts", 3,
            "retryBackoffMicros", 200, "retryBudgetMicros", 2000, "breakerWindow", 10, "breakerMinCalls", 5,
            "openDurationMs", 2000, "halfOpenTrials", 2);
        final CalibrationStage calibrate = (CalibrationStage) stage.stage();
        final CircuitBreaker s3 = ctx.context.circuitBreakers().find("calibration:S3");
        assertEquals(CircuitBreaker.State.CLOSED, s3.state(), "breakers of known sensors exist after open()");
        ctx.service.setFailing(3, true);

        final long callsBefore = ctx.service.calls();
        stage.process(TestContext.batchOf(3, 50.0));
        assertEquals(callsBefore + 3, ctx.service.calls(), "three attempts: the first and two retries");
        assertEquals(2, calibrate.call().retryCount());
        assertTrue(ctx.sleptNanos >= 100_000 + 200_000 && ctx.sleptNanos <= 200_000 + 400_000,
            "equal-jitter backoff of 200 us then 400 us: " + ctx.sleptNanos);
        assertEquals(CircuitBreaker.State.CLOSED, s3.state(), "3 failures < 5 minimum calls");

        final RecordBatch second = TestContext.batchOf(3, 50.0);
        stage.process(second);
        assertEquals(CircuitBreaker.State.OPEN, s3.state(), "the fifth failure opens it");
        assertEquals(RecordBatch.FLAG_DEGRADED, second.flags[0], "degraded, not lost");
        assertEquals(1, second.size());

        final long callsWhileOpen = ctx.service.calls();
        stage.process(TestContext.batchOf(3, 50.0));
        assertEquals(callsWhileOpen, ctx.service.calls(), "an open circuit short-circuits the call");
        assertTrue(calibrate.call().shortCircuitCount() >= 1);

        ctx.service.setFailing(3, false);
        ctx.nanoClock.advance(2_000 * MS);
        final RecordBatch probe = TestContext.batchOf(3, 50.0);
        stage.process(probe);
        assertEquals(CircuitBreaker.State.HALF_OPEN, s3.state(), "one trial success of two");
        stage.process(TestContext.batchOf(3, 50.0));
        assertEquals(CircuitBreaker.State.CLOSED, s3.state(), "second trial success closes it");
        assertEquals(CALIBRATED, probe.flags[0]);
    }

    @Test
    void budgetBoundsTheRetryWaitingOfOneBatch() {
        final ConfiguredStage stage = ctx.open(CalibrationStage.class, "retryAttempts", 10,
            "retryBackoffMicros", 1000, "retryBudgetMicros", 2500, "breakerWindow", 100, "breakerMinCalls", 100);
        for (int s = 0; s < SENSORS; s++) {
            ctx.service.setFailing(s, true);
        }
        stage.process(TestContext.roundRobin(SENSORS, SENSORS));
        assertTrue(ctx.sleptNanos <= 2_500_000, "waited " + ctx.sleptNanos + " ns, budget 2.5 ms");
        assertTrue(((CalibrationStage) stage.stage()).call().budgetExhaustedCount() > 0);
        assertEquals(SENSORS, ((CalibrationStage) stage.stage()).degradedRecords());
    }

    @Test
    void aCacheSmallerThanTheSensorsEvicts() {
        final ConfiguredStage stage = ctx.open(CalibrationStage.class, "cacheCapacity", 2);
        final RecordBatch batch = TestContext.roundRobin(SENSORS, 8);
        final double[] raw = batch.value.clone();
        stage.process(batch);
        final CalibrationCache cache = cache(stage);
        assertEquals(2, cache.capacity());
        // slots: sensors 0 and 2 share one, 1 and 3 the other; round robin thrashes both
        assertEquals(6, cache.evictions());
        assertEquals(8, cache.misses());
        assertEquals(0, cache.hits());
        assertEquals(8, ctx.service.calls());
        for (int i = 0; i < 8; i++) {
            assertEquals(calibrated(batch.sensor[i], raw[i]), batch.value[i], "evictions never mix calibrations up");
        }

        final ConfiguredStage roomy = new TestContext(SENSORS).open(CalibrationStage.class, "cacheCapacity", 4);
        roomy.process(TestContext.roundRobin(SENSORS, 8));
        assertEquals(0, cache(roomy).evictions());
    }
}
