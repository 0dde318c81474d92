package dev.pipescope.benchmarks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The alternating benchmark runs "off" in a fork's even iterations and "on" in its odd ones, as the report assumes. */
class ObservabilityOverheadBenchmarkTest {
    @Test
    void alternatesOffThenOnFromTheForksFirstIteration() {
        final ObservabilityOverheadBenchmark b = new ObservabilityOverheadBenchmark();
        b.batchSize = 256;
        b.setUp();
        try {
            assertNotSame(b.on(), b.off());
            for (int iteration = 0; iteration < 6; iteration++) {
                b.alternate();
                assertSame(iteration % 2 == 0 ? b.off() : b.on(), b.alternating(), "iteration " + iteration);
                assertTrue(b.alternatingOnOff() > 0, "records come out");
            }
            // only the instrumented pipeline records stage metrics: 3 batches each way
            assertEquals(3, b.on().metrics(0).totals().batches());
            assertEquals(0, b.off().metrics(0).totals().batches());
            assertEquals(0, BenchmarkSettings.RATIO_WARMUP_ITERATIONS % 2,
                "an even warm-up makes measured iteration 0 an 'off' one, as ObservabilityOverheadBenchmark documents");
            assertEquals(0, BenchmarkSettings.PAIRED_MEASUREMENT_ITERATIONS % 2, "whole pairs per fork");
        } finally {
            b.tearDown();
        }
    }
}
