package dev.pipescope.benchmarks;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alternating encoding benchmark writes with Jackson in a fork's even iterations and with ours in its odd
 * ones, as the report pairs them, and each writes the event the benchmark is parameterized with.
 */
class JsonEncodingAlternationTest {
    @ParameterizedTest
    @ValueSource(strings = {JsonEventWriters.STAGE_COMPLETED, JsonEventWriters.PIPELINE_HEALTH})
    void alternatesJacksonThenOursFromTheForksFirstIteration(final String event) {
        final JsonEncodingBenchmark b = new JsonEncodingBenchmark();
        b.event = event;
        b.setUp();
        b.oursWriter().pipelineHealth(0);
        b.jacksonWriter().pipelineHealth(0);
        for (int iteration = 0; iteration < 6; iteration++) {
            b.alternate();
            final boolean ours = iteration % 2 == 1;
            assertEquals(ours, b.oursThisIteration(), "iteration " + iteration);
            final byte[] oursBefore = b.oursWriter().lastLine();
            final byte[] jacksonBefore = b.jacksonWriter().lastLine();
            final int length = b.alternatingOursJackson();
            final byte[] written = ours ? b.oursWriter().lastLine() : b.jacksonWriter().lastLine();
            assertEquals(length, written.length, "the line's length is returned");
            assertTrue(new String(written, java.nio.charset.StandardCharsets.UTF_8).contains("\"" + event + "\""),
                "the parameterized event is written");
            assertTrue(Arrays.equals(ours ? jacksonBefore : oursBefore,
                ours ? b.jacksonWriter().lastLine() : b.oursWriter().lastLine()), "the other writer did not run");
            assertTrue(!Arrays.equals(ours ? oursBefore : jacksonBefore, written), "this iteration's writer ran");
        }
        assertEquals(0, BenchmarkSettings.RATIO_WARMUP_ITERATIONS % 2,
            "an even warm-up makes measured iteration 0 a Jackson one, as the report's pairing assumes");
        assertEquals(0, BenchmarkSettings.PAIRED_MEASUREMENT_ITERATIONS % 2, "whole pairs per fork");
    }
}
