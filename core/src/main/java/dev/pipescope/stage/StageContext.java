package dev.pipescope.stage;

import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.calibration.CalibrationService;
import dev.pipescope.metrics.MetricsRegistry;
import dev.pipescope.resilience.CircuitBreakerConfig;
import dev.pipescope.resilience.CircuitBreakerRegistry;
import dev.pipescope.resilience.Sleeper;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.Objects;

/**
 * The services a pipeline shares with its stages at {@link Stage#open(StageContext)}: the sensor
 * registry, the clocks (injectable, so tests control time) and the external dependencies.
 */
public final class StageContext {
    private final String pipelineName;
    private final SensorRegistry registry;
    private final NanoClock nanoClock;
    private final EpochClock epochClock;
    private final CalibrationService calibrationService;
    private final CircuitBreakerRegistry circuitBreakers;
    private final MetricsRegistry metrics = new MetricsRegistry();
    private final Sleeper sleeper;

    /**
     * @param pipelineName       the pipeline's name.
     * @param registry           sensor names and ids; per-sensor state is sized by its capacity.
     * @param nanoClock          monotonic time for durations.
     * @param epochClock         wall time.
     * @param calibrationService the calibration dependency (possibly wrapped with retry and breakers).
     */
    public StageContext(final String pipelineName, final SensorRegistry registry, final NanoClock nanoClock,
        final EpochClock epochClock, final CalibrationService calibrationService) {
        this(pipelineName, registry, nanoClock, epochClock, calibrationService, Sleeper.PARKING);
    }

    /**
     * @param pipelineName       the pipeline's name.
     * @param registry           sensor names and ids; per-sensor state is sized by its capacity.
     * @param nanoClock          monotonic time for durations.
     * @param epochClock         wall time.
     * @param calibrationService the calibration dependency.
     * @param sleeper            how retries wait (tests pass one that advances their clock).
     */
    public StageContext(final String pipelineName, final SensorRegistry registry, final NanoClock nanoClock,
        final EpochClock epochClock, final CalibrationService calibrationService, final Sleeper sleeper) {
        this.pipelineName = Objects.requireNonNull(pipelineName, "pipelineName");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.epochClock = Objects.requireNonNull(epochClock, "epochClock");
        this.calibrationService = Objects.requireNonNull(calibrationService, "calibrationService");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        circuitBreakers = new CircuitBreakerRegistry(CircuitBreakerConfig.DEFAULT, nanoClock);
    }

    /**
     * A context on the system clocks.
     *
     * @param pipelineName       the pipeline's name.
     * @param registry           the sensor registry.
     * @param calibrationService the calibration dependency.
     * @return the context.
     */
    public static StageContext system(final String pipelineName, final SensorRegistry registry,
        final CalibrationService calibrationService) {
        return new StageContext(pipelineName, registry, new SystemNanoClock(), new SystemEpochClock(),
            calibrationService);
    }

    /** @return the pipeline's name. */
    public String pipelineName() {
        return pipelineName;
    }

    /** @return the sensor registry. */
    public SensorRegistry registry() {
        return registry;
    }

    /** @return the monotonic clock. */
    public NanoClock nanoClock() {
        return nanoClock;
    }

    /** @return the wall clock. */
    public EpochClock epochClock() {
        return epochClock;
    }

    /** @return the pipeline's circuit breakers, one per dependency and key (e.g. {@code calibration:S3}). */
    public CircuitBreakerRegistry circuitBreakers() {
        return circuitBreakers;
    }

    /** @return where stages register caches and resilient calls for the dashboard. */
    public MetricsRegistry metrics() {
        return metrics;
    }

    /** @return how retries wait. */
    public Sleeper sleeper() {
        return sleeper;
    }

    /** @return the calibration dependency. */
    public CalibrationService calibrationService() {
        return calibrationService;
    }
}
