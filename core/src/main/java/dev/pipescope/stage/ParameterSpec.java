package dev.pipescope.stage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * One declared parameter of a stage type: its name, Java type, default, bounds, description and whether
 * it may be tuned live. Built once per stage type by {@link StageType}; reads and writes go through a
 * {@link VarHandle} with volatile semantics, so a management thread can change a tunable parameter while
 * the processing thread runs without either of them locking.
 *
 * <p>Values cross this API as {@code double} (booleans as 0 or 1), which represents every {@code int}
 * and every {@code long} parameter within its bounds exactly up to 2<sup>53</sup>.
 */
public final class ParameterSpec {
    /** The supported parameter types. */
    public enum Kind {
        /** a {@code double} field. */
        DOUBLE("double"),
        /** an {@code int} field. */
        INT("int"),
        /** a {@code long} field. */
        LONG("long"),
        /** a {@code boolean} field. */
        BOOLEAN("boolean");

        private final String javaName;

        Kind(final String javaName) {
            this.javaName = javaName;
        }

        /** @return the Java type name, as shown in the process signature. */
        public String javaName() {
            return javaName;
        }
    }

    private final String name;
    private final Kind kind;
    private final double defaultValue;
    private final double min;
    private final double max;
    private final String description;
    private final boolean tunable;
    private final String unit;
    private final VarHandle handle;

    private ParameterSpec(final String name, final Kind kind, final double defaultValue, final double min,
        final double max, final String description, final boolean tunable, final String unit, final VarHandle handle) {
        this.name = name;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.description = description;
        this.tunable = tunable;
        this.unit = unit;
        this.handle = handle;
    }

