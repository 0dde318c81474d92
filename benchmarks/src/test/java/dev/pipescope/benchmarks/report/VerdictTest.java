package dev.pipescope.benchmarks.report;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ratio targets are judged on the ratio's interval, never on the point estimate: MET only when the whole
 * interval is on the acceptable side, NOT MET only when the whole interval is on the other, INCONCLUSIVE when
 * it straddles the threshold. Synthetic results, so every case is chosen.
 */
class VerdictTest {
    private static final String SUITE = "MetricsRecordingBenchmark";

    private static JmhResult result(final String method, final String mode, final String unit, final double score,
        final double error, final Map<String, String> params) {
        return new JmhResult("dev.pipescope.benchmarks." + SUITE + "." + method, SUITE, method, mode, 1, 1, params,
            score, error, unit, 0, 0, 0, "1.37", "java", List.of(), "17", "vm", "17", 5, "1 s", 5, "1 s", Map.of(),
            List.of());
    }

    private static JmhResult thrpt(final String method, final double score, final double error) {
        return result(method, "thrpt", "ops/s", score, error, Map.of());
    }

    private static JmhResult avgt(final String method, final double score, final double error) {
        return result(method, "avgt", "ns/op", score, error, Map.of());
    }

    private static TargetSpec.Outcome faster(final double atLeast, final JmhResult... results) {
        return TargetSpec.speedup("target", SUITE, "ours", "peer", atLeast, Map.of())
            .evaluate(ReportCatalog.suite(SUITE), List.of(results));
    }

    /** The interval, computed here independently of the generator, in operations per second. */
    private static double[] interval(final boolean throughput, final double sa, final double ea, final double sb,
        final double eb) {
        final double slowA = throughput ? Math.max(sa - ea, 0) : 1 / (sa + ea);
        final double fastA = throughput ? sa + ea : sa - ea > 0 ? 1 / (sa - ea) : Double.POSITIVE_INFINITY;
        final double slowB = throughput ? Math.max(sb - eb, 0) : 1 / (sb + eb);
        final double fastB = throughput ? sb + eb : sb - eb > 0 ? 1 / (sb - eb) : Double.POSITIVE_INFINITY;
        return new double[] {slowA / fastB, fastA / slowB};
    }

    @Test
    void noVerdictSaysMetWhileItsIntervalStraddlesTheThreshold() {
        final double[] thresholds = {0.97, 1.0, 3.0, 20.0};
        final double[] scores = {1, 2, 2.9, 3, 3.1, 5, 19, 20, 21, 30, 100};
        final double[] errorShares = {0, 0.01, 0.05, 0.2, 0.5, 0.94, 1.0, 1.5};
        int straddling = 0;
        int met = 0;
        int notMet = 0;
        for (final boolean throughput : new boolean[] {true, false}) {
            for (final double t : thresholds) {
                for (final double ratio : scores) {
                    for (final double ea : errorShares) {
                        for (final double eb : errorShares) {
                            // A is `ratio` times as fast as B
                            final double sb = 1000;
                            final double sa = throughput ? sb * ratio : sb / ratio;
                            final JmhResult a = throughput ? thrpt("ours", sa, sa * ea) : avgt("ours", sa, sa * ea);
                            final JmhResult b = throughput ? thrpt("peer", sb, sb * eb) : avgt("peer", sb, sb * eb);
                            final TargetSpec.Outcome o = faster(t, a, b);
                            final double[] iv = interval(throughput, sa, sa * ea, sb, sb * eb);
                            final String where = (throughput ? "thrpt " : "avgt ") + "threshold " + t + ": "
                                + o.figure();
                            final double lo = iv[0] * (1 + 1e-9);
                            final double hi = iv[1] * (1 - 1e-9);
                            final boolean strict = t == 1.0;
                            if (lo < t && hi > t) {
                                straddling++;
                                assertNotEquals(TargetSpec.Status.MET, o.status(), where);
                                assertEquals(TargetSpec.Status.INCONCLUSIVE, o.status(), where);
                            }
                            if (o.status() == TargetSpec.Status.MET) {
                                met++;
                                assertTrue(strict ? lo > t : lo >= t, where);
                            }
                            if (o.status() == TargetSpec.Status.NOT_MET) {
                                notMet++;
                                assertTrue(strict ? hi <= t : hi < t, where);
                            }
                        }
                    }
                }
            }
        }
        // the grid reaches every verdict
        assertTrue(straddling > 100 && met > 100 && notMet > 100, straddling + " / " + met + " / " + notMet);
    }

    @Test
    void aStraddlingIntervalIsInconclusive() {
        // the committed run's Dropwizard case: 32.53 ± 2.62 ns/op vs 181.1 ± 170.6 ns/op, point ratio 5.57x;
        // the peer takes 10.4 to 351.7 ns, ours 29.9 to 35.1 ns, so ours is 0.297x to 11.8x as fast
        final TargetSpec.Outcome o = faster(1.0, avgt("ours", 32.530074014250545, 2.619638607685096),
            avgt("peer", 181.07525025678086, 170.635875771247));
        assertEquals(TargetSpec.Status.INCONCLUSIVE, o.status(), o.figure());
        assertEquals("ours = 5.57× peer, CI 0.297×–11.8×: interval straddles 1.00×", o.figure());
    }

    @Test
    void theIntervalIsTheConservativeOneFromBothErrorBounds() {
        final TargetSpec.Interval iv = TargetSpec.ratioInterval(thrpt("ours", 100, 10), thrpt("peer", 20, 2));
        assertEquals(90.0 / 22, iv.low(), 1e-12);
        assertEquals(110.0 / 18, iv.high(), 1e-12);
        // time per operation: rates are inverted before dividing
        final TargetSpec.Interval t = TargetSpec.ratioInterval(avgt("ours", 100, 10), avgt("peer", 400, 40));
        assertEquals(360.0 / 110, t.low(), 1e-12);
        assertEquals(440.0 / 90, t.high(), 1e-12);
    }

