package dev.pipescope.pipeline;

import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.source.CsvRecordSource;
import dev.pipescope.stage.StageCatalog;
import dev.pipescope.stage.StageContext;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a run counts beyond the pipeline's totals: blank lines and each stage's dropped records. */
class PipelineRunnerTest {
    private static String csv() {
        final StringBuilder text = new StringBuilder("\nsensor,timestamp,value\n");
        for (int i = 0; i < 1000; i++) {
            text.append("S").append(i % 3).append(',').append(1_386_018_900L + i).append(',').append(i % 100).append('\n');
            if (i % 250 == 0) {
                text.append("  \t\n");
            }
        }
        return text.toString();
    }

    private static RunSummary run(final String config, final boolean instrumented) {
        final SensorRegistry registry = new SensorRegistry(8);
        try (Pipeline pipeline = Pipeline.assemble("p", PipelineDefinition.parse(config, "<test>"),
            StageCatalog.discover(), StageContext.builder("p", registry).build());
             CsvRecordSource source = CsvRecordSource.builder("in.csv", registry).build(new StringReader(csv()))) {
            pipeline.instrumented(instrumented);
            final PipelineRunner runner = new PipelineRunner(pipeline, source, 64);
            final RunSummary summary = runner.run();
            assertTrue(pipeline.observers().isEmpty(), "the run's counter is removed when it ends");
            return summary;
        }
    }

    @Test
    void eachStagesDropsAndTheBlankLinesAreCounted() {
        final RunSummary s = run("threshold as low minVal=10 maxVal=1000\nfeature\nthreshold as high minVal=0 maxVal=79\nadaptive", true);
        assertEquals("input", s.stopReason());
        assertEquals(1000, s.recordsIn());
        assertEquals(5, s.blankLines(), "one before the header, four among the data");
        final Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("low", 100L);     // values 0..9
        expected.put("feature", 0L);
        expected.put("high", 200L);    // values 80..99
        expected.put("adaptive", 0L);
        assertEquals(expected, s.droppedByStage());
        assertEquals(300, s.recordsDropped());
        assertEquals("high", s.topDroppingStage());
    }

    @Test
    void withoutInstrumentationNoPerStageCountsAreClaimed() {
        final RunSummary s = run("threshold minVal=10 maxVal=1000\nfeature", false);
        assertEquals(100, s.recordsDropped());
        assertTrue(s.droppedByStage().isEmpty(), s.droppedByStage().toString());
        assertNull(s.topDroppingStage());
    }
}
