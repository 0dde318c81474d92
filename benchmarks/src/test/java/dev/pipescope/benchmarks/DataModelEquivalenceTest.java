package dev.pipescope.benchmarks;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.pipeline.Pipeline;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two data models of {@link DataModelBenchmark} do the same work: same records kept, same z-scores, same alerts. */
class DataModelEquivalenceTest {
    @Test
    void recordAsMapAndColumnarKeepAndFlagTheSameRecords() {
        final BatchFixture fixture = new BatchFixture("equivalence", 1024);
        final RecordAsMapPipeline maps = new RecordAsMapPipeline();
        long kept = 0;
        long flagged = 0;
        try (Pipeline pipeline = fixture.assemble(DataModelBenchmark.THREE_STAGES)) {
            for (int round = 0; round < 25; round++) {
                for (final RecordBatch template : fixture.templates()) {
                    final List<Map<String, Object>> out =
                        maps.process(RecordAsMapPipeline.toMaps(template, fixture.registry()));
                    final RecordBatch batch = fixture.refill();
                    pipeline.process(batch);
                    assertEquals(batch.size(), out.size(), "records kept");
                    for (int i = 0; i < batch.size(); i++) {
                        final Map<String, Object> r = out.get(i);
                        assertEquals(batch.value[i], (Double) r.get(RecordAsMapPipeline.VALUE), 0.0);
                        assertEquals(batch.normalized[i], (Double) r.get(RecordAsMapPipeline.NORMALIZED), 1e-12);
                        assertEquals(batch.zScore[i], (Double) r.get(RecordAsMapPipeline.Z_SCORE), 1e-9);
                        assertEquals((batch.flags[i] & RecordBatch.FLAG_ANOMALY) != 0, r.get(RecordAsMapPipeline.IS_ANOMALY),
                            "anomaly flag of record " + i);
                    }
                    kept += batch.size();
                    flagged += batch.countFlagged(RecordBatch.FLAG_ANOMALY);
                }
            }
        }
        assertTrue(kept < 25L * BatchFixture.POOL * 1024, "the threshold filter dropped some readings");
        assertTrue(flagged > 0, "the anomaly stage flagged some readings");
    }
}
