package dev.pipescope.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One entry of a JMH JSON result file ({@code -rf json}): a benchmark at one combination of parameters.
 *
 * @param benchmark             the full name, {@code package.Class.method}.
 * @param className             the simple class name ({@code StageBenchmark}).
 * @param method                the method (or group) name.
 * @param mode                  JMH's short mode name: {@code thrpt}, {@code avgt}, {@code sample}, {@code ss}.
 * @param threads               threads per fork.
 * @param forks                 forks.
 * @param params                the {@code @Param} values, sorted by name.
 * @param score                 the primary score.
 * @param scoreError            its 99.9% confidence half-width (NaN when JMH could not compute one).
 * @param unit                  the primary score's unit, e.g. {@code ops/s}.
 * @param allocNorm             {@code gc.alloc.rate.norm} in B/op, NaN when run without {@code -prof gc}.
 * @param allocNormError        its error.
 * @param workerAllocNorm       {@code worker.alloc.norm} in B/op (the benchmark threads' own allocation, from
 *                              {@code dev.pipescope.benchmarks.WorkerAllocationProfiler}), NaN when absent.
 * @param jmhVersion            JMH version.
 * @param jvm                   the forked JVM's executable.
 * @param jvmArgs               the forked JVM's arguments.
 * @param jdkVersion            {@code java.version} of the forked JVM.
 * @param vmName                VM name.
 * @param vmVersion             VM version.
 * @param warmupIterations      warm-up iterations.
 * @param warmupTime            warm-up iteration time, as JMH prints it.
 * @param measurementIterations measured iterations.
 * @param measurementTime       measured iteration time.
 * @param extraMetrics          the other secondary metrics (not {@code gc.*}, not {@code worker.*}), e.g. a
 *                              benchmark's {@code @AuxCounters}: name to score, in file order.
 * @param rawData               the primary metric of every measured iteration, one list per fork, in run order
 *                              (empty lists when the file has none).
 */
