package dev.pipescope.benchmarks.diagnostics;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuSpeedProbeTest {
    @Test
    void readsTheCpuOfTheCallingThreadWhereLinuxSaysIt() {
        final int cpu = CpuSpeedProbe.currentCpu();
        if (Files.exists(Path.of("/proc/thread-self/stat"))) {
            assertTrue(cpu >= 0, "a CPU number from /proc/thread-self/stat, got " + cpu);
        } else {
            assertEquals(-1, cpu);
        }
    }

    @Test
    void streamingKernelComputesWhatItSays() {
        final double[] from = {0, 1, 2, -4};
        final double[] to = new double[4];
        CpuSpeedProbe.stream(from, to, 3);
        assertArrayEquals(new double[] {0.25, 1.75, 3.25, -5.75}, to);
    }

    @Test
    void printsOneParseableLinePerSlice() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new CpuSpeedProbe().run(2, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#")).toList();
        assertEquals(2, lines.size(), lines.toString());
        for (int i = 0; i < lines.size(); i++) {
            final String[] f = lines.get(i).split(" ");
            assertEquals(5, f.length, lines.get(i));
            assertEquals(i, Integer.parseInt(f[0]));
            final double[] speeds = Arrays.stream(f, 2, 5).mapToDouble(Double::parseDouble).toArray();
            for (final double s : speeds) {
                assertTrue(s > 0 && Double.isFinite(s), "positive finite speeds: " + lines.get(i));
            }
        }
    }
}
