package dev.pipescope.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.Pipescope;
import dev.pipescope.log.AgronaAccess;
import dev.pipescope.stage.Stage;
import dev.pipescope.stage.StageType;
import org.HdrHistogram.Recorder;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Keeps README.md's Java examples honest: every {@code ```java} block must compile as shown against core
 * and its dependencies, a stage example must pass the stage contract check, and the embedding example
 * (the block with a {@code main}) must run in a fresh JVM — with nothing but core, Agrona and HdrHistogram
 * on its class path, as the README tells an embedder — exit 0, print a health summary and write event
 * lines that are JSON.
 *
 * <p>README.md is found by walking up from {@code user.dir} (surefire runs in the module directory, so it
 * is {@code ../README.md}). Compiler errors are reported with README line numbers.
 */
class ReadmeExamplesTest {
    private static final Pattern PUBLIC_TYPE =
        Pattern.compile("(?m)^public\\s+(?:(?:final|abstract|sealed)\\s+)*(?:class|interface|enum|record)\\s+(\\w+)");
    private static final Pattern MAIN_METHOD = Pattern.compile("public\\s+static\\s+void\\s+main\\s*\\(");
    private static final Pattern SUMMARY_LINE = Pattern.compile("^(HEALTHY|DEGRADED|UNHEALTHY)( \\|.*)?$");
    private static final long CHILD_TIMEOUT_SECONDS = 180;

    /** A fenced java block of README.md. */
    record JavaBlock(int firstLine, String source, String className) {
        boolean hasMain() {
            return MAIN_METHOD.matcher(source).find();
        }

        String where() {
            return "README.md:" + firstLine + " (" + className + ")";
        }
    }

    /** What a child JVM did. */
    record ChildRun(int exitCode, List<String> stdout, String stderr) {
        String transcript() {
            return "exit " + exitCode + "\n--- stdout (last 40 lines) ---\n"
                + String.join("\n", stdout.subList(Math.max(0, stdout.size() - 40), stdout.size()))
                + "\n--- stderr ---\n" + stderr;
        }
    }

    private static Path readme;
    private static List<JavaBlock> blocks;

    @BeforeAll
    static void readReadme() throws IOException {
        readme = findReadme();
        blocks = javaBlocks(Files.readAllLines(readme, StandardCharsets.UTF_8));
    }

