package dev.pipescope.jmx;

import dev.pipescope.health.HealthDashboard;
import dev.pipescope.health.HealthReport;
import dev.pipescope.health.StageHealth;
import dev.pipescope.metrics.LatencySummary;
import dev.pipescope.metrics.StageCounters;
import dev.pipescope.metrics.StageMetricsSnapshot;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.stage.ConfiguredStage;
import dev.pipescope.stage.ParameterSpec;
import dev.pipescope.stage.StageDescriptor;

import javax.management.Attribute;
import javax.management.AttributeChangeNotification;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.InvalidAttributeValueException;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ReflectionException;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenMBeanAttributeInfoSupport;
import javax.management.openmbean.OpenMBeanConstructorInfoSupport;
import javax.management.openmbean.OpenMBeanInfoSupport;
import javax.management.openmbean.OpenMBeanOperationInfoSupport;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * {@code dev.pipescope:type=Stage,pipeline=<pipeline>,name=<stage>}: one stage's self-description, its
 * metrics and its parameters. An open MBean built per stage, because each stage type has its own
 * parameters: every parameter is an attribute of its own type, writable when tunable, whose descriptor
 * carries the standard {@code defaultValue}, {@code minValue} and {@code maxValue} fields. A refused write
 * throws {@link InvalidAttributeValueException} with the reason and leaves the old value.
 *
 * <p>Live totals are read from the stage's metrics (a consistent, lock-free read); interval figures
 * (throughput, busy share, percentiles) come from the dashboard's latest report, so reading this bean
 * never samples, and never disturbs, the processing thread.
 */
final class StageBean extends NotificationBroadcasterSupport implements DynamicMBean {
    private static final String[] PARAMETER_COLUMNS = {"name", "type", "defaultValue", "currentValue",
        "numericValue", "min", "max", "bounds", "unit", "tunable", "description"};
    private static final CompositeType PARAMETER_ROW = OpenTypes.composite("StageParameter",
        "One parameter of a stage", PARAMETER_COLUMNS,
        new String[] {"Parameter name", "Java type", "Default value", "Current value", "Current value as a number",
            "Lower bound", "Upper bound", "Bounds as text", "Unit", "Changeable while running", "What it does"},
        new OpenType<?>[] {SimpleType.STRING, SimpleType.STRING, SimpleType.STRING, SimpleType.STRING,
            SimpleType.DOUBLE, SimpleType.DOUBLE, SimpleType.DOUBLE, SimpleType.STRING, SimpleType.STRING,
            SimpleType.BOOLEAN, SimpleType.STRING});
    private static final TabularType PARAMETER_TABLE = OpenTypes.table("StageParameters",
        "The stage's parameters", PARAMETER_ROW, "name");

    private final Pipeline pipeline;
    private final HealthDashboard dashboard;
    private final ConfiguredStage stage;
    private final int index;
    private final MBeanInfo info;
    private final Map<String, Function<StageBean, Object>> readers = new LinkedHashMap<>();
    private final AtomicLong notificationSequence = new AtomicLong();

