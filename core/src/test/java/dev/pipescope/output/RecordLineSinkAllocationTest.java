package dev.pipescope.output;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.calibration.CalibrationService;
import dev.pipescope.calibration.SimulatedCalibrationService;
import dev.pipescope.log.NullLogSink;
import dev.pipescope.metrics.AllocationMeter;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.PipelineDefinition;
import dev.pipescope.source.CsvRecordSource;
import dev.pipescope.source.TimestampUnit;
import dev.pipescope.stage.StageCatalog;
import dev.pipescope.stage.StageContext;
import dev.pipescope.testing.AllocationProbe;
import dev.pipescope.testing.EndlessInput;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Writing records allocates nothing per batch in steady state, on its own and at the end of the real chain
 * (CSV in, the default pipeline, records out). See {@link AllocationProbe} for the rule with and without C2.
 */
@Tag(AllocationProbe.TAG)
class RecordLineSinkAllocationTest {
    private static final int BATCHES_PER_ROUND = 1_000;

    @ParameterizedTest
    @CsvSource({"CSV, false", "CSV, true", "JSONL, false", "JSONL, true"})
    void encodingRecordsAllocatesNothingPerBatch(final RecordFormat format, final boolean anomaliesOnly) {
        assumeTrue(AllocationMeter.isAvailable(), "JVM cannot measure thread allocation");
        final SensorRegistry registry = new SensorRegistry(16);
        final String[] names = {"boiler", "hall, north", "he said \"hi\"", "T\u00b0C \u6e29\u5ea6", "\ud83c\udf21"};
        final SplittableRandom r = new SplittableRandom(7);
        final RecordBatch batch = new RecordBatch(256);
        final double[] special = {Double.NaN, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE, 0.1 + 0.2, 1e300};
        for (int i = 0; i < batch.capacity(); i++) {
            // timestamps over many days, so the writer's day cache is refilled all along
            batch.add(registry.register(names[i % names.length]), 1_386_018_900_000L + i * 86_399_999L, i,
                (r.nextDouble() - 0.5) * 1e3);
            batch.value[i] = i % 7 == 0 ? special[i % special.length] : batch.raw[i] * 1.1 + 0.5;
            batch.normalized[i] = r.nextDouble();
            batch.ewma[i] = i % 5 == 0 ? Double.NaN : r.nextGaussian() * 1e-5;
            batch.delta[i] = r.nextGaussian();
            batch.zScore[i] = r.nextGaussian() * 2;
            batch.score[i] = r.nextDouble();
            batch.flags[i] = r.nextInt(32);
        }
        final NullLogSink lines = new NullLogSink();
        final RecordLineSink out = RecordLineSink.builder(registry, lines).format(format)
            .anomaliesOnly(anomaliesOnly).build();

        final long[] batchNumber = {0};
        final AllocationProbe.Measurement allocated = AllocationProbe.measure(3, 3, () -> {
            for (int b = 0; b < BATCHES_PER_ROUND; b++) {
                out.accept(++batchNumber[0], batch);
            }
            return out.recordsWritten();
        });

        allocated.assertAllocationFree(BATCHES_PER_ROUND + " batches of " + format + " records");
        final long expectedPerBatch = anomaliesOnly ? batch.countFlagged(RecordBatch.FLAG_ANOMALY) : batch.size();
        assertEquals(expectedPerBatch * batchNumber[0], out.recordsWritten(), "every record was really encoded");
        assertTrue(lines.counters().bytesWritten() > 100L * out.recordsWritten(), "and lines were handed over");
    }

    @Test
    void csvInThroughTheDefaultPipelineAndRecordsOutAllocatesNothingPerBatch() {
        assumeTrue(AllocationMeter.isAvailable(), "JVM cannot measure thread allocation");
        final StringBuilder csv = new StringBuilder("sensor,timestamp,value\n");
        final SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 997; i++) {
            // gross spikes for the threshold filter to drop, moderate ones for the anomaly detector to flag
            final int kind = r.nextInt(50);
            final double sign = r.nextBoolean() ? 1 : -1;
            final double v = kind == 0 ? 50 + 40 * sign : kind == 1 ? 50 + 17 * sign : 50 + r.nextGaussian() * 5;
            csv.append("S").append(i % 10).append(',').append(1_386_018_900L + i).append(',')
                .append(Math.round(v * 1000) / 1000.0).append('\n');
            if (i % 100 == 0) {
                csv.append('\n');
            }
        }
        final SensorRegistry registry = new SensorRegistry(64);
        final StageContext context = StageContext.builder("output-alloc", registry)
            .service(CalibrationService.class, new SimulatedCalibrationService(registry.capacity())).build();
        try (Pipeline pipeline = Pipeline.assemble("output-alloc", PipelineDefinition.defaults(),
            StageCatalog.discover(), context)) {
            final CsvRecordSource source = CsvRecordSource.builder("endless.csv", registry)
                .timestampUnit(TimestampUnit.AUTO).build(new EndlessInput(csv.toString()));
            final NullLogSink lines = new NullLogSink();
            final RecordLineSink out = RecordLineSink.builder(registry, lines).format(RecordFormat.JSONL).build();
            final RecordBatch batch = new RecordBatch(256);
            final long[] batchNumber = {0};

            final AllocationProbe.Measurement allocated = AllocationProbe.measure(4, 3, () -> {
                for (int b = 0; b < BATCHES_PER_ROUND; b++) {
                    source.fill(batch);
                    pipeline.process(batch);
                    out.accept(++batchNumber[0], batch);
                }
                return out.recordsWritten();
            });

            allocated.assertAllocationFree(BATCHES_PER_ROUND + " batches: CSV in, pipeline, JSON lines out");
            assertEquals(TimestampUnit.SECONDS, source.timestampUnitDecided());
            assertEquals(pipeline.recordsOut(), out.recordsWritten(), "every record that left the pipeline was written");
            assertTrue(out.recordsWritten() > 0 && pipeline.recordsOut() < pipeline.recordsIn(), "real work: some filtered");
            assertTrue(pipeline.alerts() > 0, "and some flagged");
        }
    }
}
