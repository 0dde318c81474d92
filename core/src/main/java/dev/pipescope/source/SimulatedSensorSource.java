package dev.pipescope.source;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import org.agrona.concurrent.EpochClock;

import java.util.SplittableRandom;

/**
 * Seeded simulated sensors {@code S0 .. S(n-1)}: Gaussian readings around {@code 50} with standard
 * deviation {@code 10}, round-robin over the sensors, with occasional spikes. Spikes come in two kinds
 * so that every stage of the default pipeline has work: moderate spikes (2.8 to 3.0 standard
 * deviations, still inside the threshold filter's default [20, 80]) that the anomaly detector flags, and
 * gross spikes (4 to 6 standard deviations, outside [20, 80]) that the threshold filter drops. The same
 * seed gives the same readings.
 */
public final class SimulatedSensorSource implements RecordSource {
    /** Mean of the readings. */
    public static final double MEAN = 50.0;
    /** Standard deviation of the readings. */
    public static final double STDEV = 10.0;

    private final int[] sensorIds;
    private final SplittableRandom random;
    private final double spikeProbability;
    private final EpochClock clock;
    private final long seed;
    private long sequence;
    private int nextSensor;

    /**
     * @param registry         where the sensors {@code S0..S(n-1)} are registered.
     * @param sensors          number of sensors, at least 1.
     * @param seed             the random seed.
     * @param spikeProbability chance that a reading is a spike, in [0, 1].
     * @param clock            stamps each batch's readings.
     */
    public SimulatedSensorSource(final SensorRegistry registry, final int sensors, final long seed,
        final double spikeProbability, final EpochClock clock) {
        if (sensors < 1) {
            throw new IllegalArgumentException("sensors must be at least 1, was " + sensors);
        }
        if (!(spikeProbability >= 0 && spikeProbability <= 1)) {
            throw new IllegalArgumentException("spikeProbability must be in [0, 1], was " + spikeProbability);
        }
        sensorIds = new int[sensors];
        for (int i = 0; i < sensors; i++) {
            sensorIds[i] = registry.register("S" + i);
        }
        this.random = new SplittableRandom(seed);
        this.spikeProbability = spikeProbability;
        this.clock = clock;
        this.seed = seed;
    }

    @Override
    public int fill(final RecordBatch batch) {
        batch.clear();
        final long now = clock.time();
        final int n = batch.capacity();
        for (int i = 0; i < n; i++) {
            batch.add(sensorIds[nextSensor], now, ++sequence, nextReading());
            if (++nextSensor == sensorIds.length) {
                nextSensor = 0;
            }
        }
        return n;
    }

    private double nextReading() {
        if (random.nextDouble() < spikeProbability) {
            final double sign = random.nextBoolean() ? 1 : -1;
            final double sigmas = random.nextBoolean()
                ? 2.8 + 0.2 * random.nextDouble()
                : 4.0 + 2.0 * random.nextDouble();
            return MEAN + sign * sigmas * STDEV;
        }
        return MEAN + STDEV * random.nextGaussian();
    }

    @Override
    public boolean isExhausted() {
        return false;
    }

    @Override
    public String describe() {
        return "simulated(sensors=" + sensorIds.length + ", seed=" + seed + ")";
    }
}