    StageBean(final Pipeline pipeline, final HealthDashboard dashboard, final int index,
        final javax.management.ObjectName source) {
        this.pipeline = pipeline;
        this.dashboard = dashboard;
        this.index = index;
        this.stage = pipeline.stages().get(index);
        final List<OpenMBeanAttributeInfoSupport> attributes = new ArrayList<>();
        text(attributes, "StageName", "The stage's name in its pipeline.", b -> b.stage.name());
        text(attributes, "StageType", "The stage type, as written in configs.", b -> b.stage.type().name());
        text(attributes, "ClassName", "The implementing class.", b -> b.stage.type().stageClass().getName());
        text(attributes, "Description", "What the stage does.", b -> b.stage.type().description());
        text(attributes, "ProcessSignature", "The process signature with parameter defaults.",
            b -> b.stage.type().processSignature());
        add(attributes, "Position", "0-based position in the pipeline.", SimpleType.INTEGER, b -> b.index);
        add(attributes, "Parameters", "Every parameter: type, default, current value, bounds, unit, tunable.",
            PARAMETER_TABLE, StageBean::parameterTable);

        add(attributes, "Batches", "Batches the stage processed.", SimpleType.LONG, b -> b.totals().batches());
        add(attributes, "RecordsIn", "Records that entered the stage.", SimpleType.LONG, b -> b.totals().recordsIn());
        add(attributes, "RecordsOut", "Records that left the stage.", SimpleType.LONG, b -> b.totals().recordsOut());
        add(attributes, "RecordsDropped", "Records the stage filtered out.", SimpleType.LONG,
            b -> b.totals().recordsDropped());
        add(attributes, "BusySeconds", "Total time spent in the stage, in seconds.", SimpleType.DOUBLE,
            b -> b.totals().busyNanos() / 1e9);
        add(attributes, "AllocatedBytesTotal", "Bytes the processing thread allocated inside the stage.",
            SimpleType.LONG, b -> b.totals().allocatedBytes());
        add(attributes, "ClampedLatencyValues", "Latencies beyond the histogram's range, clamped and counted.",
            SimpleType.LONG, b -> b.totals().clampedValues());

        add(attributes, "ThroughputRps", "Records out per second over the last health interval.", SimpleType.DOUBLE,
            b -> b.snapshotValue(StageMetricsSnapshot::throughputPerSecond));
        add(attributes, "SmoothedThroughputRps", "Exponentially smoothed records out per second.", SimpleType.DOUBLE,
            b -> b.snapshotValue(StageMetricsSnapshot::smoothedThroughputPerSecond));
        add(attributes, "CapacityRps", "Records per second the stage manages per unit of its own time (median batch).",
            SimpleType.DOUBLE, b -> b.healthValue(StageHealth::capacityRps));
        add(attributes, "BusyShare", "Share (0..1) of the last interval's wall time spent in the stage.",
            SimpleType.DOUBLE, b -> b.snapshotValue(StageMetricsSnapshot::busyShare));
        add(attributes, "AllocatedBytesPerBatch", "Bytes allocated per batch in the last interval (0 expected).",
            SimpleType.DOUBLE, b -> b.snapshotValue(StageMetricsSnapshot::allocatedBytesPerBatch));
        latency(attributes, "", "over the last health interval", StageMetricsSnapshot::batchLatency);
        latency(attributes, "Total", "since start", StageMetricsSnapshot::batchLatencyTotal);

        for (final ParameterSpec p : stage.type().parameters()) {
            attributes.add(parameterAttribute(p));
            readers.put(p.name(), b -> b.parameterValue(p));
        }
        info = new OpenMBeanInfoSupport(StageBean.class.getName(),
            "Stage '" + stage.name() + "' (" + stage.type().name() + "): " + stage.type().description(),
            attributes.toArray(new OpenMBeanAttributeInfoSupport[0]), new OpenMBeanConstructorInfoSupport[0],
            new OpenMBeanOperationInfoSupport[0], new MBeanNotificationInfo[] {
                new MBeanNotificationInfo(new String[] {AttributeChangeNotification.ATTRIBUTE_CHANGE},
                    AttributeChangeNotification.class.getName(), "A parameter was changed")});
        stage.addParameterChangeListener((s, p, oldValue, newValue) -> sendNotification(new AttributeChangeNotification(
            source, notificationSequence.incrementAndGet(), System.currentTimeMillis(),
            "parameter " + p.name() + " of stage " + s.name() + " changed", p.name(),
            OpenTypes.simpleTypeOf(p.kind()).getClassName(), box(p, oldValue), box(p, newValue))));
    }

