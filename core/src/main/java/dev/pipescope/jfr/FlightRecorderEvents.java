package dev.pipescope.jfr;

import dev.pipescope.health.HealthDashboard;
import dev.pipescope.health.HealthReason;
import dev.pipescope.health.HealthReport;
import dev.pipescope.health.HealthStatus;
import dev.pipescope.health.HealthStatusListener;
import dev.pipescope.pipeline.BatchObserver;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.resilience.CircuitBreaker;
import dev.pipescope.resilience.CircuitBreakerListener;
import dev.pipescope.stage.ConfiguredStage;
import jdk.jfr.EventType;

/**
 * Emits Java Flight Recorder events for stage batches, circuit transitions and health changes. With no
 * recording on (or with the event disabled in the recording's settings) a batch costs one check of the
 * event type's enabled flag and allocates nothing; with one on, each stage batch is an event
 * ({@code dev.pipescope.StageBatch}), so record it with a bounded duration.
 */
public final class FlightRecorderEvents implements BatchObserver, CircuitBreakerListener, HealthStatusListener {
    private static final EventType STAGE_BATCH = EventType.getEventType(StageBatchEvent.class);
    private static final EventType CIRCUIT_TRANSITION = EventType.getEventType(CircuitTransitionEvent.class);
    private static final EventType HEALTH_CHANGE = EventType.getEventType(HealthChangeEvent.class);

    private final String pipeline;

    /** @param pipeline the pipeline whose events these are. */
    public FlightRecorderEvents(final Pipeline pipeline) {
        this.pipeline = pipeline.name();
    }

    /**
     * Subscribes to the pipeline's batches, its breakers and (optionally) its dashboard's status changes.
     *
     * @param target    the pipeline.
     * @param dashboard its dashboard, or null.
     * @return this.
     */
    public FlightRecorderEvents attach(final Pipeline target, final HealthDashboard dashboard) {
        target.addObserver(this);
        target.context().circuitBreakers().addListener(this);
        if (dashboard != null) {
            dashboard.addStatusListener(this);
        }
        return this;
    }

    @Override
    public void stageCompleted(final long batchNumber, final int stageIndex, final ConfiguredStage stage,
        final int recordsIn, final int recordsOut, final long nanos) {
        if (!STAGE_BATCH.isEnabled()) {
            return;
        }
        final StageBatchEvent e = new StageBatchEvent();
        e.pipeline = pipeline;
        e.stage = stage.name();
        e.batch = batchNumber;
        e.recordsIn = recordsIn;
        e.recordsOut = recordsOut;
        e.elapsed = nanos;
        e.commit();
    }

    @Override
    public void stateChanged(final CircuitBreaker breaker, final CircuitBreaker.State from,
        final CircuitBreaker.State to, final long nowNanos) {
        if (!CIRCUIT_TRANSITION.isEnabled()) {
            return; // checked before the event exists: a flapping breaker with no recording allocates nothing
        }
        final CircuitTransitionEvent e = new CircuitTransitionEvent();
        e.circuit = breaker.name();
        e.from = from.name();
        e.to = to.name();
        e.commit();
    }

    @Override
    public void onStatusChange(final HealthStatus from, final HealthStatus to, final HealthReport report) {
        if (!HEALTH_CHANGE.isEnabled()) {
            return;
        }
        final HealthChangeEvent e = new HealthChangeEvent();
        e.pipeline = pipeline;
        e.from = from == null ? "NONE" : from.name();
        e.to = to.name();
        final StringBuilder reasons = new StringBuilder();
        for (final HealthReason r : report.reasons()) {
            reasons.append(r.message()).append('\n');
        }
        e.reasons = reasons.toString();
        e.bottleneck = report.bottleneckStage();
        e.commit();
    }
}
