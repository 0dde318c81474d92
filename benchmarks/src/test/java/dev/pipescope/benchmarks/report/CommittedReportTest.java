package dev.pipescope.benchmarks.report;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The committed {@code perf-reports/README.md} against the committed JSON it names: it is exactly what the
 * generator writes from that file, it copies in no hand-written analysis, and the analyses it links were
 * written against that run and quote no ratio the report does not show.
 */
class CommittedReportTest {
    private static final Pattern INPUT = Pattern.compile("from \\[`([^`]+\\.json)`\\]");
    private static final Pattern RATIO = Pattern.compile("(?<![\\d.,])(\\d[\\d,]*(?:\\.\\d+)?)×");

    @TempDir
    static Path dir;
    static Path reports;
    static String committed;
    static String generated;
    static String input;
    static PerfReport.Generated result;

    @BeforeAll
    static void regenerate() throws IOException {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("perf-reports/run.sh"))) {
            p = p.getParent();
        }
        assumeTrue(p != null, "not run inside the repository: no perf-reports/ above " + Path.of("").toAbsolutePath());
        reports = p.resolve("perf-reports");
        committed = Files.readString(reports.resolve("README.md"), StandardCharsets.UTF_8);
        final Matcher m = INPUT.matcher(committed);
        assertTrue(m.find(), "the committed README names no result file");
        input = m.group(1);

        // a copy of perf-reports/ without README and charts, so the committed files stay untouched
        try (Stream<Path> files = Files.list(reports)) {
            for (final Path f : files.collect(Collectors.toList())) {
                final String name = f.getFileName().toString();
                if (name.endsWith(".json") || name.endsWith(".env.properties")) {
                    Files.copy(f, dir.resolve(name));
                }
            }
        }
        Files.createDirectories(dir.resolve("analysis"));
        try (Stream<Path> files = Files.list(reports.resolve("analysis"))) {
            for (final Path f : files.collect(Collectors.toList())) {
                final String name = f.getFileName().toString();
                if (name.endsWith(".md") || name.endsWith(".json")) { // the analyses and the re-measurements
                    Files.copy(f, dir.resolve("analysis").resolve(name));
                }
            }
        }
        result = PerfReport.generate(dir.resolve(input), dir);
        generated = Files.readString(result.readme(), StandardCharsets.UTF_8);
    }

    private static List<Path> analyses() throws IOException {
        try (Stream<Path> files = Files.list(reports.resolve("analysis"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".md")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void theCommittedReadmeIsWhatTheGeneratorWritesFromItsJson() {
        assertEquals(generated, committed, "perf-reports/README.md is stale or edited by hand: regenerate it with"
            + " perf-reports/run.sh --report perf-reports/" + input);
    }

    @Test
    void theReportIsOfTheNewestCommittedRun() throws IOException {
        assertTrue(generated.contains("- [`" + input + "`](" + input + ") — "), generated);
        final String runs = generated.substring(generated.indexOf("## Committed runs"));
        final String first = runs.lines().filter(l -> l.startsWith("- ")).findFirst().orElse("");
        assertTrue(first.startsWith("- [`" + input + "`]") && first.endsWith("— **this report**"), first);
    }

    @Test
    void noAnalysisProseIsCopiedIntoTheReport() throws IOException {
        for (final String readme : List.of(committed, generated)) {
            final String which = readme == committed ? "the committed README" : "the generated README";
            assertFalse(readme.contains("Target analyses"), which + " has an analyses section again");
            final String report = normalize(readme);
            for (final Path f : analyses()) {
                final String text = normalize(Files.readString(f, StandardCharsets.UTF_8));
                for (final String sentence : text.split("(?<=[.:;!?])\\s+")) {
                    if (sentence.length() >= 40) {
                        assertFalse(report.contains(sentence), f.getFileName() + " is copied into " + which + ": "
                            + sentence);
                    }
                }
            }
        }
    }

    @Test
    void targetsNotMetOrInconclusiveLinkAnAnalysisOfThisRun() throws IOException {
        int linked = 0;
        for (final TargetSpec.Outcome o : result.outcomes()) {
            if (o.status() != TargetSpec.Status.NOT_MET && o.status() != TargetSpec.Status.INCONCLUSIVE) {
                continue;
            }
            final String row = generated.lines().filter(l -> l.startsWith("| " + o.title() + " |")).findFirst()
                .orElse(null);
            assertNotNull(row, "no row for " + o.title());
            final Matcher link = Pattern.compile("\\[analysis]\\((analysis/[a-z0-9-]+\\.md)\\)( \\([^)]*\\))? \\|")
                .matcher(row);
            assertTrue(link.find(), "no analysis linked: " + row);
            assertEquals(null, link.group(2), "the analysis is not of this run: " + row);
            assertEquals(input, PerfReport.analysedRun(reports.resolve(link.group(1))), link.group(1));
            linked++;
        }
        assertTrue(linked > 0, "the committed run has no target not met or inconclusive: nothing checked");
    }

    @Test
    void analysesOfThisRunQuoteNoRatioTheReportDoesNotShow() throws IOException {
        final List<String> strays = new ArrayList<>();
        for (final Path f : analyses()) {
            if (!input.equals(PerfReport.analysedRun(f))) {
                continue;
            }
            final Matcher m = RATIO.matcher(Files.readString(f, StandardCharsets.UTF_8));
            while (m.find()) {
                if (!Pattern.compile("(?<![\\d.,])" + Pattern.quote(m.group(1)) + "×").matcher(generated).find()) {
                    strays.add(f.getFileName() + ": " + m.group());
                }
            }
        }
        assertTrue(strays.isEmpty(), "ratios not in the report: " + strays);
    }

    private static String normalize(final String text) {
        return text.replaceAll("\\s+", " ").strip();
    }
}
