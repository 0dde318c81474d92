package dev.pipescope.log;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An embedder's JVM started without the export Agrona needs gets one line naming the option, not an
 * IllegalAccessError from deep inside Agrona.
 */
class AgronaAccessTest {
    /** Run in a child JVM without the export: creating a log context must fail with the message. */
    public static void main(final String[] args) {
        try {
            new LogContext(new NullLogSink());
            System.out.println("NO ERROR");
        } catch (final IllegalStateException e) {
            System.out.println("MESSAGE " + e.getMessage());
        }
    }

    @Test
    void aJvmWithoutTheExportIsToldWhichOptionToAdd() throws Exception {
        final String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final Process p = new ProcessBuilder(List.of(java.toString(), "-cp", classPath, AgronaAccessTest.class.getName()))
            .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM finished");
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), out);
        assertEquals("MESSAGE pipescope needs the JVM option --add-exports java.base/jdk.internal.misc=ALL-UNNAMED"
            + " (Agrona uses jdk.internal.misc.Unsafe); add it to the java command line before -cp or -jar", out);
        assertTrue(out.lines().count() == 1, "one line: " + out);
        assertTrue(classPath.contains(File.pathSeparator) || classPath.endsWith(".jar"));
    }

    @Test
    void thisJvmHasTheExport() {
        assertTrue(AgronaAccess.isAvailable(), "surefire's argLine carries " + AgronaAccess.JVM_OPTION);
    }
}
