package dev.pipescope.benchmarks.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How the report presents one JMH suite (one benchmark class): its title, how to turn a score into records
 * per second, the row every other row is compared with, which benchmarks are ours (and so must not
 * allocate), and the charts. Declared in {@link ReportCatalog}; built fluently:
 *
 * <pre>{@code
 * SuiteSpec.suite("Data model", "DataModelBenchmark")
 *     .about("...")
 *     .recordsPerOp("batchSize")
 *     .reference("recordAsMap")
 *     .ours("columnar")
 *     .order("recordAsMap", "columnar")
 *     .chart(ChartSpec.versus())
 * }</pre>
 */
public final class SuiteSpec {
    private final String title;
    private final String benchmarkClass;
    private String about = "";
    private String recordsPerOpParam;
    private String reference;
    private boolean referenceIsOverhead;
    private Pattern ours = Pattern.compile("(?!)");
    private final List<String> order = new ArrayList<>();
    private final List<ChartSpec> charts = new ArrayList<>();
    private final java.util.Map<String, String> extraColumns = new java.util.LinkedHashMap<>();
    private String costPerThreadHeading;
    private String pairedMethod;
    private String pairedA;
    private String pairedB;
    private Breakdown breakdown;

    /**
     * Where one operation's time goes, at one parameter value: each stage alone above the reference (the
     * refill), their sum, the whole and its limit.
     *
     * @param param      the parameter, e.g. {@code batchSize}.
     * @param value      its value, e.g. {@code 1024}.
     * @param parts      the methods that measure one part each, in order.
     * @param whole      the method that runs all parts.
     * @param limit      the method that does the same work fused, or null.
     */
    public record Breakdown(String param, String value, List<String> parts, String whole, String limit) {
    }

    private SuiteSpec(final String title, final String benchmarkClass) {
        this.title = title;
        this.benchmarkClass = benchmarkClass;
    }

    /**
     * @param title          the heading in the report, e.g. {@code Stages}.
     * @param benchmarkClass the simple name of the JMH class, e.g. {@code StageBenchmark}.
     * @return a spec to complete.
     */
    public static SuiteSpec suite(final String title, final String benchmarkClass) {
        return new SuiteSpec(title, benchmarkClass);
    }

    /**
     * Adds a "where the time goes" table at one parameter value (needs {@link #referenceIncludedInOthers()}).
     *
     * @param param the parameter, e.g. {@code batchSize}.
     * @param value its value.
     * @param whole the method that runs every part.
     * @param limit the method doing the same work fused, or null.
     * @param parts the methods measuring one part each.
     * @return this.
     */
    public SuiteSpec breakdown(final String param, final String value, final String whole, final String limit,
        final String... parts) {
        breakdown = new Breakdown(param, value, List.of(parts), whole, limit);
        return this;
    }

    /** @return the breakdown table's spec, or null. */
    public Breakdown breakdown() {
        return breakdown;
    }

    /**
     * @param text what the suite measures and how to read it (Markdown).
     * @return this.
     */
    public SuiteSpec about(final String text) {
        about = text;
        return this;
    }

    /**
     * Declares that one operation processes as many records as the value of a {@code @Param}; the report
     * then shows records per second and bytes per record.
     *
     * @param param the parameter, e.g. {@code batchSize}.
     * @return this.
     */
    public SuiteSpec recordsPerOp(final String param) {
        recordsPerOpParam = param;
        return this;
    }

    /**
     * Names the benchmark (method) every other row is compared with, at the same parameters: a baseline or
     * the peer. The ratio column shows how many times faster each row is than it.
     *
     * @param method the reference method.
     * @return this.
     */
    public SuiteSpec reference(final String method) {
        reference = method;
        return this;
    }

    /**
     * Declares the reference to be a cost included in every other benchmark (such as the refill copy); the
     * report then also estimates each row without it: {@code 1 / (1/row - 1/reference)}.
     *
     * @return this.
     */
    public SuiteSpec referenceIncludedInOthers() {
        referenceIsOverhead = true;
        return this;
    }

