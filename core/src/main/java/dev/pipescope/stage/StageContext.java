package dev.pipescope.stage;

import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.metrics.MetricsRegistry;
import dev.pipescope.resilience.CircuitBreakerConfig;
import dev.pipescope.resilience.CircuitBreakerRegistry;
import dev.pipescope.resilience.Sleeper;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The services a pipeline shares with its stages at {@link Stage#open(StageContext)}: the sensor
 * registry, the clocks (injectable, so tests control time), the circuit breakers and metrics registry of
 * the pipeline, and any number of <em>typed services</em> the embedding code provides (a calibration
 * service, a lookup table...). A stage asks for what it needs with {@link #require(Class)}; a pipeline
 * whose stages need nothing is given nothing.
 *
 * <p>Build one with {@link #builder(String, SensorRegistry)}, or {@link #system(String, SensorRegistry)}
 * for the system clocks and no services.
 */
public final class StageContext {
    private final String pipelineName;
    private final SensorRegistry registry;
    private final NanoClock nanoClock;
    private final EpochClock epochClock;
    private final Map<Class<?>, Object> services;
    private final CircuitBreakerRegistry circuitBreakers;
    private final MetricsRegistry metrics = new MetricsRegistry();
    private final Sleeper sleeper;

    private StageContext(final Builder b) {
        pipelineName = b.pipelineName;
        registry = b.registry;
        nanoClock = b.nanoClock;
        epochClock = b.epochClock;
        sleeper = b.sleeper;
        services = Map.copyOf(b.services);
        circuitBreakers = new CircuitBreakerRegistry(CircuitBreakerConfig.DEFAULT, nanoClock);
    }

    /**
     * @param pipelineName the pipeline's name.
     * @param registry     sensor names and ids; per-sensor state is sized by its capacity.
     * @return a builder on the system clocks, parking retries and no services.
     */
    public static Builder builder(final String pipelineName, final SensorRegistry registry) {
        return new Builder(pipelineName, registry);
    }

    /**
     * A context on the system clocks with no services.
     *
     * @param pipelineName the pipeline's name.
     * @param registry     the sensor registry.
     * @return the context.
     */
    public static StageContext system(final String pipelineName, final SensorRegistry registry) {
        return builder(pipelineName, registry).build();
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

    /**
     * @param type the service's type, as it was provided.
     * @param <T>  the type.
     * @return the service, or empty when none was provided.
     */
    public <T> Optional<T> service(final Class<T> type) {
        return Optional.ofNullable(type.cast(services.get(type)));
    }

    /**
     * The service a stage cannot work without; call it from {@link Stage#open(StageContext)}.
     *
     * @param type the service's type.
     * @param <T>  the type.
     * @return the service.
     * @throws MissingServiceException when none was provided; assembly reports it with the stage's name.
     */
    public <T> T require(final Class<T> type) {
        final Object service = services.get(type);
        if (service == null) {
            throw new MissingServiceException(type, services.keySet());
        }
        return type.cast(service);
    }

    /** Builds a {@link StageContext}; not thread-safe, used once. */
    public static final class Builder {
        private final String pipelineName;
        private final SensorRegistry registry;
        private NanoClock nanoClock = new SystemNanoClock();
        private EpochClock epochClock = new SystemEpochClock();
        private Sleeper sleeper = Sleeper.PARKING;
        private final Map<Class<?>, Object> services = new LinkedHashMap<>();

        private Builder(final String pipelineName, final SensorRegistry registry) {
            this.pipelineName = Objects.requireNonNull(pipelineName, "pipelineName");
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /**
         * @param nano  monotonic time for durations.
         * @param epoch wall time.
         * @return this.
         */
        public Builder clocks(final NanoClock nano, final EpochClock epoch) {
            nanoClock = Objects.requireNonNull(nano, "nanoClock");
            epochClock = Objects.requireNonNull(epoch, "epochClock");
            return this;
        }

        /**
         * @param retrySleeper how retries wait (tests pass one that advances their clock).
         * @return this.
         */
        public Builder sleeper(final Sleeper retrySleeper) {
            sleeper = Objects.requireNonNull(retrySleeper, "sleeper");
            return this;
        }

        /**
         * Provides a service to the stages, replacing any earlier one of the same type.
         *
         * @param type    the type stages ask for.
         * @param service the implementation.
         * @param <T>     the type.
         * @return this.
         */
        public <T> Builder service(final Class<T> type, final T service) {
            services.put(Objects.requireNonNull(type, "type"), type.cast(Objects.requireNonNull(service, "service")));
            return this;
        }

        /** @return the context. */
        public StageContext build() {
            return new StageContext(this);
        }
    }
}
