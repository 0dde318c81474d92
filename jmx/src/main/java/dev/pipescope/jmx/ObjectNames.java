package dev.pipescope.jmx;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The ObjectNames of pipescope's MBeans, built once per bean at registration. {@code type} is always the
 * first key, so exporters such as the Prometheus JMX exporter derive stable metric names, and every bean
 * of a pipeline carries its name under the same key, {@code pipeline}, so one exporter rule (or one query,
 * {@code dev.pipescope:pipeline=<name>,*}) finds them all; only a stage adds {@code name}. A user's
 * pipeline or stage name holding {@code , = : " * ?}, a backslash or a line break is quoted with
 * {@link ObjectName#quote(String)} instead of breaking the name.
 */
public final class ObjectNames {
    /** The domain of every pipescope MBean. */
    public static final String DOMAIN = "dev.pipescope";

    private ObjectNames() {
    }

    /**
     * @param pipeline the pipeline's name.
     * @return {@code dev.pipescope:type=Pipeline,pipeline=<pipeline>}.
     */
    public static ObjectName pipeline(final String pipeline) {
        return of("type=Pipeline,pipeline=" + value(pipeline));
    }

    /**
     * @param pipeline the pipeline's name.
     * @param stage    the stage's name.
     * @return {@code dev.pipescope:type=Stage,pipeline=<pipeline>,name=<stage>}.
     */
    public static ObjectName stage(final String pipeline, final String stage) {
        return of("type=Stage,pipeline=" + value(pipeline) + ",name=" + value(stage));
    }

    /**
     * @param pipeline the pipeline's name.
     * @return {@code dev.pipescope:type=HealthDashboard,pipeline=<pipeline>}.
     */
    public static ObjectName healthDashboard(final String pipeline) {
        return of("type=HealthDashboard,pipeline=" + value(pipeline));
    }

    /**
     * @param pipeline the pipeline's name.
     * @return {@code dev.pipescope:type=CircuitBreakers,pipeline=<pipeline>}.
     */
    public static ObjectName circuitBreakers(final String pipeline) {
        return of("type=CircuitBreakers,pipeline=" + value(pipeline));
    }

    /**
     * @param pipeline the pipeline's name.
     * @return {@code dev.pipescope:type=Log,pipeline=<pipeline>}: the pipeline's event log.
     */
    public static ObjectName log(final String pipeline) {
        return of("type=Log,pipeline=" + value(pipeline));
    }

    /**
     * @param pipeline the pipeline's name.
     * @return the pattern {@code dev.pipescope:pipeline=<pipeline>,*} matching every bean of the pipeline.
     */
    public static ObjectName allOf(final String pipeline) {
        return of("pipeline=" + value(pipeline) + ",*");
    }

    /**
     * @param name a user-chosen name.
     * @return the name as is when it is safe in an ObjectName value, otherwise quoted.
     */
    public static String value(final String name) {
        if (name.isEmpty()) {
            return ObjectName.quote(name);
        }
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            if (c == ',' || c == '=' || c == ':' || c == '"' || c == '*' || c == '?' || c == '\\' || c == '\n'
                || c == '\r') {
                return ObjectName.quote(name);
            }
        }
        return name;
    }

    private static ObjectName of(final String keys) {
        try {
            return new ObjectName(DOMAIN + ":" + keys);
        } catch (final MalformedObjectNameException e) {
            throw new IllegalArgumentException("cannot build an ObjectName from '" + keys + "'", e);
        }
    }
}