    static Path findReadme() {
        final Path start = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            final Path candidate = dir.resolve("README.md");
            if (Files.isRegularFile(candidate) && Files.isDirectory(dir.resolve("core"))) {
                return candidate;
            }
        }
        throw new AssertionError("no README.md next to a core/ directory in " + start + " or above");
    }

    /** Extracts every {@code ```java} block, indented ones (in list items) included. */
    static List<JavaBlock> javaBlocks(final List<String> lines) {
        final List<JavaBlock> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            final String open = lines.get(i);
            if (!open.strip().equals("```java")) {
                continue;
            }
            final int indent = open.indexOf('`');
            final StringBuilder source = new StringBuilder();
            int j = i + 1;
            while (j < lines.size() && !lines.get(j).strip().equals("```")) {
                final String line = lines.get(j);
                source.append(line.length() >= indent && line.substring(0, indent).isBlank()
                    ? line.substring(indent) : line.stripLeading()).append('\n');
                j++;
            }
            if (j == lines.size()) {
                throw new AssertionError("README.md:" + (i + 1) + ": java block never closed");
            }
            final Matcher type = PUBLIC_TYPE.matcher(source);
            if (!type.find()) {
                throw new AssertionError("README.md:" + (i + 2) + ": java block declares no public top-level type,"
                    + " so it cannot be compiled as a file:\n" + source);
            }
            found.add(new JavaBlock(i + 2, source.toString(), type.group(1)));
            i = j;
        }
        return found;
    }

    @Test
    void readmeShowsAStageAndACompleteEmbeddingProgram() {
        assertTrue(blocks.size() >= 2, "README.md should have at least two java blocks, found " + blocks);
        assertEquals(1, blocks.stream().filter(JavaBlock::hasMain).count(),
            "README.md should have exactly one java block with a main method (the embedding example)");
        final String embedding = embeddingExample().source();
        for (final String shown : List.of("Pipescope.builder(", "PipelineDefinition.parse(", ".eventLog(",
            "registry().register(", "batch.clear()", "summary()", "firstReason()")) {
            assertTrue(embedding.contains(shown), "the embedding example should show " + shown);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyJavaBlockCompiles(@TempDir final Path work) {
        return blocks.stream().map(block -> DynamicTest.dynamicTest(block.where(), () -> {
            final Path classes = compile(block, work.resolve("block-" + block.firstLine()));
            try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ReadmeExamplesTest.class.getClassLoader())) {
                final Class<?> type = loader.loadClass(block.className());
                if (Stage.class.isAssignableFrom(type)) {
                    // the README says a class breaking the contract is refused: its own example must not be
                    final StageType stageType = StageType.inspect(type);
                    assertNotNull(stageType.name(), block.where());
                }
            }
        }));
    }

    @Test
    void embeddingExampleRunsPrintsAHealthSummaryAndLogsJson(@TempDir final Path work)
        throws IOException, InterruptedException {
        final JavaBlock example = embeddingExample();
        final Path classes = compile(example, work.resolve("classes"));
        final ChildRun run = runChild(work, classes, example.className(), true);
        assertEquals(0, run.exitCode(), () -> example.where() + " should exit 0\n" + run.transcript());

        final ObjectMapper json = new ObjectMapper();
        final List<JsonNode> events = new ArrayList<>();
        String summary = null;
        for (final String line : run.stdout()) {
            if (line.startsWith("{")) {
                final JsonNode event;
                try {
                    event = json.readTree(line);
                } catch (final IOException e) {
                    throw new AssertionError("event line is not JSON (" + e.getMessage() + "): " + line, e);
                }
                assertTrue(event.isObject() && event.hasNonNull("event") && event.hasNonNull("timestamp"),
                    () -> "an event line should be an object with timestamp and event: " + line);
                events.add(event);
            } else if (SUMMARY_LINE.matcher(line).matches()) {
                summary = line;
            }
        }
        assertNotNull(summary, () -> "no line starts with HEALTHY, DEGRADED or UNHEALTHY\n" + run.transcript());
        assertFalse(events.isEmpty(), () -> "no JSON event line on stdout\n" + run.transcript());
        final String status = summary.split(" ", 2)[0];
        final List<JsonNode> health = events.stream()
            .filter(e -> "pipeline_health".equals(e.path("event").asText())).collect(Collectors.toList());
        assertEquals(1, health.size(), () -> "the report should be logged once as pipeline_health\n" + run.transcript());
        assertEquals(status, health.get(0).path("status").asText(),
            "the summary and the logged pipeline_health event describe the same report");
        assertTrue(events.stream().anyMatch(e -> "stage_completed".equals(e.path("event").asText())),
            () -> "5000 batches should log stage_completed (every 1000th batch)\n" + run.transcript());
        assertFalse(run.stderr().contains("Exception") || run.stderr().contains("Error"),
            () -> "the example should report no error on stderr\n" + run.transcript());
    }

    @Test
    void withoutTheJvmFlagTheEmbeddingExampleFailsNamingTheExport(@TempDir final Path work)
        throws IOException, InterruptedException {
        final JavaBlock example = embeddingExample();
        final Path classes = compile(example, work.resolve("classes"));
        final ChildRun run = runChild(work, classes, example.className(), false);
        assertNotEquals(0, run.exitCode(), () -> "without " + AgronaAccess.JVM_OPTION + " the example should fail\n"
            + run.transcript());
        // pipescope checks before anything touches Agrona, so the embedder sees its one line, not Agrona's error
        assertTrue(run.stderr().contains("java.lang.IllegalStateException: pipescope needs the JVM option "
                + AgronaAccess.JVM_OPTION),
            () -> "the failure should be pipescope's one line naming the option\n" + run.transcript());
    }

    private static JavaBlock embeddingExample() {
        return blocks.stream().filter(JavaBlock::hasMain).findFirst()
            .orElseThrow(() -> new AssertionError("README.md has no java block with a main method"));
    }

    /** Compiles one block into {@code dir}/classes; fails with the compiler's diagnostics in README lines. */
    private static Path compile(final JavaBlock block, final Path dir) throws IOException {
        final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertNotNull(compiler, "no system Java compiler: run the tests on a JDK, not a JRE");
        final Path sources = Files.createDirectories(dir.resolve("src"));
        final Path classes = Files.createDirectories(dir.resolve("classes"));
        final Path file = sources.resolve(block.className() + ".java");
        Files.writeString(file, block.source(), StandardCharsets.UTF_8);
        final DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
            StandardCharsets.UTF_8)) {
            final List<String> options = List.of("--release", "17", "-Xlint:all,-path", "-encoding", "UTF-8",
                "-classpath", String.join(File.pathSeparator, compileClassPath()), "-d", classes.toString());
            final boolean ok = compiler.getTask(null, files, diagnostics, options, null,
                files.getJavaFileObjects(file)).call();
            if (!ok) {
                fail(block.where() + " does not compile:\n" + describe(block, diagnostics));
            }
        }
        return classes;
    }

    private static String describe(final JavaBlock block, final DiagnosticCollector<JavaFileObject> diagnostics) {
        final StringBuilder s = new StringBuilder();
        for (final Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            s.append("README.md:").append(d.getLineNumber() > 0 ? block.firstLine() + d.getLineNumber() - 1 : 0)
                .append(": ").append(d.getKind().toString().toLowerCase(Locale.ROOT)).append(": ")
                .append(d.getMessage(Locale.ROOT)).append('\n');
        }
        return s.toString();
    }

    /**
     * The test class path (surefire's {@code surefire.test.class.path}, else {@code java.class.path}) plus
     * where core, Agrona and HdrHistogram were loaded from, in case the launcher hides them behind a
     * manifest-only jar.
     */
    private static List<String> compileClassPath() {
        final Set<String> entries = new LinkedHashSet<>();
        final String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (final String entry : path.split(Pattern.quote(File.pathSeparator))) {
            if (!entry.isBlank()) {
                entries.add(entry);
            }
        }
        entries.addAll(embedderClassPath());
        return new ArrayList<>(entries);
    }

    /** What README tells an embedder to put on the class path: core, Agrona, HdrHistogram — nothing else. */
    private static List<String> embedderClassPath() {
        return List.of(locationOf(Pipescope.class), locationOf(DirectBuffer.class), locationOf(Recorder.class));
    }

    private static String locationOf(final Class<?> type) {
        try {
            return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (final URISyntaxException | NullPointerException e) {
            throw new AssertionError("cannot tell where " + type.getName() + " was loaded from", e);
        }
    }

    private static ChildRun runChild(final Path work, final Path classes, final String mainClass,
        final boolean withFlag) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        if (withFlag) {
            command.addAll(List.of(AgronaAccess.JVM_OPTION.split(" ")));
        }
        command.add("-Xmx256m");
        command.add("-cp");
        final List<String> classPath = new ArrayList<>();
        classPath.add(classes.toString());
        classPath.addAll(embedderClassPath());
        command.add(String.join(File.pathSeparator, classPath));
        command.add(mainClass);

        final Path out = work.resolve(mainClass + (withFlag ? "" : "-noflag") + ".out");
        final Path err = work.resolve(mainClass + (withFlag ? "" : "-noflag") + ".err");
        final ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile());
        // options from the environment would change what the child is run with (and could add the flag)
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("_JAVA_OPTIONS");
        final Process child = builder.start();
        if (!child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail(String.join(" ", command) + " did not finish in " + CHILD_TIMEOUT_SECONDS + " s\n--- stdout ---\n"
                + Files.readString(out, StandardCharsets.UTF_8) + "\n--- stderr ---\n"
                + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new ChildRun(child.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    }
}
