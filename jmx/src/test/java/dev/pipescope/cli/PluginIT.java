package dev.pipescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README's "Writing your own stage" end to end, as a user does it: the example compiled against the
 * packaged jar, packaged with its service file into a jar in a directory, and loaded with
 * {@code --plugins} by {@code java -jar} with no extra JVM flag.
 */
class PluginIT {
    private static final Pattern STAGE_EXAMPLE = Pattern.compile("```java\\n(.*?class ScaleStage.*?)```", Pattern.DOTALL);

    @Test
    void theReadmeStageIsLoadedWithPluginsListedByInspectAndUsedByAConfig(@TempDir final Path work) throws Exception {
        final String readme = Files.readString(Path.of("..", "README.md"));
        final Matcher m = STAGE_EXAMPLE.matcher(readme);
        assertTrue(m.find(), "README has the ScaleStage example");
        final Path src = Files.createDirectories(work.resolve("src"));
        Files.writeString(src.resolve("ScaleStage.java"), m.group(1));
        final Path classes = Files.createDirectories(work.resolve("classes"));
        final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        final int rc = javac.run(null, diagnostics, diagnostics, "--release", "17", "-cp",
            ProgramRunner.jar().toString(), "-d", classes.toString(), src.resolve("ScaleStage.java").toString());
        assertEquals(0, rc, diagnostics.toString(StandardCharsets.UTF_8));

        final Path plugins = Files.createDirectories(work.resolve("plugins"));
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(plugins.resolve("scale.jar")))) {
            jar.putNextEntry(new JarEntry("ScaleStage.class"));
            jar.write(Files.readAllBytes(classes.resolve("ScaleStage.class")));
            jar.closeEntry();
            jar.putNextEntry(new JarEntry("META-INF/services/dev.pipescope.stage.Stage"));
            jar.write("ScaleStage\n".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }

        final ProgramRunner.Result inspect = ProgramRunner.run("inspect", "--plugins", plugins.toString(), "--json");
        assertEquals(0, inspect.exitCode(), inspect.stderr());
        assertTrue(inspect.stdout().contains("\"scale\""), "inspect lists the new type: " + inspect.stdout());

        final Path config = Files.writeString(work.resolve("scaled.conf"), "normalize minVal=0 maxVal=1000\nscale factor=3\n");
        final ProgramRunner.Result run = ProgramRunner.run("run", "--plugins", plugins.toString(), "--config",
            config.toString(), "--batches", "20", "--batch-size", "64", "--stage-log-every", "1");
        assertEquals(0, run.exitCode(), run.stderr());
        final List<JsonNode> lines = JsonLog.parse(run.stdoutBytes());
        assertEquals(20, lines.stream().filter(l -> "stage_completed".equals(l.get("event").asText())
            && "scale".equals(l.get("component").asText())).count(), "the plugin stage ran every batch");

        final Path noPlugin = Files.writeString(work.resolve("missing.conf"), "scale factor=3\n");
        final ProgramRunner.Result unknown = ProgramRunner.run("run", "--config", noPlugin.toString(), "--batches", "1");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.stderr().contains("unknown stage type 'scale'") && unknown.stderr().contains("--plugins"),
            "the error says how to load a plugin: " + unknown.stderr());
        assertTrue(unknown.stderr().lines().count() == 1, "one line, no stack trace: " + unknown.stderr());

        final ProgramRunner.Result badDir = ProgramRunner.run("run", "--plugins", work.resolve("nope").toString(),
            "--batches", "1");
        assertEquals(2, badDir.exitCode());
        assertTrue(badDir.stderr().contains("does not exist"), badDir.stderr());
    }
}
