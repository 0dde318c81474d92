package dev.pipescope.stage;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * A stage asked its {@link StageContext} for a service nobody provided. {@code Pipeline.assemble} turns it
 * into a configuration error naming the stage.
 */
public final class MissingServiceException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final transient Class<?> serviceType;

    /**
     * @param serviceType the type asked for.
     * @param provided    the types that were provided.
     */
    public MissingServiceException(final Class<?> serviceType, final Set<Class<?>> provided) {
        super("needs a " + serviceType.getSimpleName() + " (" + serviceType.getName() + ") but the pipeline was given "
            + (provided.isEmpty() ? "no service" : "only " + provided.stream().map(Class::getSimpleName)
                .collect(Collectors.joining(", "))));
        this.serviceType = serviceType;
    }

    /** @return the type asked for. */
    public Class<?> serviceType() {
        return serviceType;
    }
}
