package dev.pipescope.stage;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Declares a class as a stage type: its name in configs and its one-line description. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface StageDefinition {
    /** @return the type name used in pipeline configs, e.g. {@code threshold}: lower case, [a-z0-9_-]. */
    String type();

    /** @return a one-line description shown by {@code inspect} and JMX. */
    String description();
}
