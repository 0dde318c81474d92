package dev.pipescope.benchmarks;

import dev.pipescope.benchmarks.report.PerfReport;
import dev.pipescope.benchmarks.report.ReportCatalog;
import dev.pipescope.benchmarks.report.SuiteSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CI smoke mode: every suite declared in {@link ReportCatalog} whose class exists runs once, in this JVM
 * (forks 0: surefire's argLine already carries the Agrona export), with no warm-up and one 50 ms
 * measurement per benchmark and parameter combination, under the same profilers as a full run, so the
 * suites cannot rot. The figures mean nothing; that every benchmark runs, scores and feeds the report
 * generator does.
 */
class SuiteSmokeTest {
    @Test
    void everySuiteRunsOnceAndFeedsTheReport(@TempDir final Path dir) throws Exception {
        final List<SuiteSpec> present = new ArrayList<>();
        final List<String> include = new ArrayList<>();
        for (final SuiteSpec s : ReportCatalog.SUITES) {
            if (benchmarkClass(s) != null) {
                present.add(s);
                include.add(s.includeRegex());
            }
        }
        assertTrue(present.stream().anyMatch(s -> s.benchmarkClass().equals("StageBenchmark")));
        assertTrue(present.stream().anyMatch(s -> s.benchmarkClass().equals("DataModelBenchmark")));

        final Path json = dir.resolve("smoke.json");
        final Options options = new OptionsBuilder()
            .include(String.join("|", include))
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(50))
            .addProfiler(GCProfiler.class)
            .addProfiler(WorkerAllocationProfiler.class)
            .shouldFailOnError(true)
            .verbosity(VerboseMode.SILENT)
            .resultFormat(ResultFormatType.JSON)
            .result(json.toString())
            .build();
        final Collection<RunResult> results = new Runner(options).run();
        assertFalse(results.isEmpty(), "JMH ran nothing");

        for (final SuiteSpec suite : present) {
            final Set<String> expected = new TreeSet<>();
            for (final Method m : benchmarkClass(suite).getMethods()) {
                if (m.isAnnotationPresent(Benchmark.class)) {
                    expected.add(m.getName());
                }
            }
            final Set<String> ran = new TreeSet<>();
            for (final RunResult r : results) {
                final String name = r.getParams().getBenchmark();
                if (name.contains("." + suite.benchmarkClass() + ".")) {
                    ran.add(name.substring(name.lastIndexOf('.') + 1));
                    final double score = r.getPrimaryResult().getScore();
                    assertTrue(score > 0 && Double.isFinite(score), name + " scored " + score);
                    assertTrue(r.getSecondaryResults().containsKey("gc.alloc.rate.norm"), name + ": no -prof gc metric");
                }
            }
            assertEquals(expected, ran, suite.benchmarkClass() + ": every @Benchmark method ran");
        }

        final PerfReport.Generated report = PerfReport.generate(json, dir);
        final String readme = Files.readString(report.readme());
        for (final SuiteSpec suite : present) {
            assertTrue(readme.contains("### " + suite.title() + " (`" + suite.benchmarkClass() + "`)"), suite.title());
        }
    }

    private static Class<?> benchmarkClass(final SuiteSpec suite) {
        try {
            return Class.forName("dev.pipescope.benchmarks." + suite.benchmarkClass());
        } catch (final ClassNotFoundException e) {
            return null;
        }
    }
}