public record JmhResult(String benchmark, String className, String method, String mode, int threads, int forks,
    Map<String, String> params, double score, double scoreError, String unit, double allocNorm,
    double allocNormError, double workerAllocNorm, String jmhVersion, String jvm, List<String> jvmArgs, String jdkVersion, String vmName,
    String vmVersion, int warmupIterations, String warmupTime, int measurementIterations, String measurementTime,
    Map<String, Double> extraMetrics, List<List<Double>> rawData) {

    /** The secondary metric {@code -prof gc} adds: bytes allocated per operation. */
    public static final String ALLOC_NORM = "gc.alloc.rate.norm";
    /** The secondary metric {@code WorkerAllocationProfiler} adds: bytes per operation on the benchmark threads. */
    public static final String WORKER_ALLOC_NORM = "worker.alloc.norm";

    /**
     * Reads a JMH JSON result file.
     *
     * @param file the file.
     * @return its entries, in file order.
     * @throws IOException when unreadable or not JMH JSON.
     */
    public static List<JmhResult> read(final Path file) throws IOException {
        final JsonNode root = new ObjectMapper().readTree(file.toFile());
        if (root == null || !root.isArray()) {
            throw new IOException(file + " is not a JMH JSON result file (expected a JSON array; run JMH with -rf json)");
        }
        final List<JmhResult> results = new ArrayList<>();
        for (final JsonNode n : root) {
            results.add(of(n));
        }
        return Collections.unmodifiableList(results);
    }

    private static JmhResult of(final JsonNode n) {
        final String benchmark = n.path("benchmark").asText();
        final int lastDot = benchmark.lastIndexOf('.');
        final String method = benchmark.substring(lastDot + 1);
        final String owner = lastDot < 0 ? "" : benchmark.substring(0, lastDot);
        final String className = owner.substring(owner.lastIndexOf('.') + 1);
        final Map<String, String> params = new TreeMap<>();
        n.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
        final JsonNode primary = n.path("primaryMetric");
        final JsonNode alloc = n.path("secondaryMetrics").path(ALLOC_NORM);
        final JsonNode worker = n.path("secondaryMetrics").path(WORKER_ALLOC_NORM);
        final List<String> jvmArgs = new ArrayList<>();
        n.path("jvmArgs").forEach(a -> jvmArgs.add(a.asText()));
        return new JmhResult(benchmark, className, method, n.path("mode").asText(), n.path("threads").asInt(1),
            n.path("forks").asInt(), Collections.unmodifiableMap(params), number(primary.path("score")),
            number(primary.path("scoreError")), primary.path("scoreUnit").asText(),
            alloc.isMissingNode() ? Double.NaN : number(alloc.path("score")),
            alloc.isMissingNode() ? Double.NaN : number(alloc.path("scoreError")),
            worker.isMissingNode() ? Double.NaN : number(worker.path("score")),
            n.path("jmhVersion").asText(), n.path("jvm").asText(), List.copyOf(jvmArgs), n.path("jdkVersion").asText(),
            n.path("vmName").asText(), n.path("vmVersion").asText(), n.path("warmupIterations").asInt(),
            n.path("warmupTime").asText(), n.path("measurementIterations").asInt(), n.path("measurementTime").asText(),
            extras(n.path("secondaryMetrics")), rawData(primary.path("rawData")));
    }

    private static List<List<Double>> rawData(final JsonNode forks) {
        final List<List<Double>> data = new ArrayList<>();
        forks.forEach(fork -> {
            final List<Double> iterations = new ArrayList<>();
            fork.forEach(v -> iterations.add(number(v)));
            data.add(List.copyOf(iterations));
        });
        return List.copyOf(data);
    }

    private static Map<String, Double> extras(final JsonNode secondary) {
        final Map<String, Double> extras = new java.util.LinkedHashMap<>();
        secondary.properties().forEach(e -> {
            if (!e.getKey().startsWith("gc.") && !e.getKey().startsWith("worker.") && !e.getKey().startsWith("·")) {
                extras.put(e.getKey(), number(e.getValue().path("score")));
            }
        });
        return Collections.unmodifiableMap(extras);
    }

    /** JMH writes {@code "NaN"} as a string when it has no error estimate. */
    private static double number(final JsonNode node) {
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            try {
                return Double.parseDouble(node.asText());
            } catch (final NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** @return true when a higher score is better (throughput), false for time per operation. */
    public boolean higherIsBetter() {
        return "thrpt".equals(mode);
    }

    /**
     * Operations per second, whatever the mode and unit ({@code ops/ms}, {@code us/op}, ...).
     *
     * @return the score as operations per second, or NaN for a unit it does not know.
     */
    public double opsPerSecond() {
        return toOpsPerSecond(score);
    }

    /**
     * Converts a value in this result's unit to operations per second.
     *
     * @param value a score in {@link #unit()}.
     * @return operations per second, or NaN.
     */
    public double toOpsPerSecond(final double value) {
        final int slash = unit.indexOf('/');
        if (slash < 0) {
            return Double.NaN;
        }
        final String left = unit.substring(0, slash);
        final String right = unit.substring(slash + 1);
        if ("ops".equals(left)) {
            return value / seconds(right);
        }
        if ("op".equals(right)) {
            return 1.0 / (value * seconds(left));
        }
        return Double.NaN;
    }

    private static double seconds(final String unit) {
        switch (unit) {
            case "s": return 1;
            case "ms": return 1e-3;
            case "us": return 1e-6;
            case "ns": return 1e-9;
            case "min": return 60;
            default: return Double.NaN;
        }
    }

    /** @return the parameters as {@code a=1, b=x}, or an empty string. */
    public String paramsText() {
        final StringBuilder text = new StringBuilder();
        for (final Map.Entry<String, String> p : params.entrySet()) {
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(p.getKey()).append('=').append(p.getValue());
        }
        return text.toString();
    }

    /** @return the JMH settings this result ran with, in one line. */
    public String settingsText() {
        return warmupIterations + " × " + warmupTime + " warm-up, " + measurementIterations + " × " + measurementTime
            + " measurement, " + forks + (forks == 1 ? " fork, " : " forks, ") + threads
            + (threads == 1 ? " thread, mode " : " threads, mode ") + mode;
    }
}
