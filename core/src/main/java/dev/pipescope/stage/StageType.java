package dev.pipescope.stage;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A stage type as found by one reflective pass over its class: type name, description, the process
 * signature and the declared parameters with defaults and bounds. The Java counterpart of Python's
 * {@code inspect.signature}: built once, at discovery, and never on the hot path.
 */
public final class StageType {
    private static final Pattern TYPE_NAME = Pattern.compile("[a-z][a-z0-9_-]*");

    private final String name;
    private final String description;
    private final Class<? extends Stage> stageClass;
    private final Constructor<? extends Stage> constructor;
    private final List<ParameterSpec> parameters;
    private final String processSignature;

    private StageType(final String name, final String description, final Class<? extends Stage> stageClass,
        final Constructor<? extends Stage> constructor, final List<ParameterSpec> parameters) {
        this.name = name;
        this.description = description;
        this.stageClass = stageClass;
        this.constructor = constructor;
        this.parameters = parameters;
        final StringBuilder signature = new StringBuilder("process(RecordBatch batch");
        for (final ParameterSpec p : parameters) {
            signature.append(", ").append(p.kind().javaName()).append(' ').append(p.name())
                .append('=').append(p.format(p.defaultValue()));
        }
        processSignature = signature.append(')').toString();
    }

    /**
     * Inspects a class and checks it against the {@link Stage} contract.
     *
     * @param candidate the class offered as a stage type.
     * @return its type.
     * @throws StageContractException naming the class and what is wrong with it.
     */
    public static StageType inspect(final Class<?> candidate) {
        final String className = candidate.getName();
        if (!Stage.class.isAssignableFrom(candidate)) {
            throw new StageContractException(className, "it does not implement " + Stage.class.getName()
                + " and so has no process(RecordBatch) method");
        }
        @SuppressWarnings("unchecked")
        final Class<? extends Stage> stageClass = (Class<? extends Stage>) candidate;
        final int modifiers = stageClass.getModifiers();
        if (stageClass.isInterface() || Modifier.isAbstract(modifiers)) {
            throw new StageContractException(className, "it is abstract; a stage type must be a concrete class");
        }
        if (!Modifier.isPublic(modifiers)) {
            throw new StageContractException(className, "it is not public");
        }
        final StageDefinition definition = stageClass.getAnnotation(StageDefinition.class);
        if (definition == null) {
            throw new StageContractException(className, "it has no @" + StageDefinition.class.getSimpleName()
                + "(type = ..., description = ...) annotation");
        }
        if (!TYPE_NAME.matcher(definition.type()).matches()) {
            throw new StageContractException(className, "its type name '" + definition.type()
                + "' must match " + TYPE_NAME.pattern());
        }
        if (definition.description().isBlank()) {
            throw new StageContractException(className, "its @StageDefinition has an empty description");
        }
        final Constructor<? extends Stage> constructor;
        try {
            constructor = stageClass.getConstructor();
        } catch (final NoSuchMethodException e) {
            throw new StageContractException(className, "it has no public no-argument constructor");
        }
        final Stage prototype = instantiate(className, constructor);

        final List<ParameterSpec> parameters = new ArrayList<>();
        final Set<String> seen = new HashSet<>();
        for (Class<?> c = stageClass; c != null && c != Object.class; c = c.getSuperclass()) {
            final List<ParameterSpec> declared = new ArrayList<>();
            for (final Field field : c.getDeclaredFields()) {
                final Parameter annotation = field.getAnnotation(Parameter.class);
                if (annotation != null) {
                    if (!seen.add(field.getName())) {
                        throw new StageContractException(className, "parameter '" + field.getName()
                            + "' is declared twice in its class hierarchy");
                    }
                    declared.add(ParameterSpec.of(stageClass, field, annotation, prototype));
                }
            }
            parameters.addAll(0, declared);
        }
        final StageType type = new StageType(definition.type(), definition.description().strip(), stageClass,
            constructor, Collections.unmodifiableList(parameters));
        for (final ParameterSpec p : parameters) {
            final String reason = prototype.checkChange(p.name(), p.defaultValue());
            if (reason != null) {
                throw new StageContractException(className, "its defaults are inconsistent: " + reason);
            }
        }
        return type;
    }

    private static Stage instantiate(final String className, final Constructor<? extends Stage> constructor) {
        try {
            return constructor.newInstance();
        } catch (final InvocationTargetException e) {
            throw new StageContractException(className, "its constructor threw " + e.getCause());
        } catch (final ReflectiveOperationException e) {
            throw new StageContractException(className, "it cannot be instantiated: " + e);
        }
    }

    /** @return a new instance with default parameters. */
    public Stage newInstance() {
        return instantiate(stageClass.getName(), constructor);
    }

    /** @return the type name used in configs. */
    public String name() {
        return name;
    }

    /** @return the one-line description. */
    public String description() {
        return description;
    }

    /** @return the implementing class. */
    public Class<? extends Stage> stageClass() {
        return stageClass;
    }

    /** @return the declared parameters, in declaration order (superclass first). */
    public List<ParameterSpec> parameters() {
        return parameters;
    }

    /**
     * @param parameterName a name.
     * @return the parameter, or null when the type declares none of that name.
     */
    public ParameterSpec parameter(final String parameterName) {
        for (final ParameterSpec p : parameters) {
            if (p.name().equals(parameterName)) {
                return p;
            }
        }
        return null;
    }

    /** @return the names of the declared parameters, comma separated, for error messages. */
    public String parameterNames() {
        if (parameters.isEmpty()) {
            return "(none: " + name + " takes no parameters)";
        }
        final StringBuilder names = new StringBuilder();
        for (final ParameterSpec p : parameters) {
            if (names.length() > 0) {
                names.append(", ");
            }
            names.append(p.name());
        }
        return names.toString();
    }

    /** @return e.g. {@code process(RecordBatch batch, double minVal=20.0, double maxVal=80.0)}. */
    public String processSignature() {
        return processSignature;
    }

    @Override
    public String toString() {
        return name + " (" + stageClass.getName() + ")";
    }
}
