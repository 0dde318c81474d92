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
 * the targets of issues 6 and 13 (MET / NOT MET / INCONCLUSIVE / not measured, judged on the figure's interval, with a link
 * to the hand-written analysis of those not met or inconclusive), and per suite a table of score, error,
 * {@code gc.alloc.rate.norm} and the ratio to the suite's baseline or peer, with PNG charts drawn by
 * JFreeChart. Every figure comes from the JSON; what is a suite, its reference and its targets is declared
 * in {@link ReportCatalog}. No hand-written text is copied in: analyses are linked, so they cannot contradict
 * the tables of a later run from inside the README.
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

    /** How an analysis file names the result it was written against: the first {@code *.json} on its first line. */
    private static final java.util.regex.Pattern RUN_STAMP =
        java.util.regex.Pattern.compile("([0-9]{4}-[0-9]{2}-[0-9]{2}-[A-Za-z0-9._-]+?\\.json)");

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
        targets(md, outcomes, json, outDir);
        remeasurements(md, json, outDir);

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
            .append(json.getFileName()).append("`](").append(jsonLink).append("), the raw JMH result, and the"
                + " `.env.properties` beside it. Do not edit by hand: every figure, verdict, table and chart here is"
                + " computed from that file (suites and targets are declared in `ReportCatalog.java`). Hand-written"
                + " analyses live in [`analysis/`](analysis/); the report links them, never copies them.\n\n");
        md.append("## Regenerate\n\n");
        md.append("    perf-reports/run.sh LABEL [SUITE_REGEX]   # run the suites with -prof gc, then this report\n"
            + "    perf-reports/run.sh --report FILE.json    # this report from a committed result only\n\n");
        md.append("`run.sh` writes `perf-reports/DATE-LABEL.json` (LABEL names what changed; SUITE_REGEX is a JMH"
            + " include pattern, all suites when omitted). `JMH_OPTS` passes extra JMH options, `PIN_CPU=N` pins JMH"
            + " and its forks to logical CPU N (`perf-reports/cpu-probe.sh` tells whether the CPUs differ). Commit"
            + " the JSON, its `.env.properties`, this README and `charts/`.\n\n");
        md.append("## How to read it\n\n");
        md.append("A score is JMH's mean over the measured iterations, `±` its 99.9% confidence half-width."
            + " `B/op (gc)` is `gc.alloc.rate.norm` (all threads, JMH's own background allocation included);"
            + " `B/op (worker)` is `worker.alloc.norm`, what the benchmark threads allocated per operation."
            + " `B/record` divides by the records per operation. \"×\" columns are speed ratios, operations per"
            + " second of the row ÷ the reference's at the same parameters: above 1 is faster.\n\n");
        md.append("Verdicts: a ratio target is **MET** only when its whole interval lies on the acceptable side of"
            + " the threshold, **NOT MET** when the whole interval lies on the other side, and **INCONCLUSIVE**"
            + " when the interval straddles the threshold (or there is none). " + INTERVAL_METHOD + " A paired"
            + " target is judged on the quartile range of its pair ratios (the middle half of the pairs; fewer than "
            + TargetSpec.MIN_PAIRS + " pairs: inconclusive). A 0 B/op target is met when every benchmark of ours"
            + " measures below " + TargetSpec.ZERO_ALLOCATION_LIMIT + " B/op, on `worker.alloc.norm` when all have"
            + " it, otherwise on `gc.alloc.rate.norm`.\n\n");
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

    private static void targets(final StringBuilder md, final List<TargetSpec.Outcome> outcomes, final Path json,
        final Path outDir) throws IOException {
        md.append("## Targets\n\n");
        md.append("From issues 6 and 13, judged as described above; a target not met is reported as such, never tuned away"
            + " by changing the benchmark. Not met and inconclusive targets link their analysis.\n\n");
        md.append("| target | verdict | measured |\n| --- | --- | --- |\n");
        for (int i = 0; i < outcomes.size(); i++) {
            final TargetSpec.Outcome o = outcomes.get(i);
            final TargetSpec t = i < ReportCatalog.TARGETS.size() ? ReportCatalog.TARGETS.get(i) : null;
            final String verdict = switch (o.status()) {
                case MET -> "MET";
                case NOT_MET -> "**NOT MET**";
                case INCONCLUSIVE -> "**INCONCLUSIVE**";
                case NOT_MEASURED -> "not measured in this run";
            };
            md.append("| ").append(o.title()).append(" | ").append(verdict)
                .append(t == null ? "" : analysisLink(t, o, json, outDir)).append(" | ")
                .append(o.figure().replace("|", "\\|")).append(" |\n");
        }
        md.append('\n');
    }

    /**
     * The targets judged again on the re-measurements of the run's day: every JMH result in {@code analysis/}
     * whose name starts with the run's date ({@code YYYY-MM-DD-}), typically one suite with more forks after a
     * target read inconclusive. Each ratio target whose suite is in such a file is evaluated on it exactly as on
     * the run; the targets table above stays the run's.
     */
    private static void remeasurements(final StringBuilder md, final Path json, final Path outDir) throws IOException {
        final java.util.regex.Matcher date = java.util.regex.Pattern.compile("^(\\d{4}-\\d{2}-\\d{2}-)")
            .matcher(json.getFileName().toString());
        final Path dir = outDir.resolve("analysis");
        if (!date.find() || !Files.isDirectory(dir)) {
            return;
        }
        final List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(f -> f.getFileName().toString().startsWith(date.group(1))
                && f.getFileName().toString().endsWith(".json")).sorted().collect(Collectors.toList());
        }
        final StringBuilder rows = new StringBuilder();
        for (final Path f : files) {
            final List<JmhResult> results = JmhResult.read(f);
            for (final TargetSpec t : ReportCatalog.TARGETS) {
                final SuiteSpec suite = ReportCatalog.suite(t.benchmarkClass());
                final List<JmhResult> suiteResults = suite == null ? List.of() : of(suite, results);
                // ratios only: a re-measurement is for a ratio that read inconclusive, and without the worker
                // allocation profiler an allocation target would be judged on JMH's own allocation too
                if (suiteResults.isEmpty() || !t.isRatio()) {
                    continue;
                }
                final TargetSpec.Outcome o = t.evaluate(suite, suiteResults);
                if (o.status() == TargetSpec.Status.NOT_MEASURED) {
                    continue;
                }
                rows.append("| ").append(o.title()).append(" | [`").append(f.getFileName()).append("`](")
                    .append(link(outDir, f)).append(") | ").append(distinct(suiteResults, JmhResult::settingsText))
                    .append(" | ").append(o.status().text()).append(" | ").append(o.figure().replace("|", "\\|"))
                    .append(" |\n");
            }
        }
        if (rows.length() == 0) {
            return;
        }
        md.append("### Re-measured\n\n");
        md.append("Ratio targets judged again, the same way, on results of the same day kept in `analysis/` (the same"
            + " code, one suite with more forks).\n\n| target | result | settings | verdict | measured |\n| --- | --- | --- | --- | --- |\n");
        md.append(rows).append('\n');
    }

    /**
     * A link to {@code analysis/KEY.md} for a target not met or inconclusive (nothing for the others); it says
     * when the file was written against another result than this report's, and flags a missing one.
     */
    static String analysisLink(final TargetSpec t, final TargetSpec.Outcome o, final Path json, final Path outDir)
        throws IOException {
        if (o.status() != TargetSpec.Status.NOT_MET && o.status() != TargetSpec.Status.INCONCLUSIVE) {
            return "";
        }
        final Path file = t.key() == null ? null : outDir.resolve("analysis").resolve(t.key() + ".md");
        if (file == null || !Files.isRegularFile(file)) {
            return "<br>no analysis yet" + (t.key() == null ? "" : " (`analysis/" + t.key() + ".md`)");
        }
        final String run = analysedRun(file);
        final String target = link(outDir, file);
        return "<br>[analysis](" + target + ")" + (run == null ? " (names no run)"
            : run.equals(json.getFileName().toString()) ? "" : " (written for `" + run + "`, not this run)");
    }

    /**
     * @param analysis an analysis file.
     * @return the result file its first line names, or null.
     * @throws IOException when unreadable.
     */
    static String analysedRun(final Path analysis) throws IOException {
        try (Stream<String> lines = Files.lines(analysis, StandardCharsets.UTF_8)) {
            final String first = lines.findFirst().orElse("");
            final java.util.regex.Matcher m = RUN_STAMP.matcher(first);
            return m.find() ? m.group(1) : null;
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
            head.append(" est. records/s without `").append(ref).append("` | est. µs/op above `").append(ref)
                .append("` |");
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
                String micros = "—";
                if (reference != null && !r.method().equals(ref) && !paired) {
                    final double seconds = secondsAbove(r, reference);
                    net = seconds > 0 ? Format.human(records / seconds) : "n/a (within noise)";
                    micros = seconds > 0 ? Format.sig(seconds * 1e6) : "n/a (within noise)";
                }
                md.append(' ').append(net).append(" | ").append(micros).append(" |");
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
        breakdownTable(md, suite, rows);
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
    /** @return seconds per operation of {@code r} beyond those of a reference it includes (the refill copy). */
    private static double secondsAbove(final JmhResult r, final JmhResult reference) {
        return 1.0 / r.opsPerSecond() - 1.0 / reference.opsPerSecond();
    }

    private static void breakdownTable(final StringBuilder md, final SuiteSpec suite, final List<JmhResult> rows) {
        final SuiteSpec.Breakdown b = suite.breakdown();
        if (b == null || suite.reference() == null) {
            return;
        }
        final java.util.Map<String, String> at = java.util.Map.of(b.param(), b.value());
        final JmhResult ref = TargetSpec.find(rows, suite.reference(), at);
        final JmhResult whole = TargetSpec.find(rows, b.whole(), at);
        if (ref == null || whole == null) {
            return;
        }
        final double refMicros = 1e6 / ref.opsPerSecond();
        final double wholeMicros = 1e6 * secondsAbove(whole, ref);
        md.append("Where the time goes at ").append(b.param()).append('=').append(b.value()).append(": µs per operation")
            .append(" above `").append(suite.reference()).append("` (").append(Format.sig(refMicros))
            .append(" µs), from the means of this run (each row is its own fork, so the parts need not add up"
                + " exactly).\n\n| part | µs per op | share of `").append(b.whole()).append("` |\n| --- | --- | --- |\n");
        double sum = 0;
        for (final String part : b.parts()) {
            final JmhResult r = TargetSpec.find(rows, part, at);
            if (r == null) {
                continue;
            }
            final double micros = 1e6 * secondsAbove(r, ref);
            sum += micros;
            md.append("| `").append(part).append("` alone | ").append(Format.sig(micros)).append(" | ")
                .append(Format.percent(micros / wholeMicros)).append(" |\n");
        }
        md.append("| sum of the parts alone | ").append(Format.sig(sum)).append(" | ")
            .append(Format.percent(sum / wholeMicros)).append(" |\n");
        md.append("| `").append(b.whole()).append("` − sum (its own per-operation work, and interactions) | ")
            .append(Format.sig(wholeMicros - sum)).append(" | ").append(Format.percent((wholeMicros - sum) / wholeMicros))
            .append(" |\n");
        md.append("| `").append(b.whole()).append("` | ").append(Format.sig(wholeMicros)).append(" | 100% |\n");
        final JmhResult limit = b.limit() == null ? null : TargetSpec.find(rows, b.limit(), at);
        if (limit != null) {
            final double limitMicros = 1e6 * secondsAbove(limit, ref);
            md.append("| `").append(b.limit()).append("` (the same work in one loop) | ").append(Format.sig(limitMicros))
                .append(" | ").append(Format.percent(limitMicros / wholeMicros)).append(" |\n");
        }
        md.append('\n');
    }

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

    /** Lists the result files beside the report, newest first by the machine capture time of their sidecars. */
    private static void history(final StringBuilder md, final Path json, final Path outDir) throws IOException {
        final List<Path> runs;
        try (Stream<Path> files = Files.list(outDir)) {
            runs = files.filter(p -> p.getFileName().toString().endsWith(".json")).collect(Collectors.toList());
        }
        final Map<Path, String> captured = new LinkedHashMap<>();
        final Map<Path, java.time.Instant> when = new LinkedHashMap<>();
        for (final Path run : runs) {
            final String c = Environment.capturedOf(run);
            captured.put(run, c);
            try {
                when.put(run, c == null ? java.time.Instant.MIN : java.time.Instant.parse(c));
            } catch (final java.time.format.DateTimeParseException e) {
                when.put(run, java.time.Instant.MIN);
            }
        }
        runs.sort(Comparator.comparing((Path p) -> when.get(p)).reversed()
            .thenComparing(p -> p.getFileName().toString()));
        md.append("## Committed runs\n\n");
        md.append("Newest first (by the capture time in each `.env.properties`).\n\n");
        for (final Path run : runs) {
            final String name = run.getFileName().toString();
            md.append("- [`").append(name).append("`](").append(name).append(')')
                .append(captured.get(run) == null ? "" : " — " + captured.get(run))
                .append(name.equals(json.getFileName().toString()) ? " — **this report**" : "").append('\n');
        }
        md.append('\n');
    }

    private static String link(final Path from, final Path to) {
        return from.toAbsolutePath().normalize().relativize(to.toAbsolutePath().normalize()).toString()
            .replace('\\', '/');
    }
}
