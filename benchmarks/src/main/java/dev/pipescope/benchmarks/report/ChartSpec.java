package dev.pipescope.benchmarks.report;

/**
 * A chart the report draws for a suite.
 *
 * @param kind  what to draw.
 * @param param for {@link Kind#BY_PARAM}, the parameter whose values make the bars of each group.
 */
public record ChartSpec(Kind kind, String param) {
    /** The kinds of chart. */
    public enum Kind {
        /** One group of bars per benchmark, one bar per value of a parameter (e.g. throughput by batch size). */
        BY_PARAM,
        /** One group of bars per parameter combination, one bar per benchmark: ours next to the peers. */
        VERSUS
    }

    /**
     * @param param the parameter, e.g. {@code batchSize}.
     * @return a chart of each benchmark's score by that parameter's values.
     */
    public static ChartSpec byParam(final String param) {
        return new ChartSpec(Kind.BY_PARAM, param);
    }

    /** @return a chart of each benchmark next to the others (ours vs peers or baseline). */
    public static ChartSpec versus() {
        return new ChartSpec(Kind.VERSUS, null);
    }

    /** @return a file-name suffix. */
    public String fileSuffix() {
        return kind == Kind.BY_PARAM ? "by-" + param : "versus";
    }
}
