package dev.pipescope.benchmarks;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.PipelineDefinition;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Suite 5, data model: the original design's record-as-map model ({@link RecordAsMapPipeline}) against
 * our columnar batches, through the same three stages (threshold, normalize, anomaly with defaults), on
 * the same readings, 1024 records per batch.
 *
 * <p>One operation is one batch; the report converts to records per second. The columnar side goes
 * through a real {@link Pipeline} (with its per-stage timing and counters) and includes the refill copy
 * of its input batch ({@link BatchFixture#refill()}; measured alone as {@code StageBenchmark.copy}); the
 * map side reads its input list unchanged and builds new lists and maps, as the model does. Both choices
 * favour the map model, so the ratio is conservative.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = BenchmarkSettings.FORKS,
    jvmArgsAppend = {BenchmarkSettings.ADD_EXPORTS, BenchmarkSettings.HEAP_MIN, BenchmarkSettings.HEAP_MAX})
@Warmup(iterations = BenchmarkSettings.WARMUP_ITERATIONS, time = BenchmarkSettings.ITERATION_SECONDS)
@Measurement(iterations = BenchmarkSettings.MEASUREMENT_ITERATIONS, time = BenchmarkSettings.ITERATION_SECONDS)
@State(Scope.Thread)
public class DataModelBenchmark extends AllocationProbe {
    /** The three stages both models run, in order. */
    public static final PipelineDefinition THREE_STAGES =
        PipelineDefinition.empty().stage("threshold").stage("normalize").stage("anomaly");

    /** Records per batch (one value: the comparison is at 1024). */
    @Param({"1024"})
    public int batchSize;

    private BatchFixture fixture;
    private Pipeline pipeline;
    private RecordAsMapPipeline mapPipeline;
    private List<List<Map<String, Object>>> mapBatches;
    private int nextMapBatch;

    /** Generates the readings once and gives both models the same batches. */
    @Setup(Level.Trial)
    public void setUp() {
        fixture = new BatchFixture("data-model-benchmark", batchSize);
        pipeline = fixture.assemble(THREE_STAGES);
        mapPipeline = new RecordAsMapPipeline();
        final RecordBatch[] templates = fixture.templates();
        final List<Map<String, Object>>[] maps = newListArray(templates.length);
        for (int i = 0; i < templates.length; i++) {
            maps[i] = RecordAsMapPipeline.toMaps(templates[i], fixture.registry());
        }
        mapBatches = List.of(maps);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>>[] newListArray(final int n) {
        return (List<Map<String, Object>>[]) new List<?>[n];
    }

    /** Closes the pipeline. */
    @TearDown(Level.Trial)
    public void tearDown() {
        pipeline.close();
    }

    /** @return the records out of the map pipeline (consumed by JMH). */
    @Benchmark
    public List<Map<String, Object>> recordAsMap() {
        final int i = nextMapBatch;
        nextMapBatch = (i + 1) & (BatchFixture.POOL - 1);
        return mapPipeline.process(mapBatches.get(i));
    }

    /** @return records out of the columnar pipeline. */
    @Benchmark
    public int columnar() {
        final RecordBatch batch = fixture.refill();
        pipeline.process(batch);
        return batch.size();
    }
}
