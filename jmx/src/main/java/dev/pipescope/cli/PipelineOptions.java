package dev.pipescope.cli;

import dev.pipescope.pipeline.PipelineDefinition;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Options shared by {@code run} and {@code inspect}: which pipeline to assemble. */
final class PipelineOptions {
    @Option(names = "--config", paramLabel = "FILE",
        description = "Pipeline definition, one stage per line (default: threshold, calibrate, normalize, feature, anomaly).")
    Path config;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "pipescope",
        description = "The pipeline's name in logs and JMX (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--sensor-capacity", paramLabel = "N", defaultValue = "4096",
        description = "Most distinct sensors the pipeline tracks (default: ${DEFAULT-VALUE}).")
    int sensorCapacity;

    PipelineDefinition definition() {
        if (config == null) {
            return PipelineDefinition.defaults();
        }
        try {
            return PipelineDefinition.parse(Files.readString(config, StandardCharsets.UTF_8), config.toString());
        } catch (final NoSuchFileException e) {
            throw new UsageException("config file not found: " + config);
        } catch (final IOException e) {
            throw new UsageException("cannot read config file " + config + ": " + e.getMessage(), e);
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
