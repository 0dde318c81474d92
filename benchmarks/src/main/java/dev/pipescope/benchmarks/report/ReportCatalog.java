package dev.pipescope.benchmarks.report;

import java.util.List;
import java.util.Map;

/**
 * The declarative map from JMH benchmarks to the report: which class is which suite, its baseline or peer,
 * which methods are ours, its charts, and issue 6's targets. The report generator and the CI smoke test
 * ({@code SuiteSmokeTest}) both read it.
 *
 * <h2>Adding a suite</h2>
 * <ol>
 *   <li>Write the JMH class in {@code dev.pipescope.benchmarks} with the shared settings (see
 *       {@code BenchmarkSettings}).</li>
 *   <li>Add a {@link SuiteSpec} to {@link #SUITES}: title, simple class name, reference method, the regex of
 *       our methods, the charts, and {@code recordsPerOp} when a score should also read as records/s.</li>
 *   <li>Add or adjust its {@link TargetSpec}s in {@link #TARGETS}. The targets of the suites not yet written
 *       are declared below with the method names they are expected to have; rename them there if the class
 *       uses other names (a target whose methods are missing reports "not measured", never "met").</li>
 * </ol>
 */
public final class ReportCatalog {
    private ReportCatalog() {
    }

    /** Every suite, in report order. */
    public static final List<SuiteSpec> SUITES = List.of(
        SuiteSpec.suite("Stages", "StageBenchmark")
            .about("Each built-in stage alone, and the default pipeline (threshold, calibrate, normalize, feature,"
                + " anomaly) through `Pipeline` with its per-stage timing. One operation is one batch; every"
                + " benchmark refills its batch from a pre-generated copy first, and `copy` measures that refill"
                + " alone. The ratio column is each row's speed relative to `copy` (it can only be below 1); the"
                + " last column estimates the stage without the copy, `1 / (1/row − 1/copy)` — an estimate"
                + " from two noisy figures, shown as n/a when the difference is within noise.")
            .recordsPerOp("batchSize")
            .reference("copy")
            .referenceIncludedInOthers()
            .ours(".*")
            .order("copy", "threshold", "calibrate", "normalize", "feature", "anomaly", "pipeline")
            .chart(ChartSpec.byParam("batchSize")),
        SuiteSpec.suite("Observability overhead", "ObservabilityOverheadBenchmark")
            .about("The default pipeline with metrics and logging on vs off, in the same run.")
            .recordsPerOp("batchSize")
            .reference("observabilityOff")
            .ours(".*")
            .order("observabilityOff", "observabilityOn")
            .chart(ChartSpec.versus()),
        SuiteSpec.suite("JSON encoding", "JsonEncodingBenchmark")
            .about("One `stage_completed` and one `pipeline_health` event: our encoder vs Jackson's streaming"
                + " `JsonGenerator` (reused), Log4j2's `JsonTemplateLayout` (garbage-free) and plain"
                + " `StringBuilder`. The ratio column is each row's speed relative to ours.")
            .reference("ours")
            .ours("ours")
            .order("ours", "jackson", "log4j2", "stringBuilder")
            .chart(ChartSpec.versus()),
        SuiteSpec.suite("Metrics recording", "MetricsRecordingBenchmark")
            .about("Our per-batch instrumentation vs a Micrometer `Timer` and a Dropwizard `Timer` recording the"
                + " same values. The ratio column is each row's speed relative to ours.")
            .reference("ours")
            .ours("ours")
            .order("ours", "micrometer", "dropwizard")
            .chart(ChartSpec.versus()),
        SuiteSpec.suite("Data model", "DataModelBenchmark")
            .about("The original design's record-as-map model (`List<Map<String,Object>>`, a new list per stage,"
                + " `new HashMap<>(r)` per record per stage, boxed numbers) vs our columnar `RecordBatch` pipeline,"
                + " through the same three stages (threshold, normalize, anomaly with defaults), same readings,"
                + " 1024 records per batch. The columnar side includes its batch refill copy and the pipeline's"
                + " per-stage timing; the map side reads its input list as is. The ratio column is each row's"
                + " speed relative to `recordAsMap`.")
            .recordsPerOp("batchSize")
            .reference("recordAsMap")
            .ours("columnar")
            .order("recordAsMap", "columnar")
            .chart(ChartSpec.versus()),
        SuiteSpec.suite("Async log sink", "AsyncLogSinkBenchmark")
            .about("Events per second from one and from two producer threads to a file, and the producer-side"
                + " cost per event.")
            .ours("producer.*")
            .chart(ChartSpec.versus()));

    /** Issue 6's targets, in report order. */
    public static final List<TargetSpec> TARGETS = List.of(
        TargetSpec.zeroAllocation("0 B/op (< 0.01) for every stage and the default pipeline", "StageBenchmark"),
        TargetSpec.zeroAllocation("0 B/op (< 0.01) for the columnar pipeline", "DataModelBenchmark"),
        TargetSpec.zeroAllocation("0 B/op (< 0.01) for the pipeline with observability on",
            "ObservabilityOverheadBenchmark"),
        TargetSpec.zeroAllocation("0 B/op (< 0.01) for our encoder", "JsonEncodingBenchmark"),
        TargetSpec.zeroAllocation("0 B/op (< 0.01) for our metrics recording", "MetricsRecordingBenchmark"),
        TargetSpec.zeroAllocation("0 B/op (< 0.01) on the async sink's producer path", "AsyncLogSinkBenchmark"),
        TargetSpec.speedup("Observability on ≥ 97% of off, batch 1024", "ObservabilityOverheadBenchmark",
            "observabilityOn", "observabilityOff", 0.97, Map.of("batchSize", "1024")),
        TargetSpec.speedup("Our encoder ≥ 3× the Log4j2 JsonTemplateLayout", "JsonEncodingBenchmark",
            "ours", "log4j2", 3.0, Map.of()),
        TargetSpec.speedup("Our encoder ≥ 3× Jackson's JsonGenerator", "JsonEncodingBenchmark",
            "ours", "jackson", 3.0, Map.of()),
        TargetSpec.speedup("Columnar pipeline ≥ 20× the record-as-map model", "DataModelBenchmark",
            "columnar", "recordAsMap", 20.0, Map.of()),
        TargetSpec.speedup("Our metrics recording faster than Micrometer's Timer", "MetricsRecordingBenchmark",
            "ours", "micrometer", 1.0, Map.of()),
        TargetSpec.speedup("Our metrics recording faster than Dropwizard's Timer", "MetricsRecordingBenchmark",
            "ours", "dropwizard", 1.0, Map.of()));

    /**
     * @param benchmarkClass a simple class name.
     * @return its suite spec, or null.
     */
    public static SuiteSpec suite(final String benchmarkClass) {
        for (final SuiteSpec s : SUITES) {
            if (s.benchmarkClass().equals(benchmarkClass)) {
                return s;
            }
        }
        return null;
    }
}
