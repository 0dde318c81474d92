package dev.pipescope.benchmarks.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The paired on/off target: which iteration is which side, how pairs form, and the quartile range that is judged. */
class PairedRatioTest {
    private static final SuiteSpec SUITE = ReportCatalog.suite("ObservabilityOverheadBenchmark");
    private static final TargetSpec TARGET = TargetSpec.pairedRatio("paired", "ObservabilityOverheadBenchmark",
        0.97, Map.of("batchSize", "1024"));

    private static JmhResult result(final String mode, final String unit, final int warmup,
        final List<List<Double>> raw) {
        return new JmhResult("dev.pipescope.benchmarks.ObservabilityOverheadBenchmark.alternatingOnOff",
            "ObservabilityOverheadBenchmark", "alternatingOnOff", mode, 1, raw.size(), Map.of("batchSize", "1024"),
            0, 0, unit, 0, 0, 0, "1.37", "java", List.of(), "17", "vm", "17", warmup, "1 s",
            raw.isEmpty() ? 0 : raw.get(0).size(), "1 s", Map.of(), raw);
    }

    @Test
    void withAnEvenWarmUpTheFirstMeasuredIterationIsTheBaseline() {
        // 10 warm-up iterations (0..9): measured 0 is fork iteration 10, "off"; measured 1 is "on"
        final JmhResult r = result("thrpt", "ops/s", 10,
            List.of(List.of(100.0, 98.0, 50.0, 49.5), List.of(60.0, 60.6)));
        assertArrayEquals(new double[] {0.98, 0.99, 1.01}, TargetSpec.pairRatios(r), 1e-12);
    }

    @Test
    void withAnOddWarmUpTheFirstMeasuredIterationIsTheVariant() {
        final JmhResult r = result("thrpt", "ops/s", 3, List.of(List.of(98.0, 100.0, 45.0)));
        // the unpaired third iteration is left out
        assertArrayEquals(new double[] {0.98}, TargetSpec.pairRatios(r), 1e-12);
    }

    @Test
    void timePerOperationIsInvertedBeforeTheRatio() {
        // "off" 1 us/op, "on" 2 us/op: on runs at half the speed
        final JmhResult r = result("avgt", "us/op", 0, List.of(List.of(1.0, 2.0)));
        assertArrayEquals(new double[] {0.5}, TargetSpec.pairRatios(r), 1e-12);
    }

    @Test
    void quartilesInterpolateBetweenSortedValues() {
        final double[] v = {1, 2, 3, 4};
        assertEquals(1.75, TargetSpec.quantile(v, 0.25), 1e-12);
        assertEquals(2.5, TargetSpec.quantile(v, 0.5), 1e-12);
        assertEquals(4, TargetSpec.quantile(v, 1.0), 1e-12);
        assertEquals(3, TargetSpec.quantile(new double[] {3}, 0.5), 1e-12);
    }

    @Test
    void theMedianPairDecidesNotTheMeanOfEachSide() {
        // Forks in different speed modes: a fast fork (~64k) and a slow one (~50k). Pooled means would give
        // on/off = 1.0; the pairs all say on is 2 % slower.
        final JmhResult r = result("thrpt", "ops/s", 10, List.of(
            List.of(64_000.0, 62_720.0, 64_000.0, 62_720.0),
            List.of(50_000.0, 49_000.0, 50_000.0, 49_000.0)));
        final TargetSpec.Outcome o = TARGET.evaluate(SUITE, List.of(r));
        assertEquals(TargetSpec.Status.MET, o.status(), o.figure());
        assertTrue(o.figure().startsWith("on/off median 0.980× over 4 adjacent-iteration pairs in 2 forks"
            + " (batchSize=1024)"), o.figure());
    }

    @Test
    void quartilesBelowTheLimitAreNotMet() {
        // pairs 0.95, 0.96, 0.94, 0.95: quartiles 0.9475-0.9525, all below 0.97
        final JmhResult r = result("thrpt", "ops/s", 10,
            List.of(List.of(100.0, 95.0, 100.0, 96.0, 100.0, 94.0, 100.0, 95.0)));
        final TargetSpec.Outcome o = TARGET.evaluate(SUITE, List.of(r));
        assertEquals(TargetSpec.Status.NOT_MET, o.status(), o.figure());
        assertTrue(o.figure().contains("median 0.950×"), o.figure());
        assertTrue(o.figure().contains("quartiles 0.948×–0.952×: whole interval < 0.970×"), o.figure());
    }

