package dev.pipescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipescope.scenarios.plugins.AllocatingStage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults injected into the packaged program — through {@code --fault} and through plugin stages of a
 * user's own jar (a leak, heavy allocation, a blocking stall, a lasting slowdown) — and what the health
 * report says: the first reason of the first unhealthy report names the injected cause (code and
 * subject) within a stated number of reports, and the report returns to HEALTHY within a stated number
 * of reports after the fault ends. Reports are taken every 250 ms.
 */
class FaultScenariosIT {
    private static final String PLUGIN_PACKAGE = "dev/pipescope/scenarios/plugins/";
    /**
     * The lecture's pipeline, given explicitly: the scenarios name its z-score stage {@code anomaly} (the
     * simulator's default now ends in {@code adaptive}), and their figures were taken with it.
     */
    private static final String LECTURE_STAGES = "threshold\ncalibrate\nnormalize\nfeature\nanomaly\n";
    private static final int REPORTS_TO_NAME = 6; // 1.5 s
    private static final int REPORTS_TO_CLEAR = 14; // 3.5 s (an open breaker waits 2 s before it probes)

    @TempDir
    static Path work;
    private static Path plugins;

    /** The plugin stages are packaged as a user would: a jar with a service file, in a directory. */
    @BeforeAll
    static void packagePluginJar() throws IOException, URISyntaxException {
        final Path classes = Path.of(AllocatingStage.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        plugins = Files.createDirectories(work.resolve("plugins"));
        final List<String> types = new ArrayList<>();
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(plugins.resolve("faulty-stages.jar")));
             Stream<Path> files = Files.list(classes.resolve(PLUGIN_PACKAGE))) {
            for (final Path f : files.sorted().collect(Collectors.toList())) {
                final String name = f.getFileName().toString();
                jar.putNextEntry(new JarEntry(PLUGIN_PACKAGE + name));
                jar.write(Files.readAllBytes(f));
                jar.closeEntry();
                if (name.endsWith(".class") && !name.contains("$")) {
                    types.add((PLUGIN_PACKAGE + name.substring(0, name.length() - 6)).replace('/', '.'));
                }
            }
            jar.putNextEntry(new JarEntry("META-INF/services/dev.pipescope.stage.Stage"));
            jar.write((String.join("\n", types) + "\n").getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
    }

    /** The health reports of a run, in order. */
    private static final class Run {
        final List<JsonNode> reports = new ArrayList<>();
        final int exitCode;
        final String stderr;

        Run(final ProgramRunner.Result result) throws IOException {
            exitCode = result.exitCode();
            stderr = result.stderr();
            for (final String line : result.stdout().split("\n")) {
                if (line.contains("\"event\":\"pipeline_health\"")) {
                    reports.add(JsonLog.STRICT.readTree(line));
                }
            }
        }

        /** @return the index of the first report at or after {@code batch} whose status is not HEALTHY. */
        int firstUnhealthyFrom(final long batch) {
            for (int i = 0; i < reports.size(); i++) {
                if (reports.get(i).get("batchCount").asLong() >= batch && !"HEALTHY".equals(status(i))) {
                    return i;
                }
            }
            throw new AssertionError("no report after batch " + batch + " was unhealthy:\n" + summary());
        }

        /** @return the index of the first report covering {@code batch}. */
        int reportAt(final long batch) {
            for (int i = 0; i < reports.size(); i++) {
                if (reports.get(i).get("batchCount").asLong() >= batch) {
                    return i;
                }
            }
            throw new AssertionError("no report reached batch " + batch + ":\n" + summary());
        }

        String status(final int i) {
            return reports.get(i).get("status").asText();
        }

        JsonNode firstReason(final int i) {
            return reports.get(i).get("reasons").get(0);
        }

        String summary() {
            final StringBuilder s = new StringBuilder();
            for (final JsonNode r : reports) {
                s.append(r.get("batchCount").asLong()).append(' ').append(r.get("status").asText());
                for (final JsonNode reason : r.get("reasons")) {
                    s.append(" | ").append(reason.get("message").asText());
                }
                s.append('\n');
            }
            return s.append("stderr: ").append(stderr).toString();
        }

        /** Asserts the cause is named first, soon after it starts, and that health returns after it ends. */
        void assertNamed(final long faultFrom, final String code, final String subject) {
            final int first = firstUnhealthyFrom(faultFrom);
            final int started = reportAt(faultFrom);
            assertTrue(first - started <= REPORTS_TO_NAME, "named within " + REPORTS_TO_NAME + " reports:\n" + summary());
            assertEquals(code, firstReason(first).get("code").asText(), summary());
            assertEquals(subject, firstReason(first).get("subject").asText(), summary());
            System.out.printf("scenario %s %s: first named %d report(s) after the fault began (batch %d): %s%n", code,
                subject, first - started, faultFrom, firstReason(first).get("message").asText());
        }

        void assertHealthyAgain(final long faultTo) {
            final int ended = reportAt(faultTo);
            for (int i = ended; i < reports.size(); i++) {
                if ("HEALTHY".equals(status(i))) {
                    assertTrue(i - ended <= REPORTS_TO_CLEAR, "healthy within " + REPORTS_TO_CLEAR + " reports:\n"
                        + summary());
                    System.out.printf("scenario healthy again %d report(s) after the fault ended (batch %d)%n",
                        i - ended, faultTo);
                    for (int j = i; j < reports.size(); j++) {
                        assertEquals("HEALTHY", status(j), "and stays healthy:\n" + summary());
                    }
                    return;
                }
            }
            throw new AssertionError("never healthy again after batch " + faultTo + ":\n" + summary());
        }

        void assertHealthyBefore(final long batch) {
            for (int i = 0; i < reports.size() && reports.get(i).get("batchCount").asLong() < batch; i++) {
                assertEquals("HEALTHY", status(i), "before the fault:\n" + summary());
            }
        }
    }

    private static Run run(final String stages, final String... args) throws IOException, InterruptedException {
        final Path config = Files.writeString(Files.createTempFile(work, "scenario", ".conf"), stages);
        final List<String> all = new ArrayList<>(List.of("run", "--plugins", plugins.toString(), "--config",
            config.toString(), "--health-interval", "250ms", "--stage-log-every", "1000000"));
        all.addAll(List.of(args));
        return new Run(ProgramRunner.run(all.toArray(new String[0])));
    }

    @Test
    void anOpenCircuitIsNamedFirstAndClears() throws Exception {
        final Run r = run(LECTURE_STAGES, "--rate", "200", "--batch-size", "256", "--batches", "1600",
            "--fault", "calibration:S3@300-700");
        assertEquals(0, r.exitCode, r.stderr);
        r.assertHealthyBefore(300);
        r.assertNamed(300, "CIRCUIT_OPEN", "calibration:S3");
        for (int i = r.firstUnhealthyFrom(300); i < r.reportAt(700); i++) {
            assertEquals("CIRCUIT_OPEN", r.firstReason(i).get("code").asText(), "first for the whole outage:\n" + r.summary());
        }
        r.assertHealthyAgain(700);
    }

    @Test
    void aStormAcrossEverySensorIsOneReasonForTheDependency() throws Exception {
        final List<String> args = new ArrayList<>(List.of("--rate", "200", "--batch-size", "256", "--batches", "1600"));
        for (int s = 0; s < 10; s++) {
            args.add("--fault");
            args.add("calibration:S" + s + "@300-700");
        }
        final Run r = run(LECTURE_STAGES, args.toArray(new String[0]));
        assertEquals(0, r.exitCode, r.stderr);
        // the first report may catch the first breaker opening alone (subject calibration:Sx); from the next one
        // on, the open breakers of the dependency are one reason whose subject is the dependency
        final int first = r.firstUnhealthyFrom(300);
        assertTrue(first - r.reportAt(300) <= REPORTS_TO_NAME, r.summary());
        assertEquals("CIRCUIT_OPEN", r.firstReason(first).get("code").asText(), r.summary());
        assertTrue(r.firstReason(first).get("subject").asText().startsWith("calibration"), r.summary());
        assertEquals("calibration", r.firstReason(first + 1).get("subject").asText(), r.summary());
        final int during = r.reportAt(650);
        assertTrue(r.firstReason(during).get("message").asText().startsWith("CIRCUIT_OPEN calibration: 10 of 10 circuits open"),
            r.summary());
        long circuitReasons = 0;
        for (final JsonNode reason : r.reports.get(during).get("reasons")) {
            circuitReasons += "CIRCUIT_OPEN".equals(reason.get("code").asText()) ? 1 : 0;
        }
        assertEquals(1, circuitReasons, r.summary());
        r.assertHealthyAgain(700);
    }

    @Test
    void aSlowBuiltInStageIsNamedWhileSlowAndClears() throws Exception {
        final Run r = run(LECTURE_STAGES, "--rate", "200", "--batch-size", "256", "--batches", "1400",
            "--fault", "slow:anomaly@400-900");
        assertEquals(0, r.exitCode, r.stderr);
        r.assertHealthyBefore(400);
        r.assertNamed(400, "THROUGHPUT_DROP", "anomaly");
        for (int i = r.firstUnhealthyFrom(400); i < r.reportAt(900); i++) {
            assertEquals("anomaly", r.firstReason(i).get("subject").asText(), "named as long as it is slow:\n" + r.summary());
        }
        r.assertHealthyAgain(900);
    }

    @Test
    void aPluginStageSlowForGoodStaysNamedToTheEnd() throws Exception {
        final Run r = run(LECTURE_STAGES + "sleeper fromBatch=400 sleepMicros=2000\n", "--rate", "200", "--batch-size",
            "256", "--batches", "2000");
        assertEquals(0, r.exitCode, r.stderr);
        r.assertHealthyBefore(400);
        r.assertNamed(400, "THROUGHPUT_DROP", "sleeper");
        for (int i = r.firstUnhealthyFrom(400); i < r.reports.size(); i++) {
            assertEquals("THROUGHPUT_DROP", r.firstReason(i).get("code").asText(), "it never becomes normal:\n" + r.summary());
            assertEquals("sleeper", r.firstReason(i).get("subject").asText());
        }
    }

    @Test
    void aStuckPluginStageIsNamedWithHowLongAndHealthReturns() throws Exception {
        final Run r = run(LECTURE_STAGES + "blocker atBatch=300 blockMs=5000\n", "--rate", "200", "--batch-size", "256",
            "--batches", "900");
        assertEquals(0, r.exitCode, r.stderr);
        r.assertHealthyBefore(299);
        final int stalled = r.firstUnhealthyFrom(299);
        assertEquals("STALLED", r.firstReason(stalled).get("code").asText(), r.summary());
        assertEquals("blocker", r.firstReason(stalled).get("subject").asText());
        assertTrue(r.firstReason(stalled).get("message").asText().startsWith("STALLED stage blocker has held batch 300 for "),
            r.summary());
        r.assertHealthyAgain(301);
    }

    @Test
    void aPluginStageAllocatingEveryBatchIsNamed() throws Exception {
        final Run r = run(LECTURE_STAGES + "hog fromBatch=300 toBatch=800 bytesPerBatch=4000000\n", "--rate", "100",
            "--batch-size", "256", "--batches", "1300");
        assertEquals(0, r.exitCode, r.stderr);
        r.assertHealthyBefore(300);
        r.assertNamed(300, "STAGE_ALLOCATING", "hog");
        r.assertHealthyAgain(800);
    }

    @Test
    void aLeakingPluginStageIsNamedBeforeTheHeapRunsOut() throws Exception {
        final Run r = run(LECTURE_STAGES + "leaky fromBatch=200 bytesPerBatch=262144\n", "--rate", "100",
            "--batch-size", "256", "--duration", "60s");
        // -Xmx256m (ProgramRunner) and 25 MB/s retained: the heap runs out within about 10 s
        JsonNode growing = null;
        JsonNode exhausted = null;
        for (final JsonNode report : r.reports) {
            final JsonNode first = report.get("reasons").size() == 0 ? null : report.get("reasons").get(0);
            if (first == null) {
                continue;
            }
            final String code = first.get("code").asText();
            if (growing == null && (code.equals("HEAP_GROWING") || code.equals("HEAP_EXHAUSTION"))) {
                growing = first;
            }
            if (exhausted == null && code.equals("HEAP_EXHAUSTION")) {
                exhausted = report;
            }
        }
        assertNotNull(growing, "the leak was named:\n" + r.summary());
        assertEquals("leaky", growing.get("subject").asText(), r.summary());
        assertNotNull(exhausted, "UNHEALTHY before the heap ran out:\n" + r.summary());
        assertEquals("UNHEALTHY", exhausted.get("status").asText());
    }

    @Test
    void cleanRunsReportOnlyHealthy() throws Exception {
        for (final String[] args : List.of(new String[] {"--rate", "100", "--duration", "8s"},
            new String[] {"--rate", "500", "--duration", "8s"}, new String[] {"--duration", "8s"})) {
            final Run r = run(LECTURE_STAGES, args);
            assertEquals(0, r.exitCode, r.stderr);
            assertTrue(r.reports.size() >= 25, r.summary());
            for (int i = 0; i < r.reports.size(); i++) {
                assertEquals("HEALTHY", r.status(i), String.join(" ", args) + ":\n" + r.summary());
            }
        }
    }
}
