package dev.pipescope.jmx;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The description JConsole and VisualVM show for an MXBean interface, attribute getter, operation or
 * operation parameter; on a parameter, {@link #name()} gives the name they show instead of {@code p1}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.PARAMETER})
public @interface Description {
    /** @return the description. */
    String value();

    /** @return the parameter's name (parameters only). */
    String name() default "";
}
