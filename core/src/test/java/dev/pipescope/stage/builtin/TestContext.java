package dev.pipescope.stage.builtin;

import dev.pipescope.calibration.CalibrationService;
import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.calibration.SimulatedCalibrationService;
import dev.pipescope.stage.ConfiguredStage;
import dev.pipescope.stage.Stage;
import dev.pipescope.stage.StageContext;
import dev.pipescope.stage.StageType;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;

/** A stage context on controllable clocks, with sensors S0..S(n-1) registered, for stage unit tests. */
final class TestContext {
    final SensorRegistry registry;
    final CachedNanoClock nanoClock = new CachedNanoClock();
    final CachedEpochClock epochClock = new CachedEpochClock();
    final SimulatedCalibrationService service;
    final StageContext context;
    /** Total time retries waited; the sleeper advances the cached clock instead of sleeping. */
    long sleptNanos;

    TestContext(final int sensors) {
        this(sensors, sensors);
    }

    TestContext(final int sensors, final int capacity) {
        registry = new SensorRegistry(capacity);
        for (int i = 0; i < sensors; i++) {
            registry.register("S" + i);
        }
        service = new SimulatedCalibrationService(capacity);
        nanoClock.update(1_000_000_000L);
        epochClock.update(1_764_237_600_000L);
        context = StageContext.builder("test", registry).clocks(nanoClock, epochClock).service(CalibrationService.class, service).sleeper(nanos -> {
            sleptNanos += nanos;
            nanoClock.advance(nanos);
        }).build();
    }

    /** Wraps a fresh instance of a stage type, configures it, then opens it on this context. */
    ConfiguredStage open(final Class<? extends Stage> type, final Object... parameters) {
        final StageType stageType = StageType.inspect(type);
        final ConfiguredStage stage = new ConfiguredStage(stageType.name(), stageType, stageType.newInstance());
        for (int i = 0; i < parameters.length; i += 2) {
            stage.configure((String) parameters[i], ((Number) parameters[i + 1]).doubleValue());
        }
        stage.validate();
        stage.stage().open(context);
        return stage;
    }

    /** A batch holding {@code values} for one sensor, sequence numbers 1.. . */
    static RecordBatch batchOf(final int sensor, final double... values) {
        final RecordBatch batch = new RecordBatch(Math.max(1, values.length));
        for (int i = 0; i < values.length; i++) {
            batch.add(sensor, 1_000L * i, i + 1, values[i]);
        }
        return batch;
    }

    /** A batch of {@code records} readings cycling over sensors 0..sensors-1, value = 10 * (i + 1). */
    static RecordBatch roundRobin(final int sensors, final int records) {
        final RecordBatch batch = new RecordBatch(records);
        for (int i = 0; i < records; i++) {
            batch.add(i % sensors, i, i + 1, 10.0 * (i + 1));
        }
        return batch;
    }
}
