package dev.pipescope.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Generates {@code perf-reports/README.md} and its charts from one JMH JSON result file: the environment,
 * issue 6's targets (met / NOT met / not measured, with the figure), and per suite a table of score, error,
 * {@code gc.alloc.rate.norm} and the ratio to the suite's baseline or peer, with PNG charts drawn by
 * JFreeChart. Every figure comes from the JSON; what is a suite, its reference and its targets is declared
 * in {@link ReportCatalog}.
 *
 * <pre>
 * java -Djava.awt.headless=true -cp benchmarks/target/benchmarks.jar \
 *     dev.pipescope.benchmarks.report.PerfReport perf-reports/2026-11-28-stages-datamodel.json [--out perf-reports]
 * </pre>
 */
public final class PerfReport {
    /** Where the generator's source lives, for the generated README. */
    static final String SOURCE = "benchmarks/src/main/java/dev/pipescope/benchmarks/report/PerfReport.java";

    /** The one sentence documenting {@link TargetSpec#ratioInterval(JmhResult, JmhResult)} in the report. */
    static final String INTERVAL_METHOD = "The interval (CI) of a ratio A ÷ B is the conservative one from both"
        + " scores' 99.9% error bounds, in operations per second: lower = slowest A ÷ fastest B, upper = fastest"
        + " A ÷ slowest B (a bound at zero leaves it open towards 0 or ∞).";

    private PerfReport() {
    }

    /**
     * What a generation wrote.
     *
     * @param readme   the README.
     * @param charts   the chart files.
     * @param outcomes the targets' outcomes.
     */
    public record Generated(Path readme, List<Path> charts, List<TargetSpec.Outcome> outcomes) {
    }

