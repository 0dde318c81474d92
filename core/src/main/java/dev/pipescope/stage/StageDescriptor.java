package dev.pipescope.stage;

import java.util.List;

/**
 * What a configured stage says about itself: its name in the pipeline, its type, class, description,
 * process signature and each parameter with its current value. An immutable snapshot; take a new one to
 * see live changes.
 *
 * @param stageName        the stage's name in its pipeline (unique there).
 * @param typeName         its stage type, e.g. {@code threshold}.
 * @param className        the implementing class.
 * @param description      one line.
 * @param processSignature e.g. {@code process(RecordBatch batch, double minVal=20.0, double maxVal=80.0)}.
 * @param parameters       every declared parameter.
 */
public record StageDescriptor(String stageName, String typeName, String className, String description,
                              String processSignature, List<Parameter> parameters) {

    /** Compact constructor: keeps the list immutable. */
    public StageDescriptor {
        parameters = List.copyOf(parameters);
    }

    /**
     * One parameter of a configured stage.
     *
     * @param name         the parameter name.
     * @param type         the Java type name ({@code double}, {@code int}, {@code long}, {@code boolean}).
     * @param defaultValue the default, as text.
     * @param currentValue the current value, as text.
     * @param numericValue the current value as a number (booleans as 0 or 1).
     * @param min          the lower bound.
     * @param max          the upper bound.
     * @param bounds       the bounds as text, e.g. {@code [0.0, +inf]}.
     * @param description  what it does.
     * @param tunable      whether it can change while the pipeline runs.
     * @param unit         its unit, or empty.
     */
    public record Parameter(String name, String type, String defaultValue, String currentValue,
                            double numericValue, double min, double max, String bounds, String description,
                            boolean tunable, String unit) {
    }
}