    private void latency(final List<OpenMBeanAttributeInfoSupport> attributes, final String prefix, final String when,
        final Function<StageMetricsSnapshot, LatencySummary> summary) {
        add(attributes, prefix + "LatencyP50Micros", "Median batch latency " + when + ", microseconds.",
            SimpleType.DOUBLE, b -> b.latencyMicros(summary, LatencySummary::p50Nanos));
        add(attributes, prefix + "LatencyP90Micros", "90th percentile batch latency " + when + ", microseconds.",
            SimpleType.DOUBLE, b -> b.latencyMicros(summary, LatencySummary::p90Nanos));
        add(attributes, prefix + "LatencyP99Micros", "99th percentile batch latency " + when + ", microseconds.",
            SimpleType.DOUBLE, b -> b.latencyMicros(summary, LatencySummary::p99Nanos));
        add(attributes, prefix + "LatencyP999Micros", "99.9th percentile batch latency " + when + ", microseconds.",
            SimpleType.DOUBLE, b -> b.latencyMicros(summary, LatencySummary::p999Nanos));
        add(attributes, prefix + "LatencyMaxMicros", "Largest batch latency " + when + ", microseconds.",
            SimpleType.DOUBLE, b -> b.latencyMicros(summary, LatencySummary::maxNanos));
    }

    private void text(final List<OpenMBeanAttributeInfoSupport> attributes, final String name, final String description,
        final Function<StageBean, Object> reader) {
        add(attributes, name, description, SimpleType.STRING, reader);
    }

    private void add(final List<OpenMBeanAttributeInfoSupport> attributes, final String name, final String description,
        final OpenType<?> type, final Function<StageBean, Object> reader) {
        attributes.add(new OpenMBeanAttributeInfoSupport(name, description, type, true, false, false));
        readers.put(name, reader);
    }

    private static OpenMBeanAttributeInfoSupport parameterAttribute(final ParameterSpec p) {
        final String description = p.description() + (p.unit().isEmpty() ? "" : " (" + p.unit() + ")")
            + " Allowed: " + p.boundsText() + "." + (p.tunable() ? "" : " Fixed at assembly.");
        try {
            switch (p.kind()) {
                case DOUBLE:
                    return new OpenMBeanAttributeInfoSupport(p.name(), description, SimpleType.DOUBLE, true, p.tunable(),
                        false, p.defaultValue(), p.min(), p.max());
                case INT:
                    return new OpenMBeanAttributeInfoSupport(p.name(), description, SimpleType.INTEGER, true, p.tunable(),
                        false, (int) p.defaultValue(), (int) p.min(), (int) p.max());
                case LONG:
                    return new OpenMBeanAttributeInfoSupport(p.name(), description, SimpleType.LONG, true, p.tunable(),
                        false, (long) p.defaultValue(), (long) p.min(), (long) p.max());
                default:
                    return new OpenMBeanAttributeInfoSupport(p.name(), description, SimpleType.BOOLEAN, true,
                        p.tunable(), true, p.defaultValue() != 0, (Boolean) null, (Boolean) null);
            }
        } catch (final OpenDataException e) {
            throw new IllegalStateException("cannot describe parameter " + p.name(), e);
        }
    }

    private static Object box(final ParameterSpec p, final double value) {
        switch (p.kind()) {
            case DOUBLE: return value;
            case INT: return (int) value;
            case LONG: return (long) value;
            default: return value != 0;
        }
    }

    private Object parameterValue(final ParameterSpec p) {
        return box(p, p.get(stage.stage()));
    }

    private StageCounters totals() {
        return pipeline.metrics(index).totals();
    }

    private double snapshotValue(final ToDoubleFunction<StageMetricsSnapshot> f) {
        final HealthReport r = dashboard.latest();
        return r == null ? Double.NaN : f.applyAsDouble(r.stageMetrics().get(index));
    }

    private double healthValue(final ToDoubleFunction<StageHealth> f) {
        final HealthReport r = dashboard.latest();
        return r == null ? Double.NaN : f.applyAsDouble(r.stages().get(index));
    }

