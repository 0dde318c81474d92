package dev.pipescope.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A performance target (issues 6 and 13), evaluated against a run's results. Declared in
 * {@link ReportCatalog}; three kinds:
 * <ul>
 *   <li>{@link #zeroAllocation(String, String)}: every benchmark of ours in a suite allocates less than
 *       {@value #ZERO_ALLOCATION_LIMIT} B/op ({@code worker.alloc.norm} when every one has it, else
 *       {@code gc.alloc.rate.norm}), judged on the measured means;</li>
 *   <li>{@link #speedup(String, String, String, String, double, Map)}: one benchmark is at least N times as
 *       fast as another at the same parameters (throughput ratio, or time ratio inverted);</li>
 *   <li>{@link #pairedRatio(String, String, double, Map)}: the suite's benchmark that alternates two variants
 *       iteration by iteration within each fork, judged on the quartiles of the ratios of adjacent iterations.</li>
 * </ul>
 * A ratio target is judged on an interval, never on the point estimate alone: {@link Status#MET} only when
 * the whole interval lies on the acceptable side of the threshold, {@link Status#NOT_MET} only when the whole
 * interval lies on the other side, {@link Status#INCONCLUSIVE} when it straddles the threshold (or there is no
 * interval). The interval of a speedup is {@link #ratioInterval(JmhResult, JmhResult)}, the conservative
 * combination of both scores' 99.9% error bounds; the interval of a paired target is the quartile range of
 * its pair ratios. A target whose suite or benchmarks are absent from the run is "not measured in this run",
 * never met.
 */
public abstract class TargetSpec {
    /** Below this many bytes per operation counts as zero (JMH's own bookkeeping leaves crumbs). */
    public static final double ZERO_ALLOCATION_LIMIT = 0.01;

    /** A paired target needs at least this many pairs for its quartile range to be judged. */
    public static final int MIN_PAIRS = 4;

    /** Outcome of a target. */
    public enum Status {
        /** The whole interval (or, for 0 B/op, every measured figure) is on the acceptable side. */
        MET("MET"),
        /** The whole interval (or, for 0 B/op, some measured figure) is on the wrong side. */
        NOT_MET("NOT MET"),
        /** The interval straddles the threshold, or there is none: the run cannot tell. */
        INCONCLUSIVE("INCONCLUSIVE"),
        /** The run has no result to judge it by. */
        NOT_MEASURED("not measured in this run");

        private final String text;

        Status(final String text) {
            this.text = text;
        }

        /** @return how the report writes it. */
        public String text() {
            return text;
        }
    }

    /**
     * The evaluation of a target.
     *
     * @param title  the target.
     * @param status met, not met, not measured.
     * @param figure the measured figure(s) behind the status.
     */
    public record Outcome(String title, Status status, String figure) {
    }

    /**
     * An interval of a ratio, {@code low <= high}; {@code high} is infinite when the denominator's lower
     * bound reaches zero. {@link #UNKNOWN} (both NaN) when there is no interval to give.
     *
     * @param low  the lower bound.
     * @param high the upper bound.
     */
    public record Interval(double low, double high) {
        /** No interval: JMH gave no error, or the units cannot be compared. */
        public static final Interval UNKNOWN = new Interval(Double.NaN, Double.NaN);

        /** @return whether both bounds are known. */
        public boolean known() {
            return !Double.isNaN(low) && !Double.isNaN(high);
        }

        /** @return e.g. {@code 0.297×–11.8×}, {@code 1.20×–∞}. */
        public String text() {
            return Format.ratio(low) + "–" + (high == Double.POSITIVE_INFINITY ? "∞" : Format.ratio(high));
        }
    }

    /**
     * Judges an interval against a threshold.
     *
     * @param interval the ratio's interval.
     * @param atLeast  the smallest acceptable ratio; exactly 1 means "faster than", so it must be exceeded.
     * @return MET when the whole interval is acceptable, NOT_MET when none of it is, INCONCLUSIVE otherwise
     *         (and when the interval is unknown).
     */
    static Status judge(final Interval interval, final double atLeast) {
        if (!interval.known()) {
            return Status.INCONCLUSIVE;
        }
        final boolean strict = atLeast == 1.0;
        if (strict ? interval.low() > atLeast : interval.low() >= atLeast) {
            return Status.MET;
        }
        if (strict ? interval.high() <= atLeast : interval.high() < atLeast) {
            return Status.NOT_MET;
        }
        return Status.INCONCLUSIVE;
    }

    /** @return why {@link #judge(Interval, double)} said what it said, e.g. {@code interval straddles 3.00×}. */
    static String reason(final Interval interval, final double atLeast) {
        final String t = Format.ratio(atLeast);
        final boolean strict = atLeast == 1.0;
        return switch (judge(interval, atLeast)) {
            case MET -> "whole interval " + (strict ? "> " : "≥ ") + t;
            case NOT_MET -> "whole interval " + (strict ? "≤ " : "< ") + t;
            default -> interval.known() ? "interval straddles " + t : "no interval";
        };
    }

    /** Combines the statuses of a target's parameter combinations: one miss misses it, one doubt leaves it open. */
    static Status combine(final List<Status> statuses) {
        if (statuses.contains(Status.NOT_MET)) {
            return Status.NOT_MET;
        }
        if (statuses.contains(Status.INCONCLUSIVE)) {
            return Status.INCONCLUSIVE;
        }
        return Status.MET;
    }

    private final String title;
    private final String benchmarkClass;
    private String key;

    private TargetSpec(final String title, final String benchmarkClass) {
        this.title = title;
        this.benchmarkClass = benchmarkClass;
    }

    /** @return true for a target judged on a ratio of two scores (speedup or paired), false for allocation. */
    public boolean isRatio() {
        return false;
    }

    /**
     * Names the target for its hand-written analysis, {@code analysis/KEY.md} beside the README. The report
     * links it (never copies it) when the target is not met or inconclusive. Its first line names the result
     * file it was written against; write it from a profile actually run ({@code -prof stack}, {@code -prof gc}),
     * and leave the figures the generator computes to the table.
     *
     * @param analysisKey a file-name stem, e.g. {@code columnar-vs-map}.
     * @return this.
     */
    public TargetSpec key(final String analysisKey) {
        if (!analysisKey.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("analysis key must be lower-case letters, digits and '-': " + analysisKey);
        }
        key = analysisKey;
        return this;
    }

    /** @return the analysis key, or null when none is declared. */
    public String key() {
        return key;
    }

    /** @return the target as stated. */
    public String title() {
        return title;
    }

    /** @return the benchmark class it is judged on. */
    public String benchmarkClass() {
        return benchmarkClass;
    }

    /**
     * @param suite   the suite spec of {@link #benchmarkClass()}.
     * @param results the suite's results in this run (empty when the suite did not run).
     * @return the outcome.
     */
    public abstract Outcome evaluate(SuiteSpec suite, List<JmhResult> results);

    /**
     * @param title          the target as stated.
     * @param benchmarkClass the suite; its {@link SuiteSpec#isOurs(String)} methods are judged.
     * @return the target "every benchmark of ours allocates 0 B/op".
     */
    public static TargetSpec zeroAllocation(final String title, final String benchmarkClass) {
        return new TargetSpec(title, benchmarkClass) {
            @Override
            public Outcome evaluate(final SuiteSpec suite, final List<JmhResult> results) {
                final List<JmhResult> ours = new ArrayList<>();
                for (final JmhResult r : results) {
                    if (suite.isOurs(r.method())) {
                        ours.add(r);
                    }
                }
                if (ours.isEmpty()) {
                    return new Outcome(title(), Status.NOT_MEASURED, "no benchmark of ours from " + benchmarkClass
                        + " in this run");
                }
                for (final JmhResult r : ours) {
                    if (Double.isNaN(r.allocNorm()) && Double.isNaN(r.workerAllocNorm())) {
                        return new Outcome(title(), Status.NOT_MEASURED, r.method()
                            + " has no gc.alloc.rate.norm: run with -prof gc");
                    }
                }
                // Judged on the benchmark threads' own allocation when measured (worker.alloc.norm), since
                // gc.alloc.rate.norm also divides JMH's background allocation by the operations.
                final boolean byWorker = ours.stream().noneMatch(r -> Double.isNaN(r.workerAllocNorm()));
                for (final JmhResult r : ours) {
                    // without worker.alloc.norm for all, every one is judged on gc.alloc.rate.norm: one lacking
                    // it would otherwise compare NaN with the limit and pass unmeasured
                    if (!byWorker && Double.isNaN(r.allocNorm())) {
                        return new Outcome(title(), Status.NOT_MEASURED, label(r) + " has no gc.alloc.rate.norm and "
                            + "not every benchmark has worker.alloc.norm: run with -prof gc");
                    }
                }
                JmhResult worst = null;
                JmhResult worstGc = null;
                final List<String> over = new ArrayList<>();
                for (final JmhResult r : ours) {
                    final double judged = byWorker ? r.workerAllocNorm() : r.allocNorm();
                    if (worst == null || judged > (byWorker ? worst.workerAllocNorm() : worst.allocNorm())) {
                        worst = r;
                    }
                    if (!Double.isNaN(r.allocNorm()) && (worstGc == null || r.allocNorm() > worstGc.allocNorm())) {
                        worstGc = r;
                    }
                    if (judged >= ZERO_ALLOCATION_LIMIT) {
                        over.add(label(r) + " " + Format.bytes(judged) + " B/op");
                    }
                }
                final String metric = byWorker ? "worker.alloc.norm" : "gc.alloc.rate.norm";
                final String gcNote = byWorker && worstGc != null
                    ? "; gc.alloc.rate.norm (all threads, with JMH's own) max " + Format.bytes(worstGc.allocNorm())
                        + " B/op (" + label(worstGc) + ")"
                    : "";
                if (over.isEmpty()) {
                    return new Outcome(title(), Status.MET, metric + " max "
                        + Format.bytes(byWorker ? worst.workerAllocNorm() : worst.allocNorm()) + " B/op ("
                        + label(worst) + ") over " + ours.size() + (ours.size() == 1 ? " benchmark" : " benchmarks") + gcNote);
                }
                return new Outcome(title(), Status.NOT_MET, metric + ": " + over.size() + " of " + ours.size()
                    + " at or above " + ZERO_ALLOCATION_LIMIT + " B/op: " + String.join("; ", over) + gcNote);
            }
        };
    }

    /**
     * @param title          the target as stated.
     * @param benchmarkClass the suite.
     * @param method         ours.
     * @param peer           what it is compared with.
     * @param atLeast        the smallest acceptable speedup {@code method / peer}; a value of exactly 1 means
     *                       "faster than", so it must be exceeded, any other value must be reached. Judged on
     *                       {@link #ratioInterval(JmhResult, JmhResult)} at every parameter combination.
     * @param paramFilter    parameters the comparison is restricted to (empty: every combination present).
     * @return the target.
     */
    public static TargetSpec speedup(final String title, final String benchmarkClass, final String method,
        final String peer, final double atLeast, final Map<String, String> paramFilter) {
        return new TargetSpec(title, benchmarkClass) {
            @Override
            public boolean isRatio() {
                return true;
            }

            @Override
            public Outcome evaluate(final SuiteSpec suite, final List<JmhResult> results) {
                final List<String> figures = new ArrayList<>();
                final List<Status> statuses = new ArrayList<>();
                for (final JmhResult ours : results) {
                    if (!ours.method().equals(method) || !matchesFilter(ours, paramFilter)) {
                        continue;
                    }
                    final JmhResult other = find(results, peer, ours.params());
                    if (other == null) {
                        continue;
                    }
                    final Interval ci = ratioInterval(ours, other);
                    statuses.add(judge(ci, atLeast));
                    figures.add(method + " = " + Format.ratio(speedup(ours, other)) + " " + peer
                        + (ours.params().isEmpty() ? "" : " (" + ours.paramsText() + ")")
                        + (ci.known() ? ", CI " + ci.text() : ", no CI (JMH gave no error)")
                        + ": " + reason(ci, atLeast));
                }
                if (figures.isEmpty()) {
                    return new Outcome(title(), Status.NOT_MEASURED, "no " + benchmarkClass + "." + method + " / "
                        + peer + " pair" + (paramFilter.isEmpty() ? "" : " at " + paramFilter) + " in this run");
                }
                return new Outcome(title(), combine(statuses), String.join("; ", figures));
            }
        };
    }

    /**
     * A target judged on the suite's alternating benchmark ({@link SuiteSpec#paired(String, String, String)}),
     * which runs two variants in alternate iterations of each fork, "B" in the fork's iterations 0, 2, 4, ...
     * (warm-up included) and "A" in 1, 3, 5, .... Adjacent measured iterations form pairs, each measured a
     * second apart in one JVM on one CPU; the figure is the median over all pairs of all forks of {@code A / B}
     * in operations per second, with its quartiles. Pairing keeps a change of machine speed between forks or
     * over minutes out of the ratio. The verdict is judged on the quartile range (the middle half of the
     * pairs) like a speedup on its interval; with fewer than {@value #MIN_PAIRS} pairs it is inconclusive.
     *
     * @param title          the target as stated.
     * @param benchmarkClass the suite; it declares the alternating benchmark and the names of A and B.
     * @param atLeast        the threshold the quartile range of {@code A / B} is judged against.
     * @param paramFilter    parameters the evaluation is restricted to (empty: every combination present).
     * @return the target.
     */
    public static TargetSpec pairedRatio(final String title, final String benchmarkClass, final double atLeast,
        final Map<String, String> paramFilter) {
        return new TargetSpec(title, benchmarkClass) {
            @Override
            public boolean isRatio() {
                return true;
            }

            @Override
            public Outcome evaluate(final SuiteSpec suite, final List<JmhResult> results) {
                final String method = suite.pairedMethod();
                if (method == null) {
                    return new Outcome(title(), Status.NOT_MEASURED, benchmarkClass + " declares no alternating benchmark");
                }
                final List<String> figures = new ArrayList<>();
                final List<Status> statuses = new ArrayList<>();
                for (final JmhResult r : results) {
                    if (!r.method().equals(method) || !matchesFilter(r, paramFilter)) {
                        continue;
                    }
                    final String where = r.params().isEmpty() ? "" : " (" + r.paramsText() + ")";
                    final PairedSummary p = PairedSummary.of(r);
                    if (p == null) {
                        return new Outcome(title(), Status.NOT_MEASURED, method + where
                            + " has no pair of adjacent measured iterations: run it with at least 2 per fork");
                    }
                    final Interval q = p.judgedInterval();
                    statuses.add(judge(q, atLeast));
                    figures.add(String.format(Locale.ROOT,
                        "%s/%s median %s over %d adjacent-iteration pairs in %d %s%s, quartiles %s: %s [range %s–%s]",
                        suite.pairedA(), suite.pairedB(), Format.ratio(p.median()), p.pairs(), p.forks(),
                        p.forks() == 1 ? "fork" : "forks", where, Format.ratio(p.lowerQuartile()) + "–"
                            + Format.ratio(p.upperQuartile()),
                        q.known() ? reason(q, atLeast) : "fewer than " + MIN_PAIRS + " pairs, no interval judged",
                        Format.ratio(p.min()), Format.ratio(p.max())));
                }
                if (figures.isEmpty()) {
                    return new Outcome(title(), Status.NOT_MEASURED, "no " + benchmarkClass + "." + method
                        + (paramFilter.isEmpty() ? "" : " at " + paramFilter) + " in this run");
                }
                return new Outcome(title(), combine(statuses), String.join("; ", figures));
            }
        };
    }

    /**
     * The "A" / "B" ratios of adjacent measured iterations of an alternating benchmark, sorted ascending.
     * Measured iteration {@code j} of a fork is the fork's iteration {@code warmupIterations + j}, "A" when
     * that is odd; iterations {@code 2k} and {@code 2k + 1} form a pair, and a last unpaired one is left out.
     *
     * @param r an alternating benchmark's result.
     * @return the pairs' ratios in operations per second, ascending.
     */
    static double[] pairRatios(final JmhResult r) {
        final List<Double> ratios = new ArrayList<>();
        for (final List<Double> fork : r.rawData()) {
            for (int j = 0; j + 1 < fork.size(); j += 2) {
                final boolean firstIsA = ((r.warmupIterations() + j) & 1) == 1;
                final double a = r.toOpsPerSecond(firstIsA ? fork.get(j) : fork.get(j + 1));
                final double b = r.toOpsPerSecond(firstIsA ? fork.get(j + 1) : fork.get(j));
                if (a > 0 && b > 0 && Double.isFinite(a) && Double.isFinite(b)) {
                    ratios.add(a / b);
                }
            }
        }
        return ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    /**
     * The distribution of an alternating benchmark's pair ratios.
     *
     * @param pairs         number of pairs.
     * @param forks         forks they come from.
     * @param median        median A/B.
     * @param lowerQuartile first quartile.
     * @param upperQuartile third quartile.
     * @param min           smallest.
     * @param max           largest.
     */
    public record PairedSummary(int pairs, int forks, double median, double lowerQuartile, double upperQuartile,
        double min, double max) {
        /**
         * @param r an alternating benchmark's result.
         * @return the summary of its pairs, or null when it has none.
         */
        public static PairedSummary of(final JmhResult r) {
            final double[] ratios = pairRatios(r);
            if (ratios.length == 0) {
                return null;
            }
            return new PairedSummary(ratios.length, r.rawData().size(), quantile(ratios, 0.5), quantile(ratios, 0.25),
                quantile(ratios, 0.75), ratios[0], ratios[ratios.length - 1]);
        }

        /**
         * @return the interval a paired target is judged on: the quartile range, or {@link Interval#UNKNOWN}
         *         with fewer than {@value TargetSpec#MIN_PAIRS} pairs.
         */
        public Interval judgedInterval() {
            return pairs < MIN_PAIRS ? Interval.UNKNOWN : new Interval(lowerQuartile, upperQuartile);
        }
    }

    /** Linear-interpolated quantile of sorted values (the "type 7" definition of R and NumPy). */
    static double quantile(final double[] sorted, final double q) {
        final double pos = q * (sorted.length - 1);
        final int lo = (int) Math.floor(pos);
        final int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    static boolean matchesFilter(final JmhResult r, final Map<String, String> filter) {
        for (final Map.Entry<String, String> f : filter.entrySet()) {
            if (!f.getValue().equals(r.params().get(f.getKey()))) {
                return false;
            }
        }
        return true;
    }

    static JmhResult find(final List<JmhResult> results, final String method, final Map<String, String> params) {
        for (final JmhResult r : results) {
            if (r.method().equals(method) && r.params().equals(params)) {
                return r;
            }
        }
        return null;
    }

    /**
     * How many times faster {@code a} is than {@code b}: the ratio of operations per second.
     *
     * @param a a result.
     * @param b another, same suite and parameters.
     * @return the speedup, NaN when the units cannot be compared.
     */
    public static double speedup(final JmhResult a, final JmhResult b) {
        return a.opsPerSecond() / b.opsPerSecond();
    }

    /**
     * The conservative interval of {@code speedup(a, b)} from both scores' 99.9% error bounds: each score's
     * {@code score ± error} is turned into a slowest and a fastest rate in operations per second, and
     * {@code low = slowest(a) / fastest(b)}, {@code high = fastest(a) / slowest(b)}. A bound that reaches zero
     * (error at least as large as the score) makes the rate 0 or unbounded, so the interval opens towards 0
     * or infinity instead of being cut off.
     *
     * @param a a result.
     * @param b another, same suite and parameters.
     * @return the interval, or {@link Interval#UNKNOWN} when either has no error or the units are unknown.
     */
    public static Interval ratioInterval(final JmhResult a, final JmhResult b) {
        final double[] ra = rateBounds(a);
        final double[] rb = rateBounds(b);
        if (ra == null || rb == null) {
            return Interval.UNKNOWN;
        }
        final double low = ra[0] / rb[1];
        final double high = ra[1] / rb[0];
        if (Double.isNaN(low) || Double.isNaN(high)) {
            return Interval.UNKNOWN;
        }
        return new Interval(low, high);
    }

    /** @return {slowest, fastest} operations per second within {@code score ± error}, or null. */
    static double[] rateBounds(final JmhResult r) {
        final double error = Math.abs(r.scoreError());
        if (Double.isNaN(error) || !(r.score() > 0)) {
            return null;
        }
        // score - error may reach 0: a throughput of 0 ops/s, or a time of 0 per op (an unbounded rate)
        final double e1 = r.toOpsPerSecond(Math.max(r.score() - error, 0));
        final double e2 = r.toOpsPerSecond(r.score() + error);
        if (Double.isNaN(e1) || Double.isNaN(e2)) {
            return null;
        }
        return new double[] {Math.max(0, Math.min(e1, e2)), Math.max(e1, e2)};
    }

    static String label(final JmhResult r) {
        return r.method() + (r.params().isEmpty() ? "" : " " + r.paramsText());
    }
}
