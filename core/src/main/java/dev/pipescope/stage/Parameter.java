package dev.pipescope.stage;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a field of a {@link Stage} as a parameter. Supported field types: {@code double}, {@code int},
 * {@code long}, {@code boolean}. The field's initial value is the parameter's default. The parameter's
 * name is the field's name.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Parameter {
    /** @return what the parameter does, one sentence. */
    String description();

    /** @return the smallest allowed value (inclusive); ignored for booleans. */
    double min() default Double.NEGATIVE_INFINITY;

    /** @return the largest allowed value (inclusive); ignored for booleans. */
    double max() default Double.POSITIVE_INFINITY;

    /** @return true when the value may be changed while the pipeline runs (the field must be volatile). */
    boolean tunable() default true;

    /** @return the unit shown next to the value, e.g. {@code ms}; empty when none. */
    String unit() default "";
}