    static ParameterSpec of(final Class<?> stageClass, final Field field, final Parameter annotation,
        final Stage prototype) {
        final String where = stageClass.getName() + "." + field.getName();
        final int modifiers = field.getModifiers();
        if (Modifier.isStatic(modifiers)) {
            throw new StageContractException(stageClass.getName(), "parameter field '" + field.getName()
                + "' is static; parameters are per stage instance");
        }
        if (Modifier.isFinal(modifiers)) {
            throw new StageContractException(stageClass.getName(), "parameter field '" + field.getName()
                + "' is final; it could not be configured");
        }
        if (annotation.tunable() && !Modifier.isVolatile(modifiers)) {
            throw new StageContractException(stageClass.getName(), "tunable parameter '" + field.getName()
                + "' must be volatile so that live changes reach the processing thread"
                + " (or declare it @Parameter(tunable = false))");
        }
        final Kind kind = kindOf(field.getType());
        if (kind == null) {
            throw new StageContractException(stageClass.getName(), "parameter '" + field.getName()
                + "' has type " + field.getType().getName() + "; supported types are double, int, long, boolean");
        }
        if (annotation.description().isBlank()) {
            throw new StageContractException(stageClass.getName(), "parameter '" + field.getName()
                + "' has no description");
        }
        double min = annotation.min();
        double max = annotation.max();
        if (kind == Kind.BOOLEAN) {
            min = 0;
            max = 1;
        } else if (kind == Kind.INT) {
            min = Math.max(min, Integer.MIN_VALUE);
            max = Math.min(max, Integer.MAX_VALUE);
        } else if (kind == Kind.LONG) {
            min = Math.max(min, Long.MIN_VALUE);
            max = Math.min(max, Long.MAX_VALUE);
        }
        if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
            throw new StageContractException(stageClass.getName(), "parameter '" + field.getName()
                + "' has bounds [" + annotation.min() + ", " + annotation.max() + "]; min must not exceed max");
        }
        final VarHandle handle;
        try {
            handle = MethodHandles.privateLookupIn(stageClass, MethodHandles.lookup())
                .unreflectVarHandle(field);
        } catch (final IllegalAccessException e) {
            throw new StageContractException(stageClass.getName(), "parameter field '" + field.getName()
                + "' is not accessible: " + e.getMessage());
        }
        final ParameterSpec spec = new ParameterSpec(field.getName(), kind, 0, min, max,
            annotation.description(), annotation.tunable(), annotation.unit(), handle);
        final double defaultValue = spec.get(prototype);
        if (defaultValue < min || defaultValue > max || Double.isNaN(defaultValue)) {
            throw new StageContractException(stageClass.getName(), "default " + spec.format(defaultValue)
                + " of parameter '" + where + "' is outside its bounds " + spec.boundsText());
        }
        return new ParameterSpec(field.getName(), kind, defaultValue, min, max, annotation.description(),
            annotation.tunable(), annotation.unit(), handle);
    }

    private static Kind kindOf(final Class<?> type) {
        if (type == double.class) {
            return Kind.DOUBLE;
        }
        if (type == int.class) {
            return Kind.INT;
        }
        if (type == long.class) {
            return Kind.LONG;
        }
        if (type == boolean.class) {
            return Kind.BOOLEAN;
        }
        return null;
    }

    /** @return the parameter's name (its field name). */
    public String name() {
        return name;
    }

    /** @return its Java type. */
    public Kind kind() {
        return kind;
    }

    /** @return the default (the field's initial value). */
    public double defaultValue() {
        return defaultValue;
    }

    /** @return the smallest allowed value. */
    public double min() {
        return min;
    }

    /** @return the largest allowed value. */
    public double max() {
        return max;
    }

    /** @return what the parameter does. */
    public String description() {
        return description;
    }

    /** @return true when it may be changed while the pipeline runs. */
    public boolean tunable() {
        return tunable;
    }

    /** @return its unit, or an empty string. */
    public String unit() {
        return unit;
    }

    /**
     * Reads the parameter's current value with volatile semantics.
     *
     * @param stage an instance of the stage type.
     * @return the value (booleans as 0 or 1).
     */
    public double get(final Stage stage) {
        switch (kind) {
            case DOUBLE: return (double) handle.getVolatile(stage);
            case INT: return (int) handle.getVolatile(stage);
            case LONG: return (long) handle.getVolatile(stage);
            default: return (boolean) handle.getVolatile(stage) ? 1 : 0;
        }
    }

    /**
     * Validates {@code value} against the type and bounds.
     *
     * @param value the candidate.
     * @return null when acceptable, otherwise the reason, naming what is allowed.
     */
    public String check(final double value) {
        if (Double.isNaN(value) || Double.isInfinite(value) && kind != Kind.DOUBLE) {
            return name + " must be a " + kindText() + ", was " + value;
        }
        if (kind != Kind.DOUBLE && value != Math.rint(value)) {
            return name + " must be a whole number, was " + value;
        }
        if (kind == Kind.BOOLEAN && value != 0 && value != 1) {
            return name + " must be true or false";
        }
        if (value < min || value > max) {
            return name + " = " + format(value) + " is out of bounds: allowed " + boundsText();
        }
        return null;
    }

    /**
     * Parses a textual value (as written in a config file or typed in a JMX client).
     *
     * @param text the value.
     * @return the value as a double.
     * @throws IllegalArgumentException naming the expected type when the text does not parse.
     */
    public double parse(final String text) {
        final String t = text.trim();
        try {
            switch (kind) {
                case BOOLEAN:
                    if ("true".equalsIgnoreCase(t)) {
                        return 1;
                    }
                    if ("false".equalsIgnoreCase(t)) {
                        return 0;
                    }
                    throw new IllegalArgumentException(name + " must be true or false, was '" + text + "'");
                case INT:
                case LONG:
                    return Long.parseLong(t);
                default:
                    return Double.parseDouble(t);
            }
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a " + kindText() + ", was '" + text + "'", e);
        }
    }

    /**
     * Sets the value with volatile semantics, without checks; callers go through {@link StageType} or
     * {@link ConfiguredStage}, which validate first.
     */
    void set(final Stage stage, final double value) {
        switch (kind) {
            case DOUBLE: handle.setVolatile(stage, value); break;
            case INT: handle.setVolatile(stage, (int) value); break;
            case LONG: handle.setVolatile(stage, (long) value); break;
            default: handle.setVolatile(stage, value != 0); break;
        }
    }

    /**
     * Formats a value as its Java literal would read: {@code 20.0}, {@code 10}, {@code true}.
     *
     * @param value a value of this parameter.
     * @return its text.
     */
    public String format(final double value) {
        switch (kind) {
            case DOUBLE: return Double.toString(value);
            case INT:
            case LONG: return Long.toString((long) value);
            default: return value != 0 ? "true" : "false";
        }
    }

    /** @return the bounds as {@code [min, max]}, with unbounded ends written as such. */
    public String boundsText() {
        if (kind == Kind.BOOLEAN) {
            return "true or false";
        }
        return "[" + boundText(min) + ", " + boundText(max) + "]";
    }

    private String boundText(final double bound) {
        if (kind == Kind.INT && (bound == Integer.MIN_VALUE || bound == Integer.MAX_VALUE)
            || kind == Kind.LONG && (bound <= Long.MIN_VALUE || bound >= Long.MAX_VALUE)
            || Double.isInfinite(bound)) {
            return bound < 0 ? "-inf" : "+inf";
        }
        return format(bound);
    }

    private String kindText() {
        switch (kind) {
            case DOUBLE: return "number";
            case BOOLEAN: return "boolean";
            default: return "whole number";
        }
    }

    @Override
    public String toString() {
        return kind.javaName() + " " + name + "=" + format(defaultValue);
    }
}
