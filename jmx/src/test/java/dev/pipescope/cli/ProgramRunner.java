package dev.pipescope.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the shaded program as a user would: {@code java -jar pipescope.jar ...}, with no extra JVM flag. */
final class ProgramRunner {
    /**
     * What a finished run left behind.
     *
     * @param exitCode    the process's exit status.
     * @param stdoutBytes standard output exactly as written (for strict UTF-8 and JSON checks).
     * @param stderr      standard error, decoded as UTF-8.
     */
    record Result(int exitCode, byte[] stdoutBytes, String stderr) {
        /** @return standard output decoded as UTF-8 (invalid bytes replaced). */
        String stdout() {
            return new String(stdoutBytes, StandardCharsets.UTF_8);
        }
    }

    private ProgramRunner() {
    }

    static Path jar() {
        final String jar = System.getProperty("pipescope.jar", "target/pipescope.jar");
        final Path path = Path.of(jar);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("the program jar is missing: " + path + " (run mvn verify)");
        }
        return path;
    }

    static ProcessBuilder command(final String... args) {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    static Result run(final Path stdin, final String... args) throws IOException, InterruptedException {
        final Path out = Files.createTempFile("pipescope-out", ".txt");
        final Path err = Files.createTempFile("pipescope-err", ".txt");
        try {
            final ProcessBuilder builder = command(args).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.redirectInput(stdin != null ? ProcessBuilder.Redirect.from(stdin.toFile())
                : ProcessBuilder.Redirect.from(new File("/dev/null")));
            final Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("program did not finish in 120 s: " + String.join(" ", args));
            }
            return new Result(process.exitValue(), Files.readAllBytes(out), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static Result run(final String... args) throws IOException, InterruptedException {
        return run(null, args);
    }
}
