package dev.pipescope.cli;

import dev.pipescope.pipeline.PipelineDefinition;
import dev.pipescope.stage.StageCatalog;
import dev.pipescope.stage.StagePlugins;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Options shared by {@code run} and {@code inspect}: which pipeline to assemble. */
final class PipelineOptions {
    @Option(names = "--config", paramLabel = "FILE",
        description = "Pipeline definition, one stage per line (default for simulated sensors: threshold, calibrate,"
            + " normalize, feature, adaptive; with --input: feature, adaptive, after calibrate when --calibration is given).")
    Path config;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "pipescope",
        description = "The pipeline's name in logs and JMX (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--plugins", paramLabel = "DIR", split = ",",
        description = "Load stage types from every jar in DIR (repeatable, or comma separated; also the"
            + " PIPESCOPE_PLUGINS environment variable, directories separated by the path separator).")
    List<Path> plugins = new ArrayList<>();

    @Option(names = "--sensor-capacity", paramLabel = "N", defaultValue = "4096",
        description = "Most distinct sensors the pipeline tracks (default: ${DEFAULT-VALUE}).")
    int sensorCapacity;

    /** @return the --config definition, or the simulator's default pipeline ({@code inspect}'s). */
    PipelineDefinition definition() {
        return definition(false, false);
    }

    /**
     * @param forInput   the records come from --input: the default keeps every reading and its value.
     * @param calibrated a calibration was asked for (--calibration): the input default calibrates first.
     * @return the --config definition, or the default for the source.
     */
    PipelineDefinition definition(final boolean forInput, final boolean calibrated) {
        if (config == null) {
            return forInput ? PipelineDefinition.defaultsForInput(calibrated) : PipelineDefinition.defaults();
        }
        try {
            return PipelineDefinition.parse(Files.readString(config, StandardCharsets.UTF_8), config.toString());
        } catch (final NoSuchFileException e) {
            throw new UsageException("config file not found: " + config);
        } catch (final IOException e) {
            throw new UsageException("cannot read config file " + config + ": " + e.getMessage(), e);
        }
    }

    /** Where a stage type unknown to the catalogue might come from: said in the config error. */
    static final String UNKNOWN_TYPE_HINT = "; a stage type from your own jar is loaded with --plugins DIR"
        + " (a directory holding the jar) or the PIPESCOPE_PLUGINS environment variable";

    /**
     * @return the built-in stage types and those of every plugin directory given.
     * @throws UsageException naming the directory when one is unusable.
     */
    StageCatalog catalog() {
        final List<Path> directories = new ArrayList<>(plugins);
        final String env = System.getenv("PIPESCOPE_PLUGINS");
        if (env != null && !env.isBlank()) {
            for (final String dir : env.split(java.io.File.pathSeparator)) {
                if (!dir.isBlank()) {
                    directories.add(Path.of(dir.trim()));
                }
            }
        }
        try {
            return StagePlugins.catalog(directories).withUnknownTypeHint(UNKNOWN_TYPE_HINT);
        } catch (final IllegalArgumentException e) {
            throw new UsageException("--plugins: " + e.getMessage(), e);
        }
    }

    void validate() {
        if (sensorCapacity < 1 || sensorCapacity > 1 << 20) {
            throw new UsageException("--sensor-capacity must be between 1 and " + (1 << 20) + ", was " + sensorCapacity);
        }
        if (name.isBlank()) {
            throw new UsageException("--name must not be blank");
        }
    }
}
