package dev.pipescope.benchmarks.report;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report generator on a small committed JMH JSON ({@code perf/sample-result.json}, figures chosen so
 * that most kinds of outcome occur): tables, ratios, targets MET / NOT MET / INCONCLUSIVE / not measured,
 * charts. The verdict rules themselves are tested on synthetic results in {@link VerdictTest}.
 */
class PerfReportTest {
    @TempDir
    static Path dir;
    static PerfReport.Generated generated;
    static String readme;

    @BeforeAll
    static void generate() throws IOException {
        final Path json = dir.resolve("2026-01-01-sample.json");
        try (InputStream in = PerfReportTest.class.getResourceAsStream("/perf/sample-result.json")) {
            assertNotNull(in, "fixture missing");
            Files.copy(in, json);
        }
        generated = PerfReport.generate(json, dir);
        readme = Files.readString(generated.readme());
    }

    private static Map<String, TargetSpec.Outcome> outcomes() {
        return generated.outcomes().stream().collect(Collectors.toMap(TargetSpec.Outcome::title, Function.identity()));
    }

    private static TargetSpec.Status status(final String title) {
        final TargetSpec.Outcome o = outcomes().get(title);
        assertNotNull(o, "no target " + title);
        return o.status();
    }

    @Test
    void headerDocumentsTheCommandAndLinksTheResult() {
        assertTrue(readme.contains("perf-reports/run.sh LABEL [SUITE_REGEX]"));
        assertTrue(readme.contains("[`2026-01-01-sample.json`](2026-01-01-sample.json)"));
        assertTrue(readme.contains("| JMH | 1.37 |"));
        assertTrue(readme.contains("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"));
        assertTrue(readme.contains("| CPU | "));
        assertTrue(Files.exists(dir.resolve("2026-01-01-sample.env.properties")), "machine sidecar written");
    }

    @Test
    void stageTableShowsRecordsPerSecondBytesAndTheCopyBaseline() {
        // threshold at 1024: 500,000 batches/s = 512 M records/s, half the speed of copy (1,000,000/s);
        // without the copy: 1 / (1/500,000 - 1/1,000,000) = 1,000,000 batches/s = 1.024 G records/s.
        assertTrue(readme.contains("| `threshold` | batchSize=1024 | 512.0 M | 20.48 M | 500,000 | 20,000 | ops/s"
            + " | 0.020 | 0.001 | 0.000 | 0.500× | 1.024 G |"), readme);
        assertTrue(readme.contains("| `copy` | batchSize=256 | 1.024 G |"));
        assertTrue(readme.contains("1 (reference)"));
        // rows in declared order: copy, threshold, ..., pipeline; parameters numerically
        assertTrue(readme.indexOf("| `copy` | batchSize=256") < readme.indexOf("| `copy` | batchSize=1024"));
        assertTrue(readme.indexOf("| `copy` | batchSize=1024") < readme.indexOf("| `threshold` | batchSize=256"));
        assertTrue(readme.indexOf("| `threshold` | batchSize=1024") < readme.indexOf("| `pipeline` | batchSize=256"));
    }

    @Test
    void targetsAreJudgedOnTheirIntervals() {
        assertEquals(TargetSpec.Status.MET, status("0 B/op (< 0.01) for every stage and the default pipeline"));
        assertEquals(TargetSpec.Status.MET, status("0 B/op (< 0.01) for the columnar pipeline"));
        assertEquals(TargetSpec.Status.NOT_MET, status("0 B/op (< 0.01) for our encoder"));
        assertEquals(TargetSpec.Status.MET, status("Columnar pipeline ≥ 20× the record-as-map model"));
        // the fixture's encoder scores have no error ("NaN"): no interval, so neither met nor missed
        assertEquals(TargetSpec.Status.INCONCLUSIVE, status("Our encoder ≥ 3× Jackson's JsonGenerator"));
        assertEquals(TargetSpec.Status.INCONCLUSIVE, status("Our encoder ≥ 3× the Log4j2 JsonTemplateLayout"));
        assertEquals(TargetSpec.Status.NOT_MEASURED, status("Observability on ≥ 97% of off, batch 1024 (paired)"));
        assertEquals(TargetSpec.Status.NOT_MEASURED,
            status("Observability on ≥ 97% of off, batch 1024 (separate forks)"));
        assertEquals(TargetSpec.Status.NOT_MEASURED, status("Our metrics recording faster than Micrometer's Timer"));
        assertEquals(TargetSpec.Status.NOT_MEASURED, status("0 B/op (< 0.01) on the async sink's producer path"));

        // 50,000 ± 1,000 vs 2,000 ± 100 ops/s: 49,000 / 2,100 = 23.3x to 51,000 / 1,900 = 26.8x, all above 20x
        assertTrue(readme.contains("| Columnar pipeline ≥ 20× the record-as-map model | MET | columnar = 25.0×"
            + " recordAsMap (batchSize=1024), CI 23.3×–26.8×: whole interval ≥ 20.0× |"), readme);
        // time per operation inverted: 100 ns vs 250 ns is 2.5x; without errors it is not judged
        assertTrue(readme.contains("| Our encoder ≥ 3× the Log4j2 JsonTemplateLayout | **INCONCLUSIVE**<br>no analysis"
            + " yet (`analysis/encoder-vs-log4j2.md`) | ours = 2.50× log4j2 (event=stage_completed), no CI (JMH gave"
            + " no error): no interval |"), readme);
        assertTrue(readme.contains("ours = 5.00× jackson"));
        assertTrue(readme.contains("| 0 B/op (< 0.01) for our encoder | **NOT MET**<br>no analysis yet"), readme);
        assertTrue(readme.contains("gc.alloc.rate.norm: 1 of 1 at or above 0.01 B/op: ours event=stage_completed"
            + " 24.000 B/op"), readme);
        assertTrue(readme.contains("worker.alloc.norm max 0.002 B/op"));
        assertTrue(readme.contains("| Our metrics recording faster than Dropwizard's Timer | not measured in this run"
            + " | MetricsRecordingBenchmark not in this run |"));
    }

