package dev.pipescope.benchmarks;

import dev.pipescope.benchmarks.report.ReportCatalog;
import dev.pipescope.benchmarks.report.TargetSpec;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rules every benchmark class follows, checked over JMH's generated benchmark list. */
class BenchmarkConventionsTest {
    static Set<String> benchmarkClasses() {
        final Set<String> classes = new TreeSet<>();
        for (final BenchmarkListEntry e : BenchmarkList.defaultList()
            .getAll(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of())) {
            classes.add(e.getUserClassQName());
        }
        return classes;
    }

    @Test
    void everyBenchmarkClassForksWithTheAgronaExport() throws ClassNotFoundException {
        final Set<String> classes = benchmarkClasses();
        assertFalse(classes.isEmpty(), "JMH's benchmark list is empty: the annotation processor did not run");
        for (final String name : classes) {
            final Fork fork = Class.forName(name).getAnnotation(Fork.class);
            assertNotNull(fork, name + " must declare @Fork(jvmArgsAppend = BenchmarkSettings.ADD_EXPORTS, ...)");
            assertTrue(Arrays.asList(fork.jvmArgsAppend()).contains(BenchmarkSettings.ADD_EXPORTS),
                name + ": forked JVMs run with -cp, so Agrona needs " + BenchmarkSettings.ADD_EXPORTS
                    + " in @Fork(jvmArgsAppend)");
        }
    }

    @Test
    void everyBenchmarkClassIsASuiteOfTheReport() {
        for (final String name : benchmarkClasses()) {
            final String simple = name.substring(name.lastIndexOf('.') + 1);
            assertNotNull(ReportCatalog.suite(simple), simple
                + " is not declared in ReportCatalog.SUITES: the report and the CI smoke run would skip it");
        }
    }

    @Test
    void everyTargetNamesADeclaredSuite() {
        for (final TargetSpec t : ReportCatalog.TARGETS) {
            assertNotNull(ReportCatalog.suite(t.benchmarkClass()), t.title() + " names no declared suite");
        }
    }
}
