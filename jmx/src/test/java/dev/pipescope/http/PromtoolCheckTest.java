package dev.pipescope.http;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Prometheus's own linter on a real scrape: {@code promtool check metrics} (Debian's {@code prometheus}
 * package ships it; CI installs it) reports no finding — names, units, {@code _total} suffixes, help texts.
 */
class PromtoolCheckTest {
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @Test
    void promtoolFindsNothingToSayAboutAScrape() throws Exception {
        if (!Files.isExecutable(PROMTOOL)) {
            fail(PROMTOOL + " is missing: install the Debian package 'prometheus' (apt-get install prometheus;"
                + " .ci/run does)");
        }
        try (HttpFixture f = new HttpFixture("linted", configured -> configured.stage(), java.time.Duration.ofSeconds(60),
            java.time.Duration.ofSeconds(30))) {
            f.run(500);
            f.dashboard.report();
            f.run(500);
            f.dashboard.report();
            final String scrape = f.get("/metrics").body();
            assertTrue(scrape.contains("pipescope_stage_batch_latency_seconds_bucket"), scrape);
            final Path file = Files.createTempFile("scrape", ".txt");
            final Path out = Files.createTempFile("promtool", ".txt");
            try {
                Files.writeString(file, scrape);
                final Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
                    .redirectInput(file.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    fail("promtool did not finish in 60 s");
                }
                final String findings = Files.readString(out, StandardCharsets.UTF_8);
                assertEquals("", findings.trim(), "promtool check metrics");
                assertEquals(0, p.exitValue(), findings);
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(out);
                new File(out.toString()).delete();
            }
        }
    }
}
