package dev.pipescope.benchmarks.report;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

/**
 * The machine a run was made on, which JMH's JSON does not record: CPU model, logical cores, memory, OS.
 * Captured from {@code /proc/cpuinfo} and {@code /proc/meminfo} and kept beside the result file as
 * {@code NAME.env.properties}, so that regenerating the report later, elsewhere, still describes the
 * machine that ran the benchmarks. (The JDK, JVM flags and JMH settings come from the JSON itself.)
 */
final class Environment {
    private final Properties properties;

    private Environment(final Properties properties) {
        this.properties = properties;
    }

    /**
     * @param resultFile the JMH JSON file.
     * @return the sidecar next to it.
     */
    static Path sidecarOf(final Path resultFile) {
        final String name = resultFile.getFileName().toString();
        final String base = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return resultFile.resolveSibling(base + ".env.properties");
    }

    /**
     * Loads the sidecar of a result file, or captures this machine and writes the sidecar when absent.
     *
     * @param resultFile the JMH JSON file.
     * @return the environment.
     * @throws IOException when the sidecar cannot be read or written.
     */
    static Environment forRun(final Path resultFile) throws IOException {
        final Path sidecar = sidecarOf(resultFile);
        final Properties p = new Properties();
        if (Files.exists(sidecar)) {
            try (Reader in = Files.newBufferedReader(sidecar, StandardCharsets.UTF_8)) {
                p.load(in);
            }
            return new Environment(p);
        }
        p.setProperty("cpu.model", cpuModel());
        p.setProperty("cpu.logical", Integer.toString(Runtime.getRuntime().availableProcessors()));
        p.setProperty("memory", memTotal());
        p.setProperty("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
            + System.getProperty("os.arch"));
        final String pin = System.getenv("PIN_CPU");
        p.setProperty("cpu.pinning", pin == null || pin.isBlank()
            ? "not pinned" : "JMH and its forks pinned to logical CPU " + pin.strip() + " (PIN_CPU)");
        p.setProperty("captured", Instant.now().toString());
        try (Writer out = Files.newBufferedWriter(sidecar, StandardCharsets.UTF_8)) {
            p.store(out, "machine of " + resultFile.getFileName() + " (written by PerfReport; JMH does not record it)");
        }
        return new Environment(p);
    }

    /**
     * @param resultFile a JMH JSON file.
     * @return the capture time recorded in its sidecar, or null when it has none (nothing is written).
     * @throws IOException when the sidecar exists but cannot be read.
     */
    static String capturedOf(final Path resultFile) throws IOException {
        final Path sidecar = sidecarOf(resultFile);
        if (!Files.exists(sidecar)) {
            return null;
        }
        final Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(sidecar, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return p.getProperty("captured");
    }

    String cpu() {
        return properties.getProperty("cpu.model", "unknown");
    }

    String cores() {
        return properties.getProperty("cpu.logical", "unknown");
    }

    /** @return whether the run was pinned to one CPU; runs from before this was recorded were not. */
    String pinning() {
        return properties.getProperty("cpu.pinning", "not pinned");
    }

    String memory() {
        return properties.getProperty("memory", "unknown");
    }

    String os() {
        return properties.getProperty("os", "unknown");
    }

    String captured() {
        return properties.getProperty("captured", "unknown");
    }

    private static String cpuModel() {
        for (final String line : lines("/proc/cpuinfo")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).strip();
            }
        }
        return "unknown (no /proc/cpuinfo)";
    }

    private static String memTotal() {
        for (final String line : lines("/proc/meminfo")) {
            if (line.startsWith("MemTotal:")) {
                final String[] parts = line.substring(9).strip().split("\\s+");
                try {
                    return String.format(java.util.Locale.ROOT, "%.1f GiB", Long.parseLong(parts[0]) / 1048576.0);
                } catch (final NumberFormatException e) {
                    return line.substring(9).strip();
                }
            }
        }
        return "unknown";
    }

    private static List<String> lines(final String file) {
        try {
            return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        } catch (final IOException | RuntimeException e) {
            return List.of();
        }
    }
}
