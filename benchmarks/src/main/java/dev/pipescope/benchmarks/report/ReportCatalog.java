package dev.pipescope.benchmarks.report;

import java.util.List;
import java.util.Map;

/**
 * The declarative map from JMH benchmarks to the report: which class is which suite, its baseline or peer,
 * which methods are ours, its charts, and the targets (issues 6 and 13). The report generator and the CI smoke test
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
            .about("Each built-in stage alone, the default pipeline (threshold, calibrate, normalize, feature,"
                + " adaptive) through `Pipeline` with its per-stage timing, and `fused`, the same arithmetic in one"
                + " hand-written loop with bit-identical output (`FusedDefaultPipeline`; `FusedLoopEquivalenceTest`"
                + " compares them over 20 M records). `anomaly` is the lecture's z-score detector, no longer in the"
                + " default pipeline. One operation is one batch; every benchmark refills its batch from a"
                + " pre-generated copy first, and `copy` measures that refill alone. The ratio column is each row's"
                + " speed relative to `copy` (it can only be below 1); the last two columns estimate the stage"
                + " without the copy, `1 / (1/row − 1/copy)` and `1/row − 1/copy` — estimates from two noisy"
                + " figures, shown as n/a when the difference is within noise. The pipeline ÷ fused target is judged"
                + " in its own suite (pipeline against its limit), with more forks.")
            .recordsPerOp("batchSize")
            .reference("copy")
            .referenceIncludedInOthers()
            .ours(".*")
            .order("copy", "threshold", "calibrate", "normalize", "feature", "adaptive", "anomaly", "pipeline", "fused")
            .breakdown("batchSize", "1024", "pipeline", "fused", "threshold", "calibrate", "normalize", "feature",
                "adaptive")
            .chart(ChartSpec.byParam("batchSize")),
        SuiteSpec.suite("Pipeline against its limit", "PipelineLimitBenchmark")
            .about("The default pipeline with observability on as the program runs it (instrumented, the event log"
                + " attached and encoding into a `NullLogSink`) against `fused`, the same arithmetic in one"
                + " hand-written loop with bit-identical output, batch 1024, both including the refill copy."
                + " `alternatingPipelineFused` runs fused and pipeline in alternate 1 s iterations of each fork;"
                + " its score (the mean of both) means nothing alone, but its adjacent iterations form the pairs of"
                + " the paired table, measured a second apart on the same CPU. The ratio column is each row's speed"
                + " relative to `fused`.")
            .recordsPerOp("batchSize")
            .reference("fused")
            .ours("pipeline|alternatingPipelineFused")
            .order("fused", "pipeline", "alternatingPipelineFused")
            .paired("alternatingPipelineFused", "pipeline", "fused")
            .chart(ChartSpec.versus()),
        SuiteSpec.suite("Anomaly detectors", "AnomalyDetectorBenchmark")
            .about("The lecture's z-score stage (`anomaly`) and the adaptive envelope detector (`adaptive`) alone,"
                + " on the same readings; one operation is one batch, refilled from a pre-generated copy first,"
                + " and `copy` measures that refill alone. The ratio column is each row's speed relative to"
                + " `copy`.")
            .recordsPerOp("batchSize")
            .reference("copy")
            .referenceIncludedInOthers()
            .ours(".*")
            .order("copy", "anomaly", "adaptive")
            .chart(ChartSpec.byParam("batchSize")),
        SuiteSpec.suite("Observability overhead", "ObservabilityOverheadBenchmark")
            .about("The default pipeline (threshold, calibrate, normalize, feature, adaptive; anomaly in runs before 2026-12-01) with metrics and"
                + " logging on vs off, on the same readings, both including the batch refill copy. On:"
                + " `instrumented(true)` (per-stage clock reads, HdrHistogram recording, counters, allocated-bytes"
                + " metering) and a `PipelineEventLog` attached as the program does, its lines fully encoded into a"
                + " `NullLogSink`. Off: `instrumented(false)`, no observer. The ratio column is on ÷ off from"
                + " separately forked runs. `alternatingOnOff` runs off and on in alternate 1 s iterations of each"
                + " fork; its score (the mean of both) means nothing alone, but its adjacent iterations form the"
                + " on/off pairs of the paired table, measured a second apart on the same CPU, on which the paired"
                + " target is judged.")
            .recordsPerOp("batchSize")
            .reference("observabilityOff")
            .ours(".*")
            .order("observabilityOff", "observabilityOn", "alternatingOnOff")
            .paired("alternatingOnOff", "on", "off")
            .chart(ChartSpec.versus()),
        SuiteSpec.suite("JSON encoding", "JsonEncodingBenchmark")
            .about("One `stage_completed` and one `pipeline_health` event, the same fields and values in every"
                + " contender (a test parses each line with Jackson and compares), one UTF-8 line per operation:"
                + " our `JsonLogEncoder` into its buffer; Jackson's streaming `JsonGenerator` (created once,"
                + " pre-serialized field names, fast double writer, writing to a reused buffer, garbage-free"
                + " timestamp formatting handed to it); Log4j2's `JsonTemplateLayout` in garbage-free mode"
                + " (`log4j2.enable.threadlocals=true`, `log4j2.enableDirectEncoders=true`), `layout.encode(event,"
                + " destination)` of a reused `MutableLogEvent` whose `MapMessage` is built once (only the time"
                + " is set per line) into a reused `ByteBufferDestination`; a reused `StringBuilder` plus the JDK's"
                + " UTF-8 encoder; and `String.format`. `alternatingOursJackson` runs Jackson and ours in"
                + " alternate 1 s iterations of each fork; its score (the mean of both) means nothing alone, but"
                + " its adjacent iterations form the pairs of the paired table, measured a second apart on the"
                + " same CPU. The ratio column is each row's speed relative to ours (below 1: slower than ours).")
            .reference("ours")
            .ours("ours")
            .order("ours", "jackson", "log4j2", "stringBuilder", "stringFormat", "alternatingOursJackson")
            .paired("alternatingOursJackson", "ours", "jackson")
            .chart(ChartSpec.versus()),
        SuiteSpec.suite("Metrics recording", "MetricsRecordingBenchmark")
            .about("Recording one batch through one stage: batch latency plus records in and out, the same"
                + " pre-generated values for all. Ours is `StageMetrics.recordBatch` as the pipeline calls it"
                + " (counters, batch latency and latency per record in two HdrHistogram recorders, allocated"
                + " bytes: more work than the peers do); Micrometer: a `Timer` (SimpleMeterRegistry, client-side"
                + " percentiles 0.5/0.9/0.99/0.999, precision 3) and two `Counter`s; Dropwizard: a `Timer` with the"
                + " default exponentially decaying reservoir, or a 60 s `SlidingTimeWindowArrayReservoir`, and two"
                + " `Counter`s. The ratio column is each row's speed relative to ours.")
            .reference("ours")
            .ours("ours")
            .order("ours", "micrometer", "dropwizard", "dropwizardSlidingWindow")
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
            .about("`stage_completed` events through `StructuredLogger` → `AsyncLogSink` (4 MiB ring, the"
                + " program's default) → `StreamLogSink` appending to a temporary file, from one and from two"
                + " producer threads, with the `DROP` and the `WAIT` overflow policy. The score is events per"
                + " second offered by all producers together; \"ns per event per producer\" is the producer-side"
                + " cost, threads ÷ score. \"dropped, all measured iterations\" is the sink's own count of lines the"
                + " ring refused (all producers), summed by JMH over the measured 1 s iterations: divide by their"
                + " number for lines dropped per second; with `DROP`, score minus that is what reached the file. Two cores: with two producers the writer thread competes with them.")
            .ours("producer.*")
            .order("producer1Thread", "producer2Threads")
            .costPerThread("ns per event per producer")
            .column("dropped", "dropped, all measured iterations")
            .chart(ChartSpec.versus()));

    /** The targets of issues 6 and 13, in report order. */
    public static final List<TargetSpec> TARGETS = List.of(
        TargetSpec.zeroAllocation("0 B/op (< 0.01) for every stage and the default pipeline", "StageBenchmark").key("alloc-stages"),
        TargetSpec.zeroAllocation("0 B/op (< 0.01) for the pipeline against its limit",
            "PipelineLimitBenchmark").key("alloc-limit"),
        TargetSpec.zeroAllocation("0 B/op (< 0.01) for the columnar pipeline", "DataModelBenchmark").key("alloc-columnar"),
        TargetSpec.zeroAllocation("0 B/op (< 0.01) for the pipeline with observability on",
            "ObservabilityOverheadBenchmark").key("alloc-observability"),
        TargetSpec.zeroAllocation("0 B/op (< 0.01) for our encoder", "JsonEncodingBenchmark").key("alloc-encoder"),
        TargetSpec.zeroAllocation("0 B/op (< 0.01) for our metrics recording", "MetricsRecordingBenchmark").key("alloc-metrics"),
        TargetSpec.zeroAllocation("0 B/op (< 0.01) on the async sink's producer path", "AsyncLogSinkBenchmark").key("alloc-async-producer"),
        TargetSpec.pairedRatio("Observability on ≥ 97% of off, batch 1024 (paired)", "ObservabilityOverheadBenchmark",
            0.97, Map.of("batchSize", "1024")).key("observability-overhead"),
        TargetSpec.speedup("Observability on ≥ 97% of off, batch 1024 (separate forks)",
            "ObservabilityOverheadBenchmark", "observabilityOn", "observabilityOff", 0.97, Map.of("batchSize", "1024"))
            .key("observability-overhead-forks"),
        TargetSpec.pairedRatio("Default pipeline, observability on, ≥ 0.8× the fused loop, batch 1024 (paired)",
            "PipelineLimitBenchmark", 0.8, Map.of("batchSize", "1024")).key("pipeline-vs-fused"),
        TargetSpec.speedup("Default pipeline, observability on, ≥ 0.8× the fused loop, batch 1024 (separate forks)",
            "PipelineLimitBenchmark", "pipeline", "fused", 0.8, Map.of("batchSize", "1024"))
            .key("pipeline-vs-fused-forks"),
        TargetSpec.speedup("Our encoder ≥ 3× the Log4j2 JsonTemplateLayout", "JsonEncodingBenchmark",
            "ours", "log4j2", 3.0, Map.of()).key("encoder-vs-log4j2"),
        TargetSpec.pairedRatio("Our encoder ≥ 3× Jackson's JsonGenerator (paired)", "JsonEncodingBenchmark",
            3.0, Map.of()).key("encoder-vs-jackson-paired"),
        TargetSpec.speedup("Our encoder ≥ 3× Jackson's JsonGenerator", "JsonEncodingBenchmark",
            "ours", "jackson", 3.0, Map.of()).key("encoder-vs-jackson"),
        TargetSpec.speedup("Columnar pipeline ≥ 20× the record-as-map model", "DataModelBenchmark",
            "columnar", "recordAsMap", 20.0, Map.of()).key("columnar-vs-map"),
        TargetSpec.speedup("Our metrics recording faster than Micrometer's Timer", "MetricsRecordingBenchmark",
            "ours", "micrometer", 1.0, Map.of()).key("metrics-vs-micrometer"),
        TargetSpec.speedup("Our metrics recording faster than Dropwizard's Timer", "MetricsRecordingBenchmark",
            "ours", "dropwizard", 1.0, Map.of()).key("metrics-vs-dropwizard"));

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