    /**
     * @param args {@code RESULT.json [--out DIR]}; DIR defaults to the JSON's folder.
     * @throws IOException when reading or writing fails.
     */
    public static void main(final String[] args) throws IOException {
        Path json = null;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            if ("--out".equals(args[i]) && i + 1 < args.length) {
                out = Path.of(args[++i]);
            } else if (args[i].startsWith("-")) {
                usage("unknown option " + args[i]);
            } else if (json == null) {
                json = Path.of(args[i]);
            } else {
                usage("one result file only");
            }
        }
        if (json == null) {
            usage("no result file given");
        }
        if (!Files.isRegularFile(json)) {
            usage(json + " does not exist");
        }
        final Generated g = generate(json, out == null ? json.toAbsolutePath().getParent() : out);
        System.out.println("wrote " + g.readme() + " and " + g.charts().size() + " charts");
        for (final TargetSpec.Outcome o : g.outcomes()) {
            System.out.println("  " + o.status().text() + ": " + o.title() + " — " + o.figure());
        }
    }

    private static void usage(final String problem) {
        System.err.println("PerfReport: " + problem);
        System.err.println("usage: java -cp benchmarks/target/benchmarks.jar " + PerfReport.class.getName()
            + " RESULT.json [--out DIR]");
        System.exit(2);
    }

    /**
     * Writes {@code DIR/README.md} and {@code DIR/charts/*.png} from a result file.
     *
     * @param json   the JMH JSON result file.
     * @param outDir where to write.
     * @return what was written.
     * @throws IOException when reading or writing fails.
     */
    public static Generated generate(final Path json, final Path outDir) throws IOException {
        final List<JmhResult> results = JmhResult.read(json);
        if (results.isEmpty()) {
            throw new IOException(json + " holds no result");
        }
        final Environment env = Environment.forRun(json);
        final Path chartDir = outDir.resolve("charts");
        Files.createDirectories(chartDir);
        final String jsonLink = link(outDir, json);

        final StringBuilder md = new StringBuilder();
        header(md, json, jsonLink);
        environment(md, results, env, jsonLink);

        final List<TargetSpec.Outcome> outcomes = new ArrayList<>();
        for (final TargetSpec t : ReportCatalog.TARGETS) {
            final SuiteSpec suite = ReportCatalog.suite(t.benchmarkClass());
            final List<JmhResult> suiteResults = suite == null ? List.of() : of(suite, results);
            outcomes.add(suiteResults.isEmpty()
                ? new TargetSpec.Outcome(t.title(), TargetSpec.Status.NOT_MEASURED, t.benchmarkClass() + " not in this run")
                : t.evaluate(suite, suiteResults));
        }
        targets(md, outcomes, outDir);

        final List<Path> charts = new ArrayList<>();
        final List<SuiteSpec> absent = new ArrayList<>();
        md.append("## Suites\n\n");
        for (final SuiteSpec suite : ReportCatalog.SUITES) {
            final List<JmhResult> rows = of(suite, results);
            if (rows.isEmpty()) {
                absent.add(suite);
                continue;
            }
            suiteSection(md, suite, rows, chartDir, outDir, charts);
        }
        if (!absent.isEmpty()) {
            md.append("### Not in this run\n\n");
            for (final SuiteSpec s : absent) {
                md.append("- ").append(s.title()).append(" (`").append(s.benchmarkClass()).append("`)\n");
            }
            md.append('\n');
        }
        others(md, results);
        history(md, json, outDir);

        final Path readme = outDir.resolve("README.md");
        Files.writeString(readme, md.toString(), StandardCharsets.UTF_8);
        return new Generated(readme, charts, outcomes);
    }

    private static List<JmhResult> of(final SuiteSpec suite, final List<JmhResult> results) {
        final List<JmhResult> rows = new ArrayList<>();
        for (final JmhResult r : results) {
            if (suite.matches(r)) {
                rows.add(r);
            }
        }
        rows.sort(Comparator.comparingInt((JmhResult r) -> suite.rank(r.method()))
            .thenComparing(JmhResult::method)
            .thenComparing(PerfReport::compareParams));
        return rows;
    }

    /** Orders parameter combinations, numerically where both values are numbers (256 before 1024). */
    private static int compareParams(final JmhResult a, final JmhResult b) {
        final Set<String> keys = new TreeSet<>(a.params().keySet());
        keys.addAll(b.params().keySet());
        for (final String k : keys) {
            final String x = a.params().getOrDefault(k, "");
            final String y = b.params().getOrDefault(k, "");
            int c;
            try {
                c = Double.compare(Double.parseDouble(x), Double.parseDouble(y));
            } catch (final NumberFormatException e) {
                c = x.compareTo(y);
            }
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static void header(final StringBuilder md, final Path json, final String jsonLink) {
        md.append("# pipescope performance reports\n\n");
        md.append("Generated by [`PerfReport`](../").append(SOURCE).append(") from [`")
            .append(json.getFileName()).append("`](").append(jsonLink).append(("), the raw JMH result."
                + " Do not edit by hand: every figure, table and chart here comes from that file (the machine"
                + " description from the `.env.properties` beside it); to change the text, change the generator"
                + " or its suite and target declarations in `ReportCatalog.java`.\n\n"));
        md.append("## Regenerate\n\n");
        md.append("One command builds the benchmarks if needed, runs them with `-prof gc`, and regenerates this"
            + " file and `charts/`:\n\n");
        md.append("    perf-reports/run.sh LABEL [SUITE_REGEX]\n\n");
        md.append("It runs `java -jar benchmarks/target/benchmarks.jar -prof gc -prof"
            + " dev.pipescope.benchmarks.WorkerAllocationProfiler -rf json -rff"
            + " perf-reports/DATE-LABEL.json [SUITE_REGEX]` and then `PerfReport` on that file. LABEL names what"
            + " changed (e.g. `stages-datamodel`); SUITE_REGEX is a JMH include pattern such as"
            + " `'StageBenchmark|DataModelBenchmark'` (all suites when omitted). Extra JMH options go in"
            + " `JMH_OPTS`, e.g. `JMH_OPTS='-f 2 -wi 10 -i 10' perf-reports/run.sh quiet-box`, and"
            + " `PIN_CPU=N` runs JMH and its forks on logical CPU N only (`perf-reports/cpu-probe.sh` tells"
            + " whether the CPUs differ); the suites' defaults are one fork, 5 × 1 s warm-up and 5 × 1 s"
            + " measurement. `perf-reports/run.sh --report FILE.json` only regenerates this report from an existing result. A target may carry a hand-written analysis,"
            + " `perf-reports/analysis/KEY.md` (KEY declared in `ReportCatalog`), included below the targets as is;"
            + " write it from a profile that was run. Commit the JSON, its `.env.properties`,"
            + " this README and `charts/`. `java -jar benchmarks/target/benchmarks.jar -l` lists the"
            + " benchmarks.\n\n");
        md.append("How to read it: a score is JMH's mean over the measured iterations, `±` its 99.9% confidence"
            + " half-width; with few iterations on a shared two-core machine, differences inside the error are"
            + " noise. `B/op (gc)` is `gc.alloc.rate.norm` from `-prof gc`: every thread's allocation during the"
            + " iteration divided by the operations, so it includes JMH's own background allocation (a steady"
            + " ~20 KB/s here), which reads as a few B/op for benchmarks doing only thousands of operations per"
            + " second. `B/op (worker)` is `worker.alloc.norm` from `WorkerAllocationProfiler`: what the"
            + " benchmark threads allocated between the iteration's setup and tear-down, per operation — the"
            + " benchmark code's own allocation. The 0 B/op targets are judged on it where present (< 0.01"
            + " counts as zero) and on `gc.alloc.rate.norm` otherwise. `B/record` divides by the records per"
            + " operation. \"×\" columns are speed ratios"
            + " (operations per second of the row ÷ the reference's, at the same parameters): above 1 means"
            + " faster than the reference.\n\n");
    }

    private static void environment(final StringBuilder md, final List<JmhResult> results, final Environment env,
        final String jsonLink) {
        md.append("## Environment\n\n");
        md.append("| | |\n| --- | --- |\n");
        row(md, "result file", "[`" + jsonLink + "`](" + jsonLink + ")");
        row(md, "CPU", env.cpu());
        row(md, "logical cores", env.cores());
        row(md, "CPU pinning", env.pinning());
        row(md, "memory", env.memory());
        row(md, "OS", env.os());
        row(md, "machine captured", env.captured());
        row(md, "JDK", distinct(results, r -> r.jdkVersion() + " — " + r.vmName() + " " + r.vmVersion()));
        row(md, "JVM", distinct(results, r -> "`" + r.jvm() + "`"));
        row(md, "JVM args", distinct(results, r -> r.jvmArgs().isEmpty() ? "(none)"
            : "`" + String.join(" ", r.jvmArgs()) + "`"));
        row(md, "JMH", distinct(results, JmhResult::jmhVersion));
        final Map<String, Set<String>> settings = new LinkedHashMap<>();
        for (final JmhResult r : results) {
            settings.computeIfAbsent(r.settingsText(), k -> new LinkedHashSet<>()).add(r.className());
        }
        final List<String> settingLines = new ArrayList<>();
        for (final Map.Entry<String, Set<String>> e : settings.entrySet()) {
            settingLines.add(e.getKey() + (settings.size() > 1 ? " (" + String.join(", ", e.getValue()) + ")" : ""));
        }
        row(md, "JMH settings", String.join("<br>", settingLines));
        final boolean gc = results.stream().anyMatch(r -> !Double.isNaN(r.allocNorm()));
        final boolean worker = results.stream().anyMatch(r -> !Double.isNaN(r.workerAllocNorm()));
        row(md, "profilers", (gc ? "gc (`gc.alloc.rate.norm`)" : "no `-prof gc`: gc.alloc.rate.norm unknown")
            + (worker ? ", `WorkerAllocationProfiler` (`worker.alloc.norm`)" : ""));
        row(md, "benchmarks", Integer.toString(results.size()));
        md.append('\n');
    }

    private static String distinct(final List<JmhResult> results, final java.util.function.Function<JmhResult, String> f) {
        return results.stream().map(f).distinct().collect(Collectors.joining("<br>"));
    }

    private static void row(final StringBuilder md, final String key, final String value) {
        md.append("| ").append(key).append(" | ").append(value).append(" |\n");
    }

    private static void targets(final StringBuilder md, final List<TargetSpec.Outcome> outcomes, final Path outDir)
        throws IOException {
        md.append("## Targets\n\n");
        md.append("From issue 6. A target not met is reported as not met, never tuned away by changing the"
            + " benchmark; a target whose suite is not in this run says so. A ratio target is **MET** only when its"
            + " whole interval lies on the acceptable side of the threshold, **NOT MET** when the whole interval"
            + " lies on the other side, and **INCONCLUSIVE** when the interval straddles the threshold (or there"
            + " is none). " + INTERVAL_METHOD + " A paired target is judged on the quartile range of its pair"
            + " ratios (the middle half of the pairs; fewer than " + TargetSpec.MIN_PAIRS + " pairs:"
            + " inconclusive).\n\n");
        md.append("| target | status | measured |\n| --- | --- | --- |\n");
        for (final TargetSpec.Outcome o : outcomes) {
            final String status = switch (o.status()) {
                case MET -> "MET";
                case NOT_MET -> "**NOT MET**";
                case INCONCLUSIVE -> "**INCONCLUSIVE**";
                case NOT_MEASURED -> "not measured in this run";
            };
            md.append("| ").append(o.title()).append(" | ").append(status).append(" | ")
                .append(o.figure().replace("|", "\\|")).append(" |\n");
        }
        md.append('\n');
        analyses(md, outcomes, outDir);
    }

    /**
     * Includes {@code analysis/KEY.md} verbatim for every target that declares a key and has the file: the
     * hand-written explanation of where the time goes, from a profile that was run. A target not met without
     * one is flagged.
     */
    private static void analyses(final StringBuilder md, final List<TargetSpec.Outcome> outcomes, final Path outDir)
        throws IOException {
        final StringBuilder section = new StringBuilder();
        for (int i = 0; i < ReportCatalog.TARGETS.size() && i < outcomes.size(); i++) {
            final TargetSpec t = ReportCatalog.TARGETS.get(i);
            final TargetSpec.Outcome o = outcomes.get(i);
            final Path file = t.key() == null ? null : outDir.resolve("analysis").resolve(t.key() + ".md");
            if (file != null && Files.isRegularFile(file)) {
                section.append("### ").append(o.title()).append(" — ").append(o.status().text()).append("\n\n")
                    .append("From [`").append(link(outDir, file)).append("`](").append(link(outDir, file))
                    .append("), written by hand from the profile named in it; the measured figure is the one in"
                        + " the table above.\n\n")
                    .append(Files.readString(file, StandardCharsets.UTF_8).strip()).append("\n\n");
            } else if (o.status() == TargetSpec.Status.NOT_MET || o.status() == TargetSpec.Status.INCONCLUSIVE) {
                section.append("### ").append(o.title()).append(" — ").append(o.status().text()).append("\n\n")
                    .append("No analysis written yet").append(t.key() == null ? "" : " (`analysis/" + t.key() + ".md`)")
                    .append(".\n\n");
            }
        }
        if (section.length() > 0) {
            md.append("## Target analyses\n\n").append(section);
        }
    }

    private static void suiteSection(final StringBuilder md, final SuiteSpec suite, final List<JmhResult> rows,
        final Path chartDir, final Path outDir, final List<Path> charts) throws IOException {
        md.append("### ").append(suite.title()).append(" (`").append(suite.benchmarkClass()).append("`)\n\n");
        if (!suite.about().isEmpty()) {
            md.append(suite.about()).append("\n\n");
        }
        md.append("Settings: ").append(distinct(rows, JmhResult::settingsText)).append(".\n\n");
        final String perOp = suite.recordsPerOpParam();
        final String ref = suite.reference();
        final boolean estimate = suite.referenceIsOverhead() && ref != null && perOp != null;
        final StringBuilder head = new StringBuilder("| benchmark | params |");
        if (perOp != null) {
            head.append(" records/s | ± records/s |");
        }
        final boolean worker = rows.stream().anyMatch(r -> !Double.isNaN(r.workerAllocNorm()));
        head.append(" score | ± error | units | B/op (gc) |");
        if (worker) {
            head.append(" B/op (worker) |");
        }
        if (perOp != null) {
            head.append(" B/record |");
        }
        if (ref != null) {
            head.append(" × vs `").append(ref).append("` |");
        }
        if (estimate) {
            head.append(" est. records/s without `").append(ref).append("` |");
        }
        final String costHeading = suite.costPerThreadHeading();
        if (costHeading != null) {
            head.append(' ').append(costHeading).append(" |");
        }
        for (final String heading : suite.extraColumns().values()) {
            head.append(' ').append(heading).append(" |");
        }
        md.append(head).append('\n');
        md.append(head.toString().replaceAll("[^|]+", " --- ")).append('\n');
        for (final JmhResult r : rows) {
            md.append("| `").append(r.method()).append("` | ").append(r.paramsText()).append(" |");
            final double records = recordsPerOp(suite, r);
            if (perOp != null) {
                final double rps = r.opsPerSecond() * records;
                md.append(' ').append(Format.human(rps)).append(" | ")
                    .append(Format.human(Math.abs(rps * r.scoreError() / r.score()))).append(" |");
            }
            md.append(' ').append(Format.sig(r.score())).append(" | ").append(Format.sig(r.scoreError())).append(" | ")
                .append(r.unit()).append(" | ").append(Format.bytes(r.allocNorm())).append(" |");
            if (worker) {
                md.append(' ').append(Format.bytes(r.workerAllocNorm())).append(" |");
            }
            if (perOp != null) {
                final double perOpBytes = worker && !Double.isNaN(r.workerAllocNorm()) ? r.workerAllocNorm() : r.allocNorm();
                md.append(' ').append(Format.bytes(perOpBytes / records)).append(" |");
            }
            final JmhResult reference = ref == null ? null : TargetSpec.find(rows, ref, r.params());
            final boolean paired = r.method().equals(suite.pairedMethod());
            if (ref != null) {
                md.append(' ').append(r.method().equals(ref) ? "1 (reference)" : paired ? "paired: see below"
                    : reference == null ? "—" : Format.ratio(TargetSpec.speedup(r, reference))).append(" |");
            }
            if (estimate) {
                String net = "—";
                if (reference != null && !r.method().equals(ref) && !paired) {
                    final double seconds = 1.0 / r.opsPerSecond() - 1.0 / reference.opsPerSecond();
                    net = seconds > 0 ? Format.human(records / seconds) : "n/a (within noise)";
                }
                md.append(' ').append(net).append(" |");
            }
            if (costHeading != null) {
                final double ops = r.opsPerSecond();
                md.append(' ').append(ops > 0 ? Format.sig(r.threads() * 1e9 / ops) + " ns" : "—").append(" |");
            }
            for (final String metric : suite.extraColumns().keySet()) {
                final Double v = r.extraMetrics().get(metric);
                md.append(' ').append(v == null ? "—" : Format.sig(v)).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
        pairedTable(md, suite, rows);
        for (final ChartSpec chart : suite.charts()) {
            final Path file = chartDir.resolve(suite.benchmarkClass() + "-" + chart.fileSuffix() + ".png");
            final String title = drawChart(file, suite, chart, rows);
            if (title != null) {
                charts.add(file);
                md.append("![").append(title).append("](").append(link(outDir, file)).append(")\n\n");
            }
        }
    }

    /** The A/B ratios of an alternating benchmark's adjacent iterations, one row per parameter combination. */
    private static void pairedTable(final StringBuilder md, final SuiteSpec suite, final List<JmhResult> rows) {
        final String method = suite.pairedMethod();
        if (method == null || rows.stream().noneMatch(r -> r.method().equals(method))) {
            return;
        }
        final String ab = suite.pairedA() + "/" + suite.pairedB();
        md.append("Paired: `").append(method).append("` runs ").append(suite.pairedB()).append(" and ")
            .append(suite.pairedA()).append(" in alternate iterations of each fork; each pair of adjacent measured"
                + " iterations gives one ").append(ab).append(" ratio, measured a second apart on the same CPU.\n\n");
        md.append("| params | pairs | forks | median ").append(ab).append(" | quartiles | range |\n")
            .append("| --- | --- | --- | --- | --- | --- |\n");
        for (final JmhResult r : rows) {
            if (!r.method().equals(method)) {
                continue;
            }
            final TargetSpec.PairedSummary p = TargetSpec.PairedSummary.of(r);
            md.append("| ").append(r.paramsText()).append(" | ");
            if (p == null) {
                md.append("0 | ").append(r.rawData().size()).append(" | — | — | — |\n");
            } else {
                md.append(p.pairs()).append(" | ").append(p.forks()).append(" | ").append(Format.ratio(p.median()))
                    .append(" | ").append(Format.ratio(p.lowerQuartile())).append("–")
                    .append(Format.ratio(p.upperQuartile())).append(" | ").append(Format.ratio(p.min())).append("–")
                    .append(Format.ratio(p.max())).append(" |\n");
            }
        }
        md.append('\n');
    }

    private static double recordsPerOp(final SuiteSpec suite, final JmhResult r) {
        if (suite.recordsPerOpParam() == null) {
            return 1;
        }
        try {
            return Double.parseDouble(r.params().get(suite.recordsPerOpParam()));
        } catch (final NullPointerException | NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** @return the chart's title, or null when it has nothing to draw. */
    private static String drawChart(final Path file, final SuiteSpec suite, final ChartSpec chart,
        final List<JmhResult> rows) throws IOException {
        final boolean records = suite.recordsPerOpParam() != null;
        final String valueLabel = records ? "million records/s (higher is better)"
            : rows.get(0).unit() + (rows.get(0).higherIsBetter() ? " (higher is better)" : " (lower is better)");
        // the alternating benchmark's score is the mean of two variants: its pairs are in a table, not a bar
        final List<JmhResult> charted = rows.stream().filter(r -> !r.method().equals(suite.pairedMethod()))
            .collect(Collectors.toList());
        final List<Charts.Bar> bars = new ArrayList<>();
        for (final JmhResult r : charted) {
            final double scale = records ? r.opsPerSecond() / r.score() * recordsPerOp(suite, r) / 1e6 : 1.0;
            final double value = r.score() * scale;
            final double error = r.scoreError() * scale;
            if (chart.kind() == ChartSpec.Kind.BY_PARAM) {
                final String v = r.params().get(chart.param());
                if (v == null) {
                    continue;
                }
                bars.add(new Charts.Bar(chart.param() + "=" + v, r.method(), value, error));
            } else {
                bars.add(new Charts.Bar(r.method(), r.params().isEmpty() ? suite.title() : r.paramsText(), value, error));
            }
        }
        if (bars.isEmpty()) {
            return null;
        }
        final String title = chart.kind() == ChartSpec.Kind.BY_PARAM
            ? suite.title() + ": throughput by " + chart.param()
            : suite.title() + ": " + (suite.reference() == null ? "side by side" : "vs " + suite.reference());
        final String subtitle = distinct(charted, JmhResult::settingsText).replace("<br>", "; ")
            + "; error bars: 99.9% CI; JDK " + rows.get(0).jdkVersion();
        Charts.barChart(file, title, subtitle, chart.kind() == ChartSpec.Kind.BY_PARAM ? "benchmark" : "parameters",
            valueLabel, bars);
        return title;
    }

    private static void others(final StringBuilder md, final List<JmhResult> results) {
        final List<JmhResult> unknown = results.stream()
            .filter(r -> ReportCatalog.suite(r.className()) == null).collect(Collectors.toList());
        if (unknown.isEmpty()) {
            return;
        }
        md.append("### Other benchmarks (not declared in `ReportCatalog`)\n\n");
        md.append("| benchmark | params | score | ± error | units | B/op |\n| --- | --- | --- | --- | --- | --- |\n");
        for (final JmhResult r : unknown) {
            md.append("| `").append(r.className()).append('.').append(r.method()).append("` | ").append(r.paramsText())
                .append(" | ").append(Format.sig(r.score())).append(" | ").append(Format.sig(r.scoreError()))
                .append(" | ").append(r.unit()).append(" | ").append(Format.bytes(r.allocNorm())).append(" |\n");
        }
        md.append('\n');
    }

    private static void history(final StringBuilder md, final Path json, final Path outDir) throws IOException {
        final List<String> runs;
        try (Stream<Path> files = Files.list(outDir)) {
            runs = files.filter(p -> p.getFileName().toString().endsWith(".json"))
                .map(p -> p.getFileName().toString()).sorted(Comparator.reverseOrder()).collect(Collectors.toList());
        }
        md.append("## Committed runs\n\n");
        for (final String name : runs) {
            md.append("- [`").append(name).append("`](").append(name).append(')')
                .append(name.equals(json.getFileName().toString()) ? " — this report" : "").append('\n');
        }
        md.append('\n');
    }

    private static String link(final Path from, final Path to) {
        return from.toAbsolutePath().normalize().relativize(to.toAbsolutePath().normalize()).toString()
            .replace('\\', '/');
    }
}
