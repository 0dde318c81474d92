package dev.pipescope.benchmarks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The alternating benchmark runs fused in a fork's even iterations and the pipeline in its odd ones, as the report pairs them. */
class PipelineLimitBenchmarkTest {
    @Test
    void alternatesFusedThenPipelineFromTheForksFirstIteration() {
        final PipelineLimitBenchmark b = new PipelineLimitBenchmark();
        b.batchSize = 1024;
        b.setUp();
        try {
            for (int iteration = 0; iteration < 6; iteration++) {
                b.alternate();
                assertEquals(iteration % 2 == 1, b.pipelineThisIteration(), "iteration " + iteration);
                assertTrue(b.alternatingPipelineFused() > 0, "records come out");
            }
            assertEquals(3, b.pipelineUnderTest().metrics(0).totals().batches(), "the pipeline ran in 3 of 6 iterations");
            assertTrue(b.pipeline() > 0 && b.fused() > 0);
            assertEquals(0, BenchmarkSettings.RATIO_WARMUP_ITERATIONS % 2,
                "an even warm-up makes measured iteration 0 a fused one, as the report's pairing assumes");
            assertEquals(0, BenchmarkSettings.PAIRED_MEASUREMENT_ITERATIONS % 2, "whole pairs per fork");
        } finally {
            b.tearDown();
        }
    }
}
