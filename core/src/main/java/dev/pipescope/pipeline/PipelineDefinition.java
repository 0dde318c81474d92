package dev.pipescope.pipeline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An ordered list of stages to assemble, written in code or read from a small text format, one stage
 * per line:
 *
 * <pre>
 * # comments start with '#'
 * threshold minVal=20 maxVal=80
 * calibrate cacheTtlMs=1000
 * normalize
 * feature alpha=0.2
 * anomaly as detector zThreshold=3.0
 * </pre>
 *
 * A line is {@code TYPE [as NAME] [PARAMETER=VALUE ...]}; the name defaults to the type and must be
 * unique in the pipeline. Parsing checks only the syntax; {@link Pipeline#assemble} checks types,
 * parameters and bounds against the {@link dev.pipescope.stage.StageCatalog}.
 */
public final class PipelineDefinition {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");

    /**
     * One stage to assemble.
     *
     * @param type       the stage type name.
     * @param name       the stage's name in the pipeline.
     * @param parameters parameter values as text, in the order given.
     * @param line       the config line (0 when defined in code).
     */
    public record StageSpec(String type, String name, Map<String, String> parameters, int line) {
        /** Compact constructor: keeps the map immutable and ordered. */
        public StageSpec {
            parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        }
    }

    private final String origin;
    private final List<StageSpec> stages;

    private PipelineDefinition(final String origin, final List<StageSpec> stages) {
        this.origin = origin;
        this.stages = List.copyOf(stages);
    }

    /** @return an empty definition for code to add stages to. */
    public static PipelineDefinition empty() {
        return new PipelineDefinition("<code>", List.of());
    }

    /**
     * The default pipeline of simulated readings: the lecture's threshold, calibrate, normalize and feature,
     * then {@code adaptive}, each with its defaults. Its threshold (20..80) and normalization (0..100) fit the
     * simulator's range (readings around 50, stdev 10) and its calibration is the simulated service's: on
     * other data use {@link #defaultsForInput()} or a definition of your own.
     *
     * <p>The detector is the one {@link #defaultsForInput()} has, with the same defaults, so what a user gets
     * without a config is what was scored on real data (perf-reports/anomaly-eval/). The lecture's z-score
     * stage stays available as {@code anomaly}. On the simulator {@code adaptive} flags fewer readings than
     * {@code anomaly} would: the simulator's moderate spikes (2.8 to 3 stdev) lie inside the range its
     * Gaussian readings reach by themselves, and {@code adaptive} flags them and the Gaussian's own readings
     * of that size alike, about half of each (README, "The default pipelines").
     *
     * @return the definition: {@code threshold}, {@code calibrate}, {@code normalize}, {@code feature},
     *     {@code adaptive}.
     */
    public static PipelineDefinition defaults() {
        return parse("threshold\ncalibrate\nnormalize\nfeature\nadaptive\n", "<default>");
    }

    /**
     * The default pipeline for readings from outside (a CSV file, standard input): it keeps every valid
     * reading and its value, and only adds derived columns and flags. Stage by stage, against
     * {@link #defaults()}:
     * <ul>
     *   <li>no {@code threshold}: its bounds (20..80) are the simulator's range, and on real data they drop
     *       whatever lies outside it without a word (61% of a public sensor data set);</li>
     *   <li>no {@code calibrate}: the only calibration the program has without being told is the simulated
     *       one; real gains and offsets come from a file ({@link #defaultsForInput(boolean)} with true puts
     *       {@code calibrate} first);</li>
     *   <li>no {@code normalize}: it leaves {@code value} alone, but maps the simulator's 0..100 to 0..1, so its
     *       {@code normalized} column would be meaningless for data in another range;</li>
     *   <li>{@code feature}: per-sensor EWMA and change since the last reading, meaningful in any range, and
     *       {@code value} untouched;</li>
     *   <li>{@code adaptive} as the detector: it learns each sensor's recent range, so it needs no range
     *       given, and scores far better than {@code anomaly}'s z-score on the labelled real data of the
     *       Numenta Anomaly Benchmark (perf-reports/anomaly-eval/); it only flags, never changes a value.</li>
     * </ul>
     *
     * @return the definition: {@code feature}, {@code adaptive}.
     */
    public static PipelineDefinition defaultsForInput() {
        return defaultsForInput(false);
    }

    /**
     * {@link #defaultsForInput()}, with {@code calibrate} first when a calibration service for real
     * calibrations is given (the program's {@code --calibration}): {@code value} then becomes
     * {@code raw * gain + offset}, and {@code raw} keeps the reading.
     *
     * @param calibrated true to calibrate every reading before the other stages.
     * @return the definition: [{@code calibrate},] {@code feature}, {@code adaptive}.
     */
    public static PipelineDefinition defaultsForInput(final boolean calibrated) {
        return parse((calibrated ? "calibrate\n" : "") + "feature\nadaptive\n", "<default for input>");
    }

    /**
     * Adds a stage named after its type.
     *
     * @param type       the stage type.
     * @param parameters alternating names and values, e.g. {@code "minVal", "10"}.
     * @return a new definition with the stage appended.
     */
    public PipelineDefinition stage(final String type, final String... parameters) {
        return namedStage(type, type, parameters);
    }

    /**
     * Adds a stage under a chosen name.
     *
     * @param type       the stage type.
     * @param name       its name in the pipeline.
     * @param parameters alternating names and values.
     * @return a new definition with the stage appended.
     */
    public PipelineDefinition namedStage(final String type, final String name, final String... parameters) {
        if (parameters.length % 2 != 0) {
            throw new IllegalArgumentException("parameters come in name, value pairs");
        }
        final Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < parameters.length; i += 2) {
            values.put(parameters[i], parameters[i + 1]);
        }
        final List<StageSpec> next = new ArrayList<>(stages);
        next.add(new StageSpec(type, name, values, 0));
        return new PipelineDefinition(origin, next);
    }

    /**
     * Parses the text format.
     *
     * @param text   the definition.
     * @param origin its file name, for messages.
     * @return the definition.
     * @throws PipelineConfigException naming the line and what is wrong.
     */
    public static PipelineDefinition parse(final String text, final String origin) {
        return parse(new StringReader(text), origin);
    }

    /**
     * Parses the text format from a reader.
     *
     * @param reader the definition.
     * @param origin its file name, for messages.
     * @return the definition.
     * @throws PipelineConfigException naming the line and what is wrong.
     */
    public static PipelineDefinition parse(final Reader reader, final String origin) {
        final List<StageSpec> stages = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(reader)) {
            String raw;
            int lineNumber = 0;
            while ((raw = lines.readLine()) != null) {
                lineNumber++;
                final int hash = raw.indexOf('#');
                final String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
                if (!line.isEmpty()) {
                    stages.add(parseLine(line, origin, lineNumber));
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read pipeline config " + origin, e);
        }
        if (stages.isEmpty()) {
            throw new PipelineConfigException(origin, 0, "the pipeline defines no stage;"
                + " write one stage per line, e.g. 'threshold minVal=20 maxVal=80'");
        }
        return new PipelineDefinition(origin, stages);
    }

    private static StageSpec parseLine(final String line, final String origin, final int lineNumber) {
        final String[] tokens = line.split("\\s+");
        final String type = tokens[0];
        if (type.indexOf('=') >= 0) {
            throw new PipelineConfigException(origin, lineNumber, "a line must start with a stage type, found '"
                + type + "'; expected TYPE [as NAME] [PARAMETER=VALUE ...]");
        }
        String name = type;
        int next = 1;
        if (tokens.length > 1 && "as".equals(tokens[1])) {
            if (tokens.length < 3 || tokens[2].indexOf('=') >= 0) {
                throw new PipelineConfigException(origin, lineNumber, "'as' must be followed by the stage's name");
            }
            name = tokens[2];
            next = 3;
        }
        if (!NAME.matcher(name).matches()) {
            throw new PipelineConfigException(origin, lineNumber, "stage name '" + name
                + "' may only hold letters, digits, '_', '.', '-'");
        }
        final Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = next; i < tokens.length; i++) {
            final String token = tokens[i];
            final int eq = token.indexOf('=');
            if (eq <= 0 || eq == token.length() - 1) {
                throw new PipelineConfigException(origin, lineNumber, "stage '" + name + "': '" + token
                    + "' is not PARAMETER=VALUE");
            }
            final String key = token.substring(0, eq);
            if (parameters.put(key, token.substring(eq + 1)) != null) {
                throw new PipelineConfigException(origin, lineNumber, "stage '" + name + "': parameter "
                    + key + " is set twice");
            }
        }
        return new StageSpec(type, name, parameters, lineNumber);
    }

    /** @return where the definition came from. */
    public String origin() {
        return origin;
    }

    /** @return the stages, in order. */
    public List<StageSpec> stages() {
        return stages;
    }

    /** @return the definition in its text format (parses back to an equal definition). */
    public String toText() {
        final StringBuilder text = new StringBuilder();
        for (final StageSpec s : stages) {
            text.append(s.type());
            if (!s.name().equals(s.type())) {
                text.append(" as ").append(s.name());
            }
            for (final Map.Entry<String, String> p : s.parameters().entrySet()) {
                text.append(' ').append(p.getKey()).append('=').append(p.getValue());
            }
            text.append('\n');
        }
        return text.toString();
    }
}
