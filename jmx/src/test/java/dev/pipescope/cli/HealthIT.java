package dev.pipescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 4's "done when", seen from outside: injected faults show up in the health events of the packaged program. */
class HealthIT {
    private static final String CIRCUIT = "calibration:S3";

    @Test
    void aCalibrationOutageOpensTheCircuitDegradesHealthAndRecovers() throws Exception {
        final ProgramRunner.Result r = ProgramRunner.run("run", "--rate", "200", "--batches", "1400",
            "--fault", "calibration:S3@200-600", "--health-every", "50");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stderr().isEmpty(), r.stderr());
        final List<JsonNode> lines = JsonLog.parseDefault(r.stdoutBytes());
        final List<JsonNode> health = JsonLog.events(lines, "pipeline_health");
        final String reports = summary(health);
        assertTrue(health.size() >= 20, reports); // 1400 / 50, plus the timer's

        for (final JsonNode h : health) {
            if (h.get("batchCount").asLong() < 200) {
                assertEquals("HEALTHY", h.get("status").asText(), "before the fault: " + h);
                assertTrue(h.get("openCircuits").isEmpty(), h.toString());
            }
        }
        assertTrue(health.stream().anyMatch(h -> h.get("batchCount").asLong() < 200), reports);

        final boolean degradedDuringFault = health.stream().anyMatch(h -> {
            final long b = h.get("batchCount").asLong();
            return b >= 250 && b <= 600 && "DEGRADED".equals(h.get("status").asText())
                && texts(h.get("openCircuits")).contains(CIRCUIT)
                && "CIRCUIT_OPEN".equals(h.get("reasons").get(0).get("code").asText())
                && CIRCUIT.equals(h.get("reasons").get(0).get("subject").asText());
        });
        assertTrue(degradedDuringFault, "DEGRADED, root cause an open " + CIRCUIT + ", while the fault lasts:\n"
            + reports);
        assertTrue(health.stream().anyMatch(h -> h.get("batchCount").asLong() >= 200 && h.get("retriesLast1m").asLong() > 0),
            "retries counted in the 1-minute window:\n" + reports);
        for (final JsonNode h : health) {
            for (final JsonNode reason : h.get("reasons")) {
                assertEquals(List.of("code", "subject", "status", "message"), JsonLog.firstKeys(reason, 5), h.toString());
                assertTrue(reason.get("message").asText().startsWith(reason.get("code").asText() + " "), h.toString());
            }
        }

        final JsonNode lastReport = health.get(health.size() - 1);
        assertEquals("HEALTHY", lastReport.get("status").asText(), "recovered before the end:\n" + reports);
        assertTrue(lastReport.get("openCircuits").isEmpty(), lastReport.toString());
        assertEquals(1400, lastReport.get("batchCount").asLong(), lastReport.toString());

        final List<String> transitions = JsonLog.events(lines, "circuit_state_changed").stream()
            .filter(c -> CIRCUIT.equals(c.get("circuit").asText()))
            .map(c -> c.get("from").asText() + "->" + c.get("to").asText()).collect(Collectors.toList());
        assertInOrder(List.of("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED"), transitions);
        assertEquals("HALF_OPEN->CLOSED", transitions.get(transitions.size() - 1), transitions.toString());

        final List<JsonNode> changes = JsonLog.events(lines, "health_status_changed");
        assertTrue(changes.get(0).get("from").isNull(), "the first status is announced from null: " + changes.get(0));
        assertEquals("HEALTHY", changes.get(0).get("to").asText(), changes.get(0).toString());
        final List<String> statusChanges = changes.stream()
            .map(c -> c.get("from").asText() + "->" + c.get("to").asText()).collect(Collectors.toList());
        assertInOrder(List.of("null->HEALTHY", "HEALTHY->DEGRADED", "DEGRADED->HEALTHY"), statusChanges);
        changes.stream().filter(c -> "DEGRADED".equals(c.get("to").asText())).findFirst().ifPresent(c ->
            assertEquals("CIRCUIT_OPEN", c.get("reasons").get(0).get("code").asText(), c.toString()));
        assertEquals("DEGRADED->HEALTHY", statusChanges.get(statusChanges.size() - 1), statusChanges.toString());

        final JsonNode last = lines.get(lines.size() - 1);
        assertEquals("run_completed", last.get("event").asText());
        assertEquals(1400, last.get("batches").asLong());
        assertTrue(last.get("degradedRecords").asLong() > 0, "records passed degraded, never lost: " + last);
        assertEquals(1400L * 1024, last.get("recordsIn").asLong());
    }

    /**
     * At 200 batches a second the default stages are busy a few percent of the time: source-bound, no
     * bottleneck. A 3 ms delay in the detector, adaptive, makes it busy about 60%: then it is the bottleneck.
     */
    @Test
    void aSlowStageIsTheBottleneckWhileTheFaultLasts() throws Exception {
        final ProgramRunner.Result r = ProgramRunner.run("run", "--fault", "slow:adaptive=3ms@200-500", "--rate", "200",
            "--batches", "600", "--health-every", "50");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stderr().isEmpty(), r.stderr());
        final List<JsonNode> health = JsonLog.events(JsonLog.parseDefault(r.stdoutBytes()), "pipeline_health");
        final String reports = summary(health);
        int checked = 0;
        for (int i = 1; i < health.size(); i++) {
            final long from = health.get(i - 1).get("batchCount").asLong(); // the interval covers batches from+1..to
            final long to = health.get(i).get("batchCount").asLong();
            if (from >= 200 && to <= 500 && to > from) {
                assertEquals("adaptive", health.get(i).get("bottleneckStage").asText(),
                    "interval " + (from + 1) + ".." + to + " lies within the fault:\n" + reports);
                assertFalse(health.get(i).get("sourceBound").asBoolean(), health.get(i).toString());
                assertTrue(health.get(i).get("bottleneckLatencyMicros").get("p50").asDouble() >= 3000,
                    health.get(i).toString());
                checked++;
            } else if (to < 200 && from > 0) {
                assertTrue(health.get(i).get("sourceBound").asBoolean(), "before the fault: " + health.get(i));
                assertTrue(health.get(i).get("bottleneckStage").isNull(), "before the fault: " + health.get(i));
            }
        }
        assertTrue(checked >= 3, "reports within the fault: " + checked + "\n" + reports);
    }

    private static void assertInOrder(final List<String> expected, final List<String> actual) {
        int at = 0;
        for (final String a : actual) {
            if (at < expected.size() && expected.get(at).equals(a)) {
                at++;
            }
        }
        assertEquals(expected.size(), at, "expected " + expected + " in this order within " + actual);
    }

    private static List<String> texts(final JsonNode array) {
        final List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String summary(final List<JsonNode> health) {
        final StringBuilder s = new StringBuilder();
        for (final JsonNode h : health) {
            s.append(h.get("batchCount")).append(' ').append(h.get("status").asText()).append(' ')
                .append(h.get("openCircuits")).append(" retries1m=").append(h.get("retriesLast1m"))
                .append(" bottleneck=").append(h.get("bottleneckStage")).append(' ').append(h.get("reasons")).append('\n');
        }
        return s.toString();
    }
}
