package dev.pipescope.source;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.metrics.AllocationMeter;
import dev.pipescope.testing.AllocationProbe;
import dev.pipescope.testing.EndlessInput;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Reading CSV in steady state allocates nothing per batch: strict UTF-8 decoding, an AUTO timestamp unit,
 * blank lines, and rejected lines (escaped for the listener) included. See {@link AllocationProbe}.
 */
@Tag(AllocationProbe.TAG)
class CsvRecordSourceAllocationTest {
    private static final int BATCHES_PER_ROUND = 2_000;

    @Test
    void readingCsvAllocatesNothingPerBatchInSteadyState() {
        assumeTrue(AllocationMeter.isAvailable(), "JVM cannot measure thread allocation");
        final SensorRegistry registry = new SensorRegistry(16);
        final long[] rejections = new long[1];
        final CsvRecordSource source = CsvRecordSource.builder("endless.csv", registry)
            .timestampUnit(TimestampUnit.AUTO)
            .rejectListener((line, reason, input) -> rejections[0] += input.length())
            .build(new EndlessInput("sensor,timestamp,value,note\n"
                + "boiler,1386018900,21.5,plain\n"
                + "\"hall, north\",1386018901.250,-3.25e1,quoted\n"
                + "T\u00b0C \u6e29\u5ea6,2013-12-02T21:15:02.5Z,20.125,UTF-8 and ISO\n"
                + "\n"
                + "boiler,1386018903,abc,a bad value\u0007\n"
                + "boiler,1386018904,22,\n"));
        final RecordBatch batch = new RecordBatch(256);

        final AllocationProbe.Measurement allocated = AllocationProbe.measure(3, 3, () -> {
            long sum = 0;
            for (int i = 0; i < BATCHES_PER_ROUND; i++) {
                sum += source.fill(batch);
                sum += batch.timestamp[batch.size() - 1];
            }
            return sum;
        });

        allocated.assertAllocationFree(BATCHES_PER_ROUND + " CSV batches");
        assertEquals(3, registry.size());
        assertEquals(TimestampUnit.SECONDS, source.timestampUnitDecided());
        assertTrue(source.rejected() > 0 && rejections[0] > 0, "rejections were really reported");
        assertTrue(source.blankLines() > 0, "blank lines were really read");
        assertEquals(source.lines(), source.blankLines() + 1 + source.accepted() + source.rejected(),
            "every line accounted for");
    }
}
