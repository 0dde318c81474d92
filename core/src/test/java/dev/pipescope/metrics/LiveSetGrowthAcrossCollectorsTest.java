package dev.pipescope.metrics;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The leak signal on real collectors: a child JVM per collector ({@link LeakingChild}, {@code -Xmx256m})
 * that either leaks 256 KB every 10 ms (25.6 MB/s: out of heap within about 8-10 s) or retains nothing,
 * both while allocating 300 MB/s of garbage. The leak must be reported before the child runs out of heap
 * and within {@value #DETECTION_BOUND_SECONDS} s; the garbage-only child must never report growth.
 *
 * <p>Children run one after another (the suite is meant for a 2-core machine): about 50 s in all.
 */
class LiveSetGrowthAcrossCollectorsTest {
    private static final String LEAK_PER_TICK = Integer.toString(256 * 1024);
    private static final String GARBAGE_PER_TICK = Integer.toString(3 * 1024 * 1024);
    private static final String LEAK_DURATION_SECONDS = "40"; // ends earlier: at detection or out of heap
    private static final String NO_LEAK_DURATION_SECONDS = "8";
    private static final double DETECTION_BOUND_SECONDS = 30;
    private static final Pattern ELAPSED = Pattern.compile("elapsed=([0-9.]+)");
    private static final Map<String, Boolean> SUPPORTED = new ConcurrentHashMap<>();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"G1", "Parallel", "Serial", "Z"})
    void leakIsReportedBeforeTheHeapRunsOut(final String collector) throws Exception {
        assumeCollector(collector);
        final Child child = run(collector, LEAK_PER_TICK, GARBAGE_PER_TICK, LEAK_DURATION_SECONDS, 60);
        final Optional<String> growing = child.first("GROWING");
        if (growing.isEmpty()) {
            fail(collector + ": no growth reported (exit " + child.exitCode + ", 3 = out of heap)\n" + child.output());
        }
        final double elapsed = elapsed(growing.get());
        System.out.println("[" + collector + " leak] " + growing.get());
        assertEquals(0, child.exitCode, collector + ": the child ends itself at detection\n" + child.output());
        assertTrue(elapsed <= DETECTION_BOUND_SECONDS, collector + ": detected after " + elapsed + " s");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"G1", "Parallel", "Serial", "Z"})
    void garbageWithoutALeakIsNeverReported(final String collector) throws Exception {
        assumeCollector(collector);
        final Child child = run(collector, "0", GARBAGE_PER_TICK, NO_LEAK_DURATION_SECONDS, 40);
        assertTrue(child.first("GROWING").isEmpty(), collector + ": growth reported without a leak\n" + child.output());
        final Optional<String> end = child.first("NO_GROWTH");
        assertTrue(end.isPresent(), collector + ": the child did not finish (exit " + child.exitCode + ")\n"
            + child.output());
        System.out.println("[" + collector + " garbage only] " + end.get() + " | last " + child.last("SAMPLE"));
        final Matcher notified = Pattern.compile("notified=(\\d+)").matcher(end.get());
        assertTrue(notified.find() && Long.parseLong(notified.group(1)) >= 5,
            collector + ": the signal was alive (collections were notified)\n" + child.output());
        assertEquals(0, child.exitCode);
    }

    private static void assumeCollector(final String collector) throws Exception {
        final boolean supported = SUPPORTED.computeIfAbsent(collector, c -> {
            try {
                final Process p = new ProcessBuilder(java(), "-XX:+Use" + c + "GC", "-version")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (final IOException | InterruptedException e) {
                return false;
            }
        });
        assumeTrue(supported, "-XX:+Use" + collector + "GC is not available on this JVM");
    }

    private static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    private record Child(int exitCode, List<String> lines) {
        Optional<String> first(final String prefix) {
            return lines.stream().filter(l -> l.startsWith(prefix + " ")).findFirst();
        }

        String last(final String prefix) {
            String last = null;
            for (final String l : lines) {
                if (l.startsWith(prefix + " ")) {
                    last = l;
                }
            }
            return last;
        }

        String output() {
            return String.join("\n", lines);
        }
    }

    private static Child run(final String collector, final String leak, final String garbage, final String seconds,
        final long timeoutSeconds) throws Exception {
        final Path out = Files.createTempFile("leaking-child-" + collector, ".log");
        try {
            final List<String> command = new ArrayList<>(List.of(java(),
                "-XX:+Use" + collector + "GC", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", // Agrona's queue needs it
                "-cp", testClassPath(), LeakingChild.class.getName(), leak, garbage, seconds));
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                .start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                fail(collector + ": child still running after " + timeoutSeconds + " s\n"
                    + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Child(process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static double elapsed(final String line) {
        final Matcher m = ELAPSED.matcher(line);
        assertTrue(m.find(), line);
        return Double.parseDouble(m.group(1));
    }

    /**
     * The test class path for the child. Surefire puts it in {@code surefire.test.class.path} (and, by default,
     * in {@code java.class.path} too); if all we have is a single manifest-only jar (surefire's booter when
     * it does not set {@code java.class.path}), its manifest's {@code Class-Path} lists the real entries.
     */
    static String testClassPath() throws IOException {
        String classPath = System.getProperty("surefire.test.class.path");
        if (classPath == null || classPath.isBlank()) {
            classPath = System.getProperty("java.class.path");
        }
        final String[] entries = classPath.split(File.pathSeparator);
        if (entries.length != 1 || !entries[0].endsWith(".jar")) {
            return classPath;
        }
        final Path jar = Paths.get(entries[0]).toAbsolutePath();
        try (JarFile file = new JarFile(jar.toFile())) {
            final Manifest manifest = file.getManifest();
            final String listed =
                manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (listed == null || listed.isBlank()) {
                return classPath;
            }
            final URI base = jar.getParent().toUri();
            final List<String> resolved = new ArrayList<>();
            for (final String entry : listed.trim().split("\\s+")) {
                resolved.add(Paths.get(base.resolve(entry)).toString()); // entries are URLs relative to the jar
            }
            return String.join(File.pathSeparator, resolved);
        }
    }
}