    private double latencyMicros(final Function<StageMetricsSnapshot, LatencySummary> summary,
        final ToDoubleFunction<LatencySummary> value) {
        final HealthReport r = dashboard.latest();
        return r == null ? Double.NaN : value.applyAsDouble(summary.apply(r.stageMetrics().get(index))) / 1000.0;
    }

    private Object parameterTable() {
        final TabularDataSupport table = new TabularDataSupport(PARAMETER_TABLE);
        final StageDescriptor d = stage.describe();
        for (final StageDescriptor.Parameter p : d.parameters()) {
            try {
                table.put(new CompositeDataSupport(PARAMETER_ROW, PARAMETER_COLUMNS, new Object[] {p.name(), p.type(),
                    p.defaultValue(), p.currentValue(), p.numericValue(), p.min(), p.max(), p.bounds(), p.unit(),
                    p.tunable(), p.description()}));
            } catch (final OpenDataException e) {
                throw new IllegalStateException(e);
            }
        }
        return table;
    }

    @Override
    public Object getAttribute(final String attribute) throws AttributeNotFoundException {
        final Function<StageBean, Object> reader = readers.get(attribute);
        if (reader == null) {
            throw new AttributeNotFoundException("stage '" + stage.name() + "' has no attribute '" + attribute + "'");
        }
        return reader.apply(this);
    }

    @Override
    public void setAttribute(final Attribute attribute) throws AttributeNotFoundException, InvalidAttributeValueException {
        final ParameterSpec p = stage.type().parameter(attribute.getName());
        if (p == null) {
            if (readers.containsKey(attribute.getName())) {
                throw new AttributeNotFoundException(attribute.getName() + " is read-only");
            }
            throw new AttributeNotFoundException("stage '" + stage.name() + "' has no attribute '" + attribute.getName()
                + "'; parameters: " + stage.type().parameterNames());
        }
        final Object value = attribute.getValue();
        final double numeric;
        if (value instanceof Boolean) {
            numeric = (Boolean) value ? 1 : 0;
        } else if (value instanceof Number) {
            numeric = ((Number) value).doubleValue();
        } else if (value instanceof String) {
            try {
                numeric = p.parse((String) value);
            } catch (final IllegalArgumentException e) {
                throw new InvalidAttributeValueException(e.getMessage());
            }
        } else {
            throw new InvalidAttributeValueException(p.name() + " must be a " + p.kind().javaName() + ", was "
                + (value == null ? "null" : value.getClass().getSimpleName()));
        }
        try {
            stage.setParameter(p.name(), numeric);
        } catch (final IllegalArgumentException e) {
            throw new InvalidAttributeValueException(e.getMessage());
        }
    }

    @Override
    public AttributeList getAttributes(final String[] attributes) {
        final AttributeList list = new AttributeList();
        for (final String name : attributes) {
            final Function<StageBean, Object> reader = readers.get(name);
            if (reader != null) {
                list.add(new Attribute(name, reader.apply(this)));
            }
        }
        return list;
    }

    @Override
    public AttributeList setAttributes(final AttributeList attributes) {
        final AttributeList set = new AttributeList();
        for (final Attribute a : attributes.asList()) {
            try {
                setAttribute(a);
                set.add(new Attribute(a.getName(), getAttribute(a.getName())));
            } catch (final AttributeNotFoundException | InvalidAttributeValueException e) {
                // per the DynamicMBean contract, attributes that could not be set are left out of the result
            }
        }
        return set;
    }

    @Override
    public Object invoke(final String actionName, final Object[] params, final String[] signature)
        throws ReflectionException {
        throw new ReflectionException(new NoSuchMethodException(actionName),
            "stage beans have no operations; change parameters by writing their attributes");
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        return info;
    }

    @Override
    public MBeanNotificationInfo[] getNotificationInfo() {
        return info.getNotifications();
    }

}