    @Test
    void anErrorAsLargeAsTheScoreOpensTheInterval() {
        // the peer's time may be 0: its rate is unbounded above, so ours may be infinitely slower
        final TargetSpec.Outcome slowPeer = faster(3.0, avgt("ours", 100, 1), avgt("peer", 500, 600));
        assertEquals(TargetSpec.Status.INCONCLUSIVE, slowPeer.status(), slowPeer.figure());
        assertTrue(slowPeer.figure().contains("CI 0.00×–"), slowPeer.figure());
        // the peer's throughput may be 0: ours may be infinitely faster
        final TargetSpec.Outcome zeroPeer = faster(3.0, thrpt("ours", 100, 1), thrpt("peer", 20, 25));
        assertEquals(TargetSpec.Status.INCONCLUSIVE, zeroPeer.status(), zeroPeer.figure());
        assertTrue(zeroPeer.figure().contains("–∞: interval straddles 3.00×"), zeroPeer.figure());
    }

    @Test
    void wholeIntervalsOnEitherSideAreMetOrNotMet() {
        final TargetSpec.Outcome met = faster(3.0, thrpt("ours", 400, 10), thrpt("peer", 100, 5));
        assertEquals(TargetSpec.Status.MET, met.status(), met.figure());
        assertTrue(met.figure().endsWith("CI 3.71×–4.32×: whole interval ≥ 3.00×"), met.figure());
        final TargetSpec.Outcome missed = faster(3.0, thrpt("ours", 200, 10), thrpt("peer", 100, 5));
        assertEquals(TargetSpec.Status.NOT_MET, missed.status(), missed.figure());
        assertTrue(missed.figure().endsWith("whole interval < 3.00×"), missed.figure());
    }

    @Test
    void fasterThanMustBeExceededByTheWholeInterval() {
        // the interval's lower end is exactly 1: "faster than" is not shown
        final TargetSpec.Outcome atOne = faster(1.0, thrpt("ours", 110, 10), thrpt("peer", 100, 0));
        assertEquals(TargetSpec.Status.INCONCLUSIVE, atOne.status(), atOne.figure());
        // and an upper end of exactly 1 is a miss
        final TargetSpec.Outcome notFaster = faster(1.0, thrpt("ours", 90, 10), thrpt("peer", 100, 0));
        assertEquals(TargetSpec.Status.NOT_MET, notFaster.status(), notFaster.figure());
    }

    @Test
    void noErrorMeansNoIntervalAndNoVerdict() {
        final TargetSpec.Outcome o = faster(3.0, thrpt("ours", 1000, Double.NaN), thrpt("peer", 100, 1));
        assertEquals(TargetSpec.Status.INCONCLUSIVE, o.status(), o.figure());
        assertTrue(o.figure().endsWith("no CI (JMH gave no error): no interval"), o.figure());
    }

    @Test
    void oneMissMissesTheTargetAndOneDoubtLeavesItOpen() {
        final Map<String, String> x = Map.of("event", "x");
        final Map<String, String> y = Map.of("event", "y");
        final List<JmhResult> metAndStraddling = new ArrayList<>(List.of(
            result("ours", "thrpt", "ops/s", 400, 10, x), result("peer", "thrpt", "ops/s", 100, 5, x),
            result("ours", "thrpt", "ops/s", 300, 100, y), result("peer", "thrpt", "ops/s", 100, 5, y)));
        final TargetSpec target = TargetSpec.speedup("target", SUITE, "ours", "peer", 3.0, Map.of());
        assertEquals(TargetSpec.Status.INCONCLUSIVE, target.evaluate(null, metAndStraddling).status());
        final List<JmhResult> missedAndStraddling = new ArrayList<>(metAndStraddling);
        missedAndStraddling.set(0, result("ours", "thrpt", "ops/s", 150, 10, x));
        assertEquals(TargetSpec.Status.NOT_MET, target.evaluate(null, missedAndStraddling).status());
    }

    @Test
    void aZeroAllocationTargetNeverPassesAFigureItDidNotMeasure() {
        // one benchmark with worker.alloc.norm only, one with gc.alloc.rate.norm only: the judged metric is
        // gc.alloc.rate.norm for all, and the first has none
        final JmhResult workerOnly = new JmhResult("dev.pipescope.benchmarks.StageBenchmark.copy", "StageBenchmark",
            "copy", "thrpt", 1, 1, Map.of(), 100, 1, "ops/s", Double.NaN, Double.NaN, 0, "1.37", "java", List.of(),
            "17", "vm", "17", 5, "1 s", 5, "1 s", Map.of(), List.of());
        final JmhResult gcOnly = new JmhResult("dev.pipescope.benchmarks.StageBenchmark.threshold", "StageBenchmark",
            "threshold", "thrpt", 1, 1, Map.of(), 100, 1, "ops/s", 0.001, 0, Double.NaN, "1.37", "java", List.of(),
            "17", "vm", "17", 5, "1 s", 5, "1 s", Map.of(), List.of());
        final TargetSpec.Outcome o = TargetSpec.zeroAllocation("0 B/op", "StageBenchmark")
            .evaluate(ReportCatalog.suite("StageBenchmark"), List.of(workerOnly, gcOnly));
        assertEquals(TargetSpec.Status.NOT_MEASURED, o.status(), o.figure());
    }
}