    @Test
    void quartilesStraddlingTheLimitAreInconclusiveWhateverTheMedian() {
        // pairs 0.95, 0.96, 0.98, 0.99, 1.00: the median 0.98 alone would meet 0.97, but the quartiles
        // 0.96-0.99 straddle it
        final JmhResult r = result("thrpt", "ops/s", 10, List.of(List.of(100.0, 95.0, 100.0, 96.0, 100.0, 98.0,
            100.0, 99.0, 100.0, 100.0)));
        final TargetSpec.Outcome o = TARGET.evaluate(SUITE, List.of(r));
        assertEquals(TargetSpec.Status.INCONCLUSIVE, o.status(), o.figure());
        assertTrue(o.figure().contains("median 0.980×"), o.figure());
        assertTrue(o.figure().contains("quartiles 0.960×–0.990×: interval straddles 0.970×"), o.figure());
    }

    @Test
    void tooFewPairsAreInconclusive() {
        // three pairs all far above the limit: no quartile range is judged from so few
        final JmhResult r = result("thrpt", "ops/s", 10, List.of(List.of(100.0, 110.0, 100.0, 111.0, 100.0, 112.0)));
        final TargetSpec.Outcome o = TARGET.evaluate(SUITE, List.of(r));
        assertEquals(TargetSpec.Status.INCONCLUSIVE, o.status(), o.figure());
        assertTrue(o.figure().contains("fewer than " + TargetSpec.MIN_PAIRS + " pairs"), o.figure());
    }

    @Test
    void aRunWithoutPairsIsNotMeasured() {
        assertEquals(TargetSpec.Status.NOT_MEASURED,
            TARGET.evaluate(SUITE, List.of(result("thrpt", "ops/s", 0, List.of(List.of(100.0))))).status());
        assertEquals(TargetSpec.Status.NOT_MEASURED, TARGET.evaluate(SUITE, List.of()).status());
    }

    @Test
    void theReportShowsThePairsInATableAndLeavesTheAlternatingMeanOutOfRatiosAndCharts(@TempDir final Path dir)
        throws IOException {
        final String entry = """
            {"jmhVersion":"1.37","benchmark":"dev.pipescope.benchmarks.ObservabilityOverheadBenchmark.%s",
             "mode":"thrpt","threads":1,"forks":%d,"jvm":"java","jvmArgs":[],"jdkVersion":"17.0.15",
             "vmName":"OpenJDK","vmVersion":"17","warmupIterations":10,"warmupTime":"1 s",
             "measurementIterations":%d,"measurementTime":"1 s","params":{"batchSize":"1024"},
             "primaryMetric":{"score":%s,"scoreError":1000.0,"scoreUnit":"ops/s","rawData":%s}}
            """;
        final String json = "[" + String.format(entry, "observabilityOff", 1, 2, "50000.0", "[[50000.0,50000.0]]") + ","
            + String.format(entry, "observabilityOn", 1, 2, "60000.0", "[[60000.0,60000.0]]") + ","
            + String.format(entry, "alternatingOnOff", 2, 4, "56000.0",
                "[[64000.0,62720.0,64000.0,62720.0],[50000.0,49000.0,50000.0,49000.0]]") + "]";
        final Path file = dir.resolve("2026-01-02-paired.json");
        Files.writeString(file, json);
        final PerfReport.Generated g = PerfReport.generate(file, dir);
        final String readme = Files.readString(g.readme());

        assertTrue(readme.contains("| batchSize=1024 | 4 | 2 | 0.980× | 0.980×–0.980× | 0.980×–0.980× |"), readme);
        assertTrue(readme.contains("paired: see below"), readme);
        // the separately forked ratio is shown as measured, and judged as its own line
        assertTrue(readme.contains("| Observability on ≥ 97% of off, batch 1024 (paired) | MET | on/off median 0.980×"),
            readme);
        assertTrue(readme.contains("observabilityOn = 1.20× observabilityOff"), readme);
        assertEquals(1, g.charts().size());
    }
}