    /**
     * @param methodRegex the methods that are pipescope's own hot paths (target: 0 B/op).
     * @return this.
     */
    public SuiteSpec ours(final String methodRegex) {
        ours = Pattern.compile(methodRegex);
        return this;
    }

    /**
     * @param methods the order of rows and bars; methods not listed follow, alphabetically.
     * @return this.
     */
    public SuiteSpec order(final String... methods) {
        Collections.addAll(order, methods);
        return this;
    }

    /**
     * @param chart a chart to draw for this suite.
     * @return this.
     */
    public SuiteSpec chart(final ChartSpec chart) {
        charts.add(chart);
        return this;
    }

    /**
     * Adds a column showing a secondary metric of the JSON (e.g. an {@code @AuxCounters} counter).
     *
     * @param metric  the secondary metric's name.
     * @param heading the column heading.
     * @return this.
     */
    public SuiteSpec column(final String metric, final String heading) {
        extraColumns.put(metric, heading);
        return this;
    }

    /**
     * Adds a column with the time per operation on each benchmark thread, {@code threads / (ops/s)}, for
     * throughput benchmarks run by several threads (e.g. the producer-side cost per event).
     *
     * @param heading the column heading.
     * @return this.
     */
    public SuiteSpec costPerThread(final String heading) {
        costPerThreadHeading = heading;
        return this;
    }

    /**
     * Declares a benchmark that alternates two variants iteration by iteration within each fork ("B" in a
     * fork's iterations 0, 2, 4, ..., "A" in 1, 3, 5, ...). Its score, the mean of both, is not shown as a
     * ratio or a bar; the suite section gets a table of the A/B ratios of adjacent iterations instead.
     *
     * @param method the alternating benchmark.
     * @param aName  what "A" is called (e.g. {@code on}).
     * @param bName  what "B" is called (e.g. {@code off}).
     * @return this.
     */
    public SuiteSpec paired(final String method, final String aName, final String bName) {
        pairedMethod = method;
        pairedA = aName;
        pairedB = bName;
        return this;
    }

    /** @return the alternating benchmark, or null for none. */
    public String pairedMethod() {
        return pairedMethod;
    }

    /** @return the name of its "A" variant. */
    public String pairedA() {
        return pairedA;
    }

    /** @return the name of its "B" variant. */
    public String pairedB() {
        return pairedB;
    }

    /** @return secondary metric name to column heading. */
    public java.util.Map<String, String> extraColumns() {
        return java.util.Collections.unmodifiableMap(extraColumns);
    }

    /** @return the heading of the per-thread cost column, or null for none. */
    public String costPerThreadHeading() {
        return costPerThreadHeading;
    }

    /** @return the heading. */
    public String title() {
        return title;
    }

    /** @return the simple name of the benchmark class. */
    public String benchmarkClass() {
        return benchmarkClass;
    }

    /** @return the description. */
    public String about() {
        return about;
    }

    /** @return the parameter giving records per operation, or null. */
    public String recordsPerOpParam() {
        return recordsPerOpParam;
    }

    /** @return the reference method, or null. */
    public String reference() {
        return reference;
    }

    /** @return whether the reference is an overhead included in the other rows. */
    public boolean referenceIsOverhead() {
        return referenceIsOverhead;
    }

    /**
     * @param method a method of this suite.
     * @return whether it is one of our hot paths.
     */
    public boolean isOurs(final String method) {
        return ours.matcher(method).matches();
    }

    /**
     * @param method a method.
     * @return its position in the declared order (undeclared ones after all declared).
     */
    public int rank(final String method) {
        final int i = order.indexOf(method);
        return i < 0 ? order.size() : i;
    }

    /** @return the charts. */
    public List<ChartSpec> charts() {
        return Collections.unmodifiableList(charts);
    }

    /**
     * @param result a JMH result.
     * @return whether it belongs to this suite.
     */
    public boolean matches(final JmhResult result) {
        return benchmarkClass.equals(result.className());
    }

    /** @return a JMH include regex selecting exactly this suite, e.g. {@code \.StageBenchmark\.}. */
    public String includeRegex() {
        return "\\." + benchmarkClass + "\\.";
    }
}
