package dev.pipescope.stage.builtin;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.calibration.CalibrationService;
import dev.pipescope.calibration.SimulatedCalibrationService;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.PipelineDefinition;
import dev.pipescope.source.SimulatedSensorSource;
import dev.pipescope.stage.StageCatalog;
import dev.pipescope.stage.StageContext;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the default detector does with the simulator's spikes, pinned because the README states it. The
 * simulator's moderate spikes (2.8 to 3 stdev) survive the threshold filter's 20..80 (3 stdev), but so do
 * the Gaussian's own readings of that size, and about as many of them: no detector that sees only the values
 * can tell the two apart. {@code adaptive} (the default, with the parameters chosen on NAB) flags about half
 * of each; {@code anomaly} flags every spike and four times as many ordinary readings beyond 2.5 stdev.
 *
 * <p>The spikes are labelled by replaying the simulator's draws, and the replay is checked reading by
 * reading against {@link SimulatedSensorSource}, so a change of the simulator fails here loudly rather than
 * mislabelling.
 */
class SimulatedSpikesDetectionTest {
    private static final int SENSORS = 10;
    private static final long SEED = 42;
    private static final double SPIKE_PROBABILITY = 0.005;
    private static final int BATCHES = 300;
    private static final int BATCH = 1024;

    private static final byte NORMAL = 0;
    private static final byte MODERATE = 1;
    private static final byte GROSS = 2;

    /** What one detector flagged, by kind of reading. */
    private record Counts(long moderateSpikes, long moderateFlagged, long normalBeyond28, long normalBeyond28Flagged,
        long normalFlagged, long flags) {
        double spikeRecall() {
            return (double) moderateFlagged / moderateSpikes;
        }

        double normalBeyond28Rate() {
            return (double) normalBeyond28Flagged / normalBeyond28;
        }
    }

    /** The simulator's draws (see SimulatedSensorSource.nextReading), with each reading's kind. */
    private static final class Replay {
        private final SplittableRandom random = new SplittableRandom(SEED);
        byte kind;

        double next() {
            if (random.nextDouble() < SPIKE_PROBABILITY) {
                final double sign = random.nextBoolean() ? 1 : -1;
                final boolean moderate = random.nextBoolean();
                final double sigmas = moderate ? 2.8 + 0.2 * random.nextDouble() : 4.0 + 2.0 * random.nextDouble();
                kind = moderate ? MODERATE : GROSS;
                return SimulatedSensorSource.MEAN + sign * sigmas * SimulatedSensorSource.STDEV;
            }
            kind = NORMAL;
            return SimulatedSensorSource.MEAN + SimulatedSensorSource.STDEV * random.nextGaussian();
        }
    }

    private static Counts run(final String detector) {
        final SensorRegistry registry = new SensorRegistry(64);
        final CachedEpochClock clock = new CachedEpochClock();
        final StageContext context = StageContext.builder("sim", registry).clocks(new CachedNanoClock(), clock)
            .service(CalibrationService.class, new SimulatedCalibrationService(64)).build();
        final SimulatedSensorSource source = new SimulatedSensorSource(registry, SENSORS, SEED, SPIKE_PROBABILITY, clock);
        final PipelineDefinition stages = detector == null ? PipelineDefinition.defaults()
            : PipelineDefinition.parse("threshold\ncalibrate\nnormalize\nfeature\n" + detector + "\n", "<test>");
        final Replay replay = new Replay();
        final byte[] kinds = new byte[BATCHES * BATCH + 1];
        final RecordBatch batch = new RecordBatch(BATCH);
        long moderate = 0;
        long moderateFlagged = 0;
        long beyond = 0;
        long beyondFlagged = 0;
        long normalFlagged = 0;
        try (Pipeline pipeline = Pipeline.assemble("sim", stages, StageCatalog.discover(), context)) {
            for (int b = 0; b < BATCHES; b++) {
                source.fill(batch);
                for (int i = 0; i < batch.size(); i++) {
                    assertEquals(replay.next(), batch.raw[i], "the replay is the simulator, reading " + batch.sequence[i]);
                    kinds[(int) batch.sequence[i]] = replay.kind;
                }
                pipeline.process(batch);
                for (int i = 0; i < batch.size(); i++) {
                    final byte kind = kinds[(int) batch.sequence[i]];
                    final boolean flagged = (batch.flags[i] & RecordBatch.FLAG_ANOMALY) != 0;
                    assertTrue(kind != GROSS, "the threshold drops every gross spike");
                    if (kind == MODERATE) {
                        moderate++;
                        moderateFlagged += flagged ? 1 : 0;
                    } else {
                        normalFlagged += flagged ? 1 : 0;
                        if (Math.abs(batch.raw[i] - SimulatedSensorSource.MEAN) >= 2.8 * SimulatedSensorSource.STDEV) {
                            beyond++;
                            beyondFlagged += flagged ? 1 : 0;
                        }
                    }
                }
            }
            return new Counts(moderate, moderateFlagged, beyond, beyondFlagged, normalFlagged, pipeline.alerts());
        }
    }

    @Test
    void theModerateSpikesShareTheirRangeWithAsManyOrdinaryReadings() {
        final Counts c = run(null);
        assertTrue(c.moderateSpikes() > 500, c.toString());
        final double ratio = (double) c.normalBeyond28() / c.moderateSpikes();
        assertTrue(ratio > 0.7 && ratio < 1.4, "ordinary readings at 2.8 to 3 stdev per moderate spike: " + ratio);
    }

    @Test
    void theDefaultDetectorFlagsAboutHalfOfTheModerateSpikesAndOfTheOrdinaryReadingsOfTheirSize() {
        final Counts c = run(null);
        assertTrue(c.spikeRecall() > 0.3 && c.spikeRecall() < 0.7, "spikes flagged: " + c);
        assertTrue(Math.abs(c.normalBeyond28Rate() - c.spikeRecall()) < 0.15,
            "it treats a spike and an ordinary reading of the same size alike: " + c);
        assertTrue(c.normalFlagged() < 2 * c.moderateFlagged(), "few flags elsewhere: " + c);
    }

    @Test
    void theZScoreDetectorFlagsEverySpikeAndFourTimesAsManyOrdinaryReadings() {
        final Counts c = run("anomaly");
        assertEquals(c.moderateSpikes(), c.moderateFlagged(), c.toString());
        assertTrue(c.normalFlagged() > 3 * c.moderateFlagged(), "it flags the Gaussian's tail beyond 2.5 stdev: " + c);
    }
}
