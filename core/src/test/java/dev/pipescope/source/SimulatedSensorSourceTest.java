package dev.pipescope.source;

import dev.pipescope.calibration.CalibrationService;
import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.calibration.SimulatedCalibrationService;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.PipelineDefinition;
import dev.pipescope.stage.StageCatalog;
import dev.pipescope.stage.StageContext;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatedSensorSourceTest {
    private final CachedEpochClock clock = new CachedEpochClock();

    private double[] readings(final long seed, final int batches, final int size) {
        final SimulatedSensorSource source = new SimulatedSensorSource(new SensorRegistry(8), 5, seed, 0.02, clock);
        final RecordBatch batch = new RecordBatch(size);
        final double[] all = new double[batches * size];
        for (int b = 0; b < batches; b++) {
            assertEquals(size, source.fill(batch));
            System.arraycopy(batch.value, 0, all, b * size, size);
        }
        return all;
    }

    @Test
    void sameSeedSameReadings() {
        final double[] a = readings(42, 5, 100);
        assertArrayEquals(a, readings(42, 5, 100));
        assertFalse(Arrays.equals(a, readings(43, 5, 100)));
    }

    @Test
    void sensorsAreRegisteredAndVisitedRoundRobinAcrossBatches() {
        final SensorRegistry registry = new SensorRegistry(16);
        registry.register("other");
        final SimulatedSensorSource source = new SimulatedSensorSource(registry, 7, 1, 0.0, clock);
        assertEquals(8, registry.size());
        for (int i = 0; i < 7; i++) {
            assertEquals(i + 1, registry.find("S" + i));
        }
        assertTrue(source.describe().contains("sensors=7") && source.describe().contains("seed=1"));
        final RecordBatch batch = new RecordBatch(10);
        long expectedSequence = 1;
        for (int b = 0; b < 3; b++) {
            clock.update(1_000L * b);
            batch.clear();
            batch.add(0, 0, 0, 0); // fill must clear what was there
            assertEquals(10, source.fill(batch));
            assertEquals(10, batch.size());
            for (int i = 0; i < 10; i++) {
                final int reading = b * 10 + i;
                assertEquals(registry.find("S" + (reading % 7)), batch.sensor[i], "reading " + reading);
                assertEquals(expectedSequence++, batch.sequence[i]);
                assertEquals(1_000L * b, batch.timestamp[i]);
                assertEquals(0, batch.flags[i]);
            }
        }
        assertFalse(source.isExhausted());
    }

    @Test
    void readingsAreAroundTheMean() {
        final double[] values = readings(7, 20, 1000);
        double sum = 0;
        for (final double v : values) {
            assertTrue(Double.isFinite(v));
            sum += v;
        }
        assertEquals(SimulatedSensorSource.MEAN, sum / values.length, 0.5);
    }

    @Test
    void argumentsAreChecked() {
        assertThrows(IllegalArgumentException.class,
            () -> new SimulatedSensorSource(new SensorRegistry(4), 0, 1, 0.1, clock));
        assertThrows(IllegalArgumentException.class,
            () -> new SimulatedSensorSource(new SensorRegistry(4), 2, 1, 1.5, clock));
        assertThrows(IllegalArgumentException.class,
            () -> new SimulatedSensorSource(new SensorRegistry(4), 2, 1, Double.NaN, clock));
    }

    @Test
    void everyStageOfTheDefaultPipelineDoesVisibleWork() {
        final SensorRegistry registry = new SensorRegistry(64);
        final CachedNanoClock nanos = new CachedNanoClock();
        final StageContext context = StageContext.builder("sim", registry).clocks(nanos, clock).service(CalibrationService.class, new SimulatedCalibrationService(64)).build();
        final SimulatedSensorSource source = new SimulatedSensorSource(registry, 10, 2026, 0.01, clock);
        final Pipeline pipeline = Pipeline.assemble("sim", PipelineDefinition.defaults(), StageCatalog.discover(),
            context);
        final RecordBatch batch = new RecordBatch(1024);
        long calibrated = 0;
        long anomalies = 0;
        long out = 0;
        double minNormalized = Double.POSITIVE_INFINITY;
        double maxNormalized = Double.NEGATIVE_INFINITY;
        for (int b = 0; b < 200; b++) {
            nanos.advance(10_000_000L);
            source.fill(batch);
            pipeline.process(batch);
            out += batch.size();
            calibrated += batch.countFlagged(RecordBatch.FLAG_CALIBRATED);
            anomalies += batch.countFlagged(RecordBatch.FLAG_ANOMALY);
            for (int i = 0; i < batch.size(); i++) {
                assertTrue(Double.isFinite(batch.normalized[i]));
                assertTrue(Double.isFinite(batch.ewma[i]));
                minNormalized = Math.min(minNormalized, batch.normalized[i]);
                maxNormalized = Math.max(maxNormalized, batch.normalized[i]);
            }
        }
        assertEquals(200 * 1024, pipeline.recordsIn());
        assertTrue(pipeline.metrics(0).totals().recordsOut() < pipeline.metrics(0).totals().recordsIn(), "threshold drops some");
        assertEquals(out, pipeline.recordsOut());
        assertEquals(out, calibrated, "calibrate marks every record while the service is healthy");
        assertTrue(anomalies > 0, "the anomaly detector flags some");
        assertEquals(anomalies, pipeline.alerts());
        assertTrue(anomalies < out / 20, "but not most: " + anomalies);
        // threshold keeps [20, 80]; calibration moves values by at most 2 % and 0.3
        assertTrue(minNormalized >= 0.19 && minNormalized < 0.25, "min normalized " + minNormalized);
        assertTrue(maxNormalized <= 0.82 && maxNormalized > 0.75, "max normalized " + maxNormalized);
    }
}
