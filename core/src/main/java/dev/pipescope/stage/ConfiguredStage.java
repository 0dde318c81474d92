package dev.pipescope.stage;

import dev.pipescope.batch.RecordBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stage instance placed in a pipeline under a name, with validated parameter access. Parameter writes
 * (from configuration or a management client) are serialised among themselves; the processing thread
 * never takes that lock, it only reads the volatile fields.
 */
public final class ConfiguredStage {
    /** Told about every accepted live parameter change. */
    @FunctionalInterface
    public interface ParameterChangeListener {
        /**
         * @param stage     the stage changed.
         * @param parameter the parameter.
         * @param oldValue  the value before.
         * @param newValue  the value now.
         */
        void parameterChanged(ConfiguredStage stage, ParameterSpec parameter, double oldValue, double newValue);
    }

    private final String name;
    private final StageType type;
    private final Stage stage;
    private Stage processor;
    private final Object writeLock = new Object();
    private final List<ParameterChangeListener> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param name  the stage's name in its pipeline.
     * @param type  its type.
     * @param stage an instance of that type.
     */
    public ConfiguredStage(final String name, final StageType type, final Stage stage) {
        if (!type.stageClass().isInstance(stage)) {
            throw new IllegalArgumentException(stage.getClass().getName() + " is not a " + type.name());
        }
        this.name = name;
        this.type = type;
        this.stage = stage;
        this.processor = stage;
    }

    /**
     * Lets a decorator run in the stage's place (for example the program's fault injection, which makes a
     * stage slower inside its own timing); the stage keeps its name, type, parameters and metrics. Called
     * once at assembly, before the pipeline is published to its processing thread.
     *
     * @param decorator returns what runs when this stage processes a batch.
     */
    public void decorate(final StageDecorator decorator) {
        processor = java.util.Objects.requireNonNull(decorator.decorate(this), "a decorator returned null");
    }

    /** @return the name in the pipeline. */
    public String name() {
        return name;
    }

    /** @return the stage type. */
    public StageType type() {
        return type;
    }

    /** @return the stage instance. */
    public Stage stage() {
        return stage;
    }

    /**
     * Runs the stage on a batch.
     *
     * @param batch the records.
     */
    public void process(final RecordBatch batch) {
        processor.process(batch);
    }

    /**
     * @param parameter a declared parameter's name.
     * @return its current value.
     * @throws IllegalArgumentException listing the valid names when there is no such parameter.
     */
    public double parameter(final String parameter) {
        return spec(parameter).get(stage);
    }

    /**
     * Changes a tunable parameter while the pipeline may be running. The value is checked against its
     * type, bounds and the stage's other parameters; a refused value leaves the old one in place.
     *
     * @param parameter the parameter's name.
     * @param value     the new value (booleans as 0 or 1).
     * @return the previous value.
     * @throws IllegalArgumentException with the reason, when refused.
     */
    public double setParameter(final String parameter, final double value) {
        final ParameterSpec spec = spec(parameter);
        if (!spec.tunable()) {
            throw new IllegalArgumentException("stage '" + name + "': parameter " + parameter
                + " cannot be changed while the pipeline runs (set it in the pipeline config)");
        }
        final double old;
        synchronized (writeLock) {
            check(spec, value);
            old = spec.get(stage);
            spec.set(stage, value);
        }
        if (Double.compare(old, value) != 0) {
            for (final ParameterChangeListener listener : listeners) {
                listener.parameterChanged(this, spec, old, value);
            }
        }
        return old;
    }

    /**
     * Sets a parameter during assembly, before the stage runs; tunable or not.
     *
     * @param parameter the name.
     * @param value     the value.
     * @throws IllegalArgumentException when unknown or out of bounds.
     */
    public void configure(final String parameter, final double value) {
        final ParameterSpec spec = spec(parameter);
        final String reason = spec.check(value);
        if (reason != null) {
            throw new IllegalArgumentException("stage '" + name + "' (" + type.name() + "): " + reason);
        }
        synchronized (writeLock) {
            spec.set(stage, value);
        }
    }

    /**
     * Checks every parameter against the others, after assembly set them all.
     *
     * @throws IllegalArgumentException naming the stage and the inconsistency.
     */
    public void validate() {
        for (final ParameterSpec spec : type.parameters()) {
            check(spec, spec.get(stage));
        }
    }

    private void check(final ParameterSpec spec, final double value) {
        String reason = spec.check(value);
        if (reason == null) {
            reason = stage.checkChange(spec.name(), value);
        }
        if (reason != null) {
            throw new IllegalArgumentException("stage '" + name + "' (" + type.name() + "): " + reason);
        }
    }

    /**
     * @param parameter a name.
     * @return its spec.
     * @throws IllegalArgumentException listing the valid names.
     */
    public ParameterSpec spec(final String parameter) {
        final ParameterSpec spec = type.parameter(parameter);
        if (spec == null) {
            throw new IllegalArgumentException("stage '" + name + "' (" + type.name()
                + ") has no parameter '" + parameter + "'; valid parameters: " + type.parameterNames());
        }
        return spec;
    }

    /** @param listener told about accepted live changes. */
    public void addParameterChangeListener(final ParameterChangeListener listener) {
        listeners.add(listener);
    }

    /** @param listener no longer told. */
    public void removeParameterChangeListener(final ParameterChangeListener listener) {
        listeners.remove(listener);
    }

    /** @return a snapshot of the stage's self-description, with current values. */
    public StageDescriptor describe() {
        final List<StageDescriptor.Parameter> parameters = new ArrayList<>();
        for (final ParameterSpec p : type.parameters()) {
            final double current = p.get(stage);
            parameters.add(new StageDescriptor.Parameter(p.name(), p.kind().javaName(), p.format(p.defaultValue()),
                p.format(current), current, p.min(), p.max(), p.boundsText(), p.description(), p.tunable(), p.unit()));
        }
        return new StageDescriptor(name, type.name(), type.stageClass().getName(), type.description(),
            type.processSignature(), parameters);
    }

    @Override
    public String toString() {
        return name + ":" + type.name();
    }
}