    @Test
    void theReportDocumentsHowVerdictsAreJudged() {
        assertTrue(readme.contains(PerfReport.INTERVAL_METHOD), readme);
        assertTrue(readme.contains("**INCONCLUSIVE** when the interval straddles the threshold"), readme);
    }

    @Test
    void analysesAreLinkedForTargetsNotMetOrInconclusiveAndNeverCopiedIn(@TempDir final Path other) throws IOException {
        final Path json = other.resolve("2026-01-01-sample.json");
        Files.copy(dir.resolve("2026-01-01-sample.json"), json);
        Files.createDirectories(other.resolve("analysis"));
        final String body = "This sentence is hand-written analysis and must stay in its own file.";
        Files.writeString(other.resolve("analysis/encoder-vs-jackson.md"),
            "Written against [`2026-01-01-sample.json`](../2026-01-01-sample.json).\n\n" + body + "\n");
        Files.writeString(other.resolve("analysis/encoder-vs-log4j2.md"),
            "Written against `2025-12-31-older.json`.\n\n" + body + "\n");
        Files.writeString(other.resolve("analysis/columnar-vs-map.md"), "No run named here.\n\n" + body + "\n");
        final String text = Files.readString(PerfReport.generate(json, other).readme());

        assertTrue(text.contains("| Our encoder ≥ 3× Jackson's JsonGenerator | **INCONCLUSIVE**<br>[analysis]"
            + "(analysis/encoder-vs-jackson.md) | "), text);
        assertTrue(text.contains("| **INCONCLUSIVE**<br>[analysis](analysis/encoder-vs-log4j2.md) (written for"
            + " `2025-12-31-older.json`, not this run) | "), text);
        // a met target's analysis is not linked from the table
        assertTrue(text.contains("| Columnar pipeline ≥ 20× the record-as-map model | MET | "), text);
        assertTrue(!text.contains("columnar-vs-map.md"), text);
        assertTrue(!text.contains(body), text);
        assertTrue(!text.contains("Target analyses"), text);
    }

    @Test
    void absentAndUndeclaredSuitesAreListed() {
        final String notInRun = readme.substring(readme.indexOf("### Not in this run"));
        assertTrue(notInRun.contains("(`ObservabilityOverheadBenchmark`)"));
        assertTrue(notInRun.contains("(`MetricsRecordingBenchmark`)"));
        assertTrue(notInRun.contains("(`AsyncLogSinkBenchmark`)"));
        assertTrue(readme.contains("| `SomeNewBenchmark.thing` |  | 123.0 | 4.000 | ops/s | 0.000 |"), readme);
    }

    @Test
    void chartsAreDrawnAndLinked() throws IOException {
        final List<String> names = generated.charts().stream().map(p -> p.getFileName().toString()).sorted()
            .collect(Collectors.toList());
        assertEquals(List.of("DataModelBenchmark-versus.png", "JsonEncodingBenchmark-versus.png",
            "StageBenchmark-by-batchSize.png"), names);
        for (final Path chart : generated.charts()) {
            final BufferedImage image = ImageIO.read(chart.toFile());
            assertNotNull(image, chart + " is a PNG");
            assertEquals(1000, image.getWidth());
            assertTrue(readme.contains("](charts/" + chart.getFileName() + ")"), "linked: " + chart.getFileName());
        }
    }

    @Test
    void scoresConvertBetweenUnits() throws IOException {
        final List<JmhResult> results = JmhResult.read(dir.resolve("2026-01-01-sample.json"));
        final JmhResult ours = results.stream().filter(r -> r.className().equals("JsonEncodingBenchmark")
            && r.method().equals("ours")).findFirst().orElseThrow();
        assertEquals(1e7, ours.opsPerSecond(), 1e-3);
        assertTrue(Double.isNaN(ours.scoreError()), "JMH's \"NaN\" error reads as NaN");
        assertEquals("stage_completed", ours.params().get("event"));
    }
}
