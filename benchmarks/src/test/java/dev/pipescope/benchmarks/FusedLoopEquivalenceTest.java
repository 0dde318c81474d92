package dev.pipescope.benchmarks;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.calibration.CalibrationService;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.PipelineDefinition;
import dev.pipescope.source.SimulatedSensorSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link FusedDefaultPipeline} is a fair limit only if it does the default pipeline's work exactly: over 20
 * million simulated readings (fresh ones, not the benchmark's four rotating batches) both keep the same
 * records and write the same bits in every column.
 */
class FusedLoopEquivalenceTest {
    private static final long RECORDS = 20_000_000;

    @ParameterizedTest(name = "batch {0}")
    @ValueSource(ints = {1024, 777})
    void theFusedLoopWritesExactlyWhatTheDefaultPipelineWrites(final int batchSize) {
        final BatchFixture fixture = new BatchFixture("fused-equivalence", batchSize);
        final SimulatedSensorSource source = new SimulatedSensorSource(fixture.registry(), BenchmarkSettings.SENSORS,
            BenchmarkSettings.SEED, BenchmarkSettings.SPIKE_PROBABILITY, () -> BatchFixture.EPOCH_MS);
        final FusedDefaultPipeline fused = new FusedDefaultPipeline(fixture.registry().capacity(),
            fixture.context().require(CalibrationService.class));
        final RecordBatch viaPipeline = new RecordBatch(batchSize);
        final RecordBatch viaFused = new RecordBatch(batchSize);
        long in = 0;
        long kept = 0;
        long flagged = 0;
        try (Pipeline pipeline = fixture.assemble(PipelineDefinition.defaults())) {
            for (long batchNumber = 1; in < RECORDS; batchNumber++) {
                viaPipeline.clear();
                source.fill(viaPipeline);
                in += viaPipeline.size();
                viaFused.copyFrom(viaPipeline);
                pipeline.process(viaPipeline);
                fused.process(viaFused);
                assertSameBatch(viaPipeline, viaFused, batchNumber);
                kept += viaPipeline.size();
                flagged += viaPipeline.countFlagged(RecordBatch.FLAG_ANOMALY);
            }
        }
        assertTrue(kept < in, "threshold dropped readings (" + kept + " of " + in + " kept)");
        assertTrue(flagged > 100, "adaptive flagged readings (" + flagged + ")");
    }

    private static void assertSameBatch(final RecordBatch expected, final RecordBatch actual, final long batchNumber) {
        assertEquals(expected.size(), actual.size(), "records kept in batch " + batchNumber);
        for (int i = 0; i < expected.size(); i++) {
            if (expected.sensor[i] != actual.sensor[i] || expected.timestamp[i] != actual.timestamp[i]
                || expected.sequence[i] != actual.sequence[i] || expected.flags[i] != actual.flags[i]
                || differ(expected.raw[i], actual.raw[i]) || differ(expected.value[i], actual.value[i])
                || differ(expected.normalized[i], actual.normalized[i]) || differ(expected.ewma[i], actual.ewma[i])
                || differ(expected.delta[i], actual.delta[i]) || differ(expected.zScore[i], actual.zScore[i])
                || differ(expected.score[i], actual.score[i])) {
                fail("batch " + batchNumber + ", record " + i + " (sequence " + expected.sequence[i] + "): pipeline "
                    + describe(expected, i) + " but fused " + describe(actual, i));
            }
        }
    }

    private static boolean differ(final double a, final double b) {
        return Double.doubleToRawLongBits(a) != Double.doubleToRawLongBits(b);
    }

    private static String describe(final RecordBatch b, final int i) {
        return "{sensor=" + b.sensor[i] + ", ts=" + b.timestamp[i] + ", seq=" + b.sequence[i] + ", raw=" + b.raw[i]
            + ", value=" + b.value[i] + ", normalized=" + b.normalized[i] + ", ewma=" + b.ewma[i] + ", delta="
            + b.delta[i] + ", z=" + b.zScore[i] + ", score=" + b.score[i] + ", flags=" + b.flags[i] + '}';
    }
}
