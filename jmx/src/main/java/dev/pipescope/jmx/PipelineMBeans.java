package dev.pipescope.jmx;

import dev.pipescope.Pipescope;
import dev.pipescope.events.PipelineEventLog;
import dev.pipescope.health.HealthDashboard;
import dev.pipescope.log.LogSink;
import dev.pipescope.log.StructuredLogger;
import dev.pipescope.pipeline.Pipeline;

import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Registers a pipeline's MBeans — the pipeline, each stage, the health dashboard, the circuit breakers and
 * (optionally) the event log — and unregisters them on {@link #close()}. ObjectNames are built once, here
 * (see {@link ObjectNames}: every one carries {@code pipeline=<name>}).
 * Several pipelines live side by side in one JVM as long as their names differ; a clash is refused with
 * the name that is taken.
 */
public final class PipelineMBeans implements AutoCloseable {
    /** Room for about 2,000 circuit transitions waiting to be notified (32 bytes each in the ring). */
    private static final int RELAY_CAPACITY_BYTES = 64 * 1024;

    private final MBeanServer server;
    private final List<ObjectName> registered = new ArrayList<>();
    private final ExecutorService notifier;
    private final Runnable detach;

    private PipelineMBeans(final MBeanServer server, final ExecutorService notifier, final Runnable detach) {
        this.server = server;
        this.notifier = notifier;
        this.detach = detach;
    }

    /**
     * Registers the MBeans of a pipeline wired by {@link Pipescope}: its pipeline, stages, dashboard, breakers
     * and, with a sink, its event log (whose loggers' level the Log bean sets).
     *
     * @param server where to register (usually the platform MBean server).
     * @param scope  the wired pipeline.
     * @param sink   the event log's sink, or null to register no Log bean.
     * @return the registration; close it to unregister.
     * @throws IllegalStateException when a bean of the same name exists (another pipeline with this name).
     */
    public static PipelineMBeans register(final MBeanServer server, final Pipescope scope, final LogSink sink) {
        final PipelineEventLog events = scope.eventLog();
        return register(server, scope.pipeline(), scope.health(), sink,
            events == null ? List.of() : events.loggers());
    }

    /**
     * @param server    where to register (usually the platform MBean server).
     * @param pipeline  the pipeline.
     * @param dashboard its health dashboard.
     * @param sink      the log sink, or null to register no Log bean.
     * @param loggers   the loggers whose level the Log bean sets.
     * @return the registration; close it to unregister.
     * @throws IllegalStateException when a bean of the same name exists (another pipeline with this name).
     */
    public static PipelineMBeans register(final MBeanServer server, final Pipeline pipeline,
        final HealthDashboard dashboard, final LogSink sink, final List<StructuredLogger> loggers) {
        final ExecutorService notifier = Executors.newSingleThreadExecutor(r -> {
            final Thread t = new Thread(r, "pipescope-jmx-notify-" + pipeline.name());
            t.setDaemon(true);
            return t;
        });
        final ObjectName healthName = ObjectNames.healthDashboard(pipeline.name());
        final ObjectName circuitsName = ObjectNames.circuitBreakers(pipeline.name());
        final HealthDashboardBean health = new HealthDashboardBean(dashboard, healthName);
        final CircuitBreakersBean circuits = new CircuitBreakersBean(pipeline.context().circuitBreakers(),
            pipeline.context().nanoClock(), notifier, circuitsName);
        final CircuitNotificationRelay relay = new CircuitNotificationRelay(pipeline.context().circuitBreakers(),
            circuits, RELAY_CAPACITY_BYTES, "pipescope-jmx-circuits-" + pipeline.name());
        circuits.relay(relay);
        dashboard.addStatusListener(health);
        dashboard.addCircuitListener(relay);
        final PipelineMBeans beans = new PipelineMBeans(server, notifier, () -> {
            dashboard.removeStatusListener(health);
            pipeline.context().circuitBreakers().removeListener(relay);
            relay.close();
        });
        try {
            beans.add(new DescribedMXBean<>(new PipelineBean(pipeline), PipelineMXBean.class,
                new NotificationBroadcasterSupport()), ObjectNames.pipeline(pipeline.name()));
            for (int i = 0; i < pipeline.stages().size(); i++) {
                final ObjectName stageName = ObjectNames.stage(pipeline.name(), pipeline.stages().get(i).name());
                beans.add(new StageBean(pipeline, dashboard, i, stageName), stageName);
            }
            // these two return open data they build (tables, the whole report), so no MXBean re-mapping
            beans.add(new DescribedMXBean<>(health, HealthDashboardMXBean.class, false, health.emitter()),
                healthName);
            beans.add(new DescribedMXBean<>(circuits, CircuitBreakersMXBean.class, false, circuits.emitter()),
                circuitsName);
            if (sink != null) {
                beans.add(new DescribedMXBean<>(new LogSinkBean(sink, loggers), LogSinkMXBean.class,
                    new NotificationBroadcasterSupport()), ObjectNames.log(pipeline.name()));
            }
        } catch (final RuntimeException e) {
            beans.close();
            throw e;
        }
        return beans;
    }

    private void add(final Object bean, final ObjectName name) {
        try {
            server.registerMBean(bean, name);
            registered.add(name);
        } catch (final InstanceAlreadyExistsException e) {
            throw new IllegalStateException("an MBean named " + name + " is already registered:"
                + " give each pipeline in this JVM its own name", e);
        } catch (final JMException e) {
            throw new IllegalStateException("cannot register " + name + ": " + e.getMessage(), e);
        }
    }

    /** @return the names registered, in registration order. */
    public List<ObjectName> names() {
        return List.copyOf(registered);
    }

    /** Unregisters every bean and stops the notification thread. */
    @Override
    public void close() {
        detach.run();
        for (final ObjectName name : registered) {
            try {
                server.unregisterMBean(name);
            } catch (final JMException ignored) {
                // already gone
            }
        }
        registered.clear();
        notifier.shutdown();
    }
}
