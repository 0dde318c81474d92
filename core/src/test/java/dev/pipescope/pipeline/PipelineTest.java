package dev.pipescope.pipeline;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.stage.Stage;
import dev.pipescope.stage.StageCatalog;
import dev.pipescope.stage.StageContext;
import dev.pipescope.stage.StageDefinition;
import dev.pipescope.stage.builtin.ThresholdFilter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class PipelineTest {

    /** Records its lifecycle calls. */
    @StageDefinition(type = "lifecycle", description = "records open and close")
    public static class LifecycleStage implements Stage {
        StageContext opened;
        int closed;
        int batches;

        @Override
        public void open(final StageContext context) {
            opened = context;
        }

        @Override
        public void process(final RecordBatch batch) {
            batches++;
        }

        @Override
        public void close() {
            closed++;
        }
    }

    private static RecordBatch batch(final double... values) {
        final RecordBatch batch = new RecordBatch(values.length);
        for (int i = 0; i < values.length; i++) {
            batch.add(i % 3, i, i + 1, values[i]);
        }
        return batch;
    }

    @Test
    void processCountsBatchesRecordsAndAlerts() {
        final String config = "threshold\ncalibrate\nnormalize\nfeature\nanomaly warmup=4 zThreshold=2.5\n";
        final Pipeline p = Pipeline.assemble("p", PipelineDefinition.parse(config, "t"), StageCatalog.discover(),
            PipelineDefinitionTest.context());
        assertEquals(Pipeline.State.READY, p.state());

        // sensor 0 gets 50,51,50,51 then 79 (an anomaly); 2 readings are out of the threshold window
        final RecordBatch b1 = new RecordBatch(8);
        b1.add(0, 0, 1, 50);
        b1.add(0, 0, 2, 51);
        b1.add(1, 0, 3, 5);
        b1.add(0, 0, 4, 50);
        b1.add(0, 0, 5, 51);
        b1.add(1, 0, 6, 95);
        b1.add(0, 0, 7, 79);
        p.process(b1);
        assertEquals(Pipeline.State.RUNNING, p.state());
        assertEquals(5, b1.size());
        assertEquals(1, p.batches());
        assertEquals(7, p.recordsIn());
        assertEquals(5, p.recordsOut());
        assertEquals(1, p.alerts());
        assertEquals(RecordBatch.FLAG_ANOMALY | RecordBatch.FLAG_CALIBRATED, b1.flags[4]);

        assertEquals(7, p.metrics(0).totals().recordsIn());
        assertEquals(5, p.metrics(0).totals().recordsOut());
        for (int i = 1; i < 5; i++) {
            assertEquals(5, p.metrics(i).totals().recordsIn(), "stage " + i);
            assertEquals(5, p.metrics(i).totals().recordsOut(), "stage " + i);
            assertEquals(1, p.metrics(i).totals().batches(), "stage " + i);
        }

        final RecordBatch b2 = batch(30, 40, 50);
        p.process(b2);
        assertEquals(2, p.batches());
        assertEquals(10, p.recordsIn());
        assertEquals(8, p.recordsOut());
        assertEquals(2, p.metrics(4).totals().batches());
        assertEquals(10, p.metrics(0).totals().recordsIn());
        assertEquals(1, p.alerts());

        final RecordBatch empty = new RecordBatch(4);
        p.process(empty);
        assertEquals(3, p.batches());
        assertEquals(10, p.recordsIn());
    }

    @Test
    void stagesAreOpenedWithTheContextAndClosedOnceAndAClosedPipelineRefusesBatches() {
        final StageContext context = PipelineDefinitionTest.context();
        final Pipeline p = Pipeline.assemble("plant-7", PipelineDefinition.parse("threshold\nlifecycle as life\n", "t"),
            StageCatalog.of(ThresholdFilter.class, LifecycleStage.class), context);
        final LifecycleStage life = (LifecycleStage) p.stage("life").stage();
        assertSame(context, life.opened);
        assertSame(context, p.context());
        assertEquals("plant-7", p.name());
        p.process(batch(30));
        assertEquals(1, life.batches);

        p.close();
        p.close();
        assertEquals(Pipeline.State.CLOSED, p.state());
        assertEquals(1, life.closed);
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.process(batch(30)));
        assertTrue(e.getMessage().contains("'plant-7' is closed"), e.getMessage());
        assertEquals(1, life.batches);
        assertEquals(1, p.batches());
    }

    @Test
    void closeBeforeAnyBatchAlsoRefuses() {
        final Pipeline p = Pipeline.assemble("p", PipelineDefinition.defaults(), StageCatalog.discover(),
            PipelineDefinitionTest.context());
        p.close();
        assertThrows(IllegalStateException.class, () -> p.process(batch(30)));
        assertEquals(0, p.batches());
    }

    @Test
    void liveParameterChangeReachesTheRunningPipeline() {
        final Pipeline p = Pipeline.assemble("p", PipelineDefinition.parse("threshold", "t"), StageCatalog.discover(),
            PipelineDefinitionTest.context());
        final RecordBatch first = batch(10, 50, 90);
        p.process(first);
        assertEquals(1, first.size());
        p.stage("threshold").setParameter("minVal", 0);
        p.stage("threshold").setParameter("maxVal", 100);
        final RecordBatch second = batch(10, 50, 90);
        p.process(second);
        assertEquals(3, second.size());
        assertEquals(null, p.stage("nope"));
    }
}
