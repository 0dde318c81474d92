package dev.pipescope.stage;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.stage.builtin.AnomalyDetector;
import dev.pipescope.stage.builtin.CalibrationStage;
import dev.pipescope.stage.builtin.FeatureStage;
import dev.pipescope.stage.builtin.NormalizationStage;
import dev.pipescope.stage.builtin.ThresholdFilter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfiguredStageTest {

    private static ConfiguredStage configured(final String name, final Class<? extends Stage> c) {
        final StageType type = StageType.inspect(c);
        return new ConfiguredStage(name, type, type.newInstance());
    }

    private static void assertRefused(final ConfiguredStage stage, final String parameter, final double value,
        final String... expected) {
        final double before = stage.parameter(parameter);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> stage.setParameter(parameter, value));
        final String message = e.getMessage();
        assertTrue(message.contains("stage '" + stage.name() + "'"), "should name the stage: " + message);
        assertTrue(message.contains(parameter), "should name the parameter: " + message);
        for (final String part : expected) {
            assertTrue(message.contains(part), "should contain '" + part + "': " + message);
        }
        assertEquals(before, stage.parameter(parameter), "a refused value must leave the old one");
    }

    @Test
    void acceptedChangeReturnsTheOldValueAndIsVisibleToTheStage() {
        final ConfiguredStage threshold = configured("gate", ThresholdFilter.class);
        assertEquals(20.0, threshold.setParameter("minVal", 30.0));
        assertEquals(30.0, threshold.parameter("minVal"));
        final RecordBatch batch = new RecordBatch(3);
        batch.add(0, 0, 1, 29.9);
        batch.add(0, 0, 2, 30.0);
        batch.add(0, 0, 3, 80.1);
        threshold.process(batch);
        assertEquals(1, batch.size());
        assertEquals(30.0, batch.value[0]);
    }

    @Test
    void outOfBoundsValuesAreRefusedWithTheBounds() {
        final ConfiguredStage feature = configured("feat", FeatureStage.class);
        assertRefused(feature, "alpha", 1.5, "(feature)", "alpha = 1.5 is out of bounds: allowed [1.0E-4, 1.0]");
        assertRefused(feature, "alpha", 0.0, "allowed [1.0E-4, 1.0]");
        final ConfiguredStage anomaly = configured("detector", AnomalyDetector.class);
        assertRefused(anomaly, "zThreshold", -0.1, "allowed [1.0, 1000.0]");
        assertRefused(anomaly, "zThreshold", 0.0, "allowed [1.0, 1000.0]"); // 0 would flag every reading
        assertRefused(anomaly, "warmup", 1, "allowed [2, 1000000]");
        final ConfiguredStage calibrate = configured("cal", CalibrationStage.class);
        assertRefused(calibrate, "cacheTtlMs", 86_400_001, "allowed [0, 86400000]");
    }

    @Test
    void wrongTypesAreRefused() {
        final ConfiguredStage anomaly = configured("detector", AnomalyDetector.class);
        assertRefused(anomaly, "warmup", 2.5, "must be a whole number, was 2.5");
        assertRefused(anomaly, "zThreshold", Double.NaN, "must be a number");
        final ConfiguredStage normalize = configured("norm", NormalizationStage.class);
        assertRefused(normalize, "clamp", 2, "true or false");
        assertEquals(0.0, normalize.setParameter("clamp", 1));
        assertEquals(1.0, normalize.parameter("clamp"));
    }

    @Test
    void inconsistentThresholdPairIsRefused() {
        final ConfiguredStage threshold = configured("gate", ThresholdFilter.class);
        assertRefused(threshold, "minVal", 90, "(threshold)", "minVal = 90.0 must not exceed maxVal = 80.0");
        assertRefused(threshold, "maxVal", 10, "maxVal = 10.0 must not be below minVal = 20.0");
        // raising the upper bound first makes room for the lower one
        threshold.setParameter("maxVal", 90);
        threshold.setParameter("minVal", 85);
        assertEquals(85.0, threshold.parameter("minVal"));
        assertEquals(90.0, threshold.parameter("maxVal"));
        // an empty-width but non-inverted window is allowed
        threshold.setParameter("minVal", 90);
        assertEquals(90.0, threshold.parameter("minVal"));
    }

    @Test
    void normalizeNeedsAPositiveSpan() {
        final ConfiguredStage normalize = configured("norm", NormalizationStage.class);
        assertRefused(normalize, "minVal", 100, "must be below maxVal = 100.0");
        assertRefused(normalize, "maxVal", 0, "must be above minVal = 0.0");
    }

    @Test
    void nonTunableParametersAreRefusedLiveButConfigurableAtAssembly() {
        final ConfiguredStage calibrate = configured("cal", CalibrationStage.class);
        assertRefused(calibrate, "cacheCapacity", 128, "cannot be changed while the pipeline runs");
        assertEquals(64.0, calibrate.parameter("cacheCapacity"));
        calibrate.configure("cacheCapacity", 128);
        assertEquals(128.0, calibrate.parameter("cacheCapacity"));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> calibrate.configure("cacheCapacity", 0));
        assertTrue(e.getMessage().contains("stage 'cal' (calibrate): cacheCapacity = 0 is out of bounds"),
            e.getMessage());
        assertEquals(128.0, calibrate.parameter("cacheCapacity"));
    }

    @Test
    void unknownParameterListsTheValidOnes() {
        final ConfiguredStage threshold = configured("gate", ThresholdFilter.class);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> threshold.setParameter("min", 1));
        assertTrue(e.getMessage().contains("stage 'gate' (threshold) has no parameter 'min'; valid parameters: minVal, maxVal"),
            e.getMessage());
    }

    @Test
    void validateCatchesAnInconsistencyThatConfigureLetThrough() {
        final ConfiguredStage threshold = configured("gate", ThresholdFilter.class);
        threshold.configure("minVal", 90); // configure checks bounds only: order of the config line must not matter
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, threshold::validate);
        assertTrue(e.getMessage().contains("stage 'gate' (threshold)") && e.getMessage().contains("minVal = 90.0"),
            e.getMessage());
        threshold.configure("maxVal", 95);
        threshold.validate();
    }

    @Test
    void listenerIsToldAboutAcceptedChangesOnly() {
        final ConfiguredStage threshold = configured("gate", ThresholdFilter.class);
        final List<String> events = new ArrayList<>();
        final ConfiguredStage.ParameterChangeListener listener = (stage, parameter, oldValue, newValue) ->
            events.add(stage.name() + ":" + parameter.name() + ":" + oldValue + "->" + newValue);
        threshold.addParameterChangeListener(listener);

        threshold.setParameter("maxVal", 70);
        assertThrows(IllegalArgumentException.class, () -> threshold.setParameter("minVal", 75));
        assertThrows(IllegalArgumentException.class, () -> threshold.setParameter("nope", 1));
        threshold.setParameter("maxVal", 70); // no change, no event
        assertEquals(List.of("gate:maxVal:80.0->70.0"), events);

        threshold.removeParameterChangeListener(listener);
        threshold.setParameter("maxVal", 60);
        assertEquals(1, events.size());
    }

    @Test
    void describeShowsCurrentValues() {
        final ConfiguredStage normalize = configured("norm", NormalizationStage.class);
        normalize.setParameter("maxVal", 250);
        normalize.setParameter("clamp", 1);
        final StageDescriptor d = normalize.describe();
        final StageDescriptor.Parameter max = d.parameters().get(1);
        assertEquals("maxVal", max.name());
        assertEquals("100.0", max.defaultValue());
        assertEquals("250.0", max.currentValue());
        assertEquals(250.0, max.numericValue());
        final StageDescriptor.Parameter clamp = d.parameters().get(2);
        assertEquals("false", clamp.defaultValue());
        assertEquals("true", clamp.currentValue());
        assertEquals(1.0, clamp.numericValue());
        // a snapshot: later changes do not alter it
        normalize.setParameter("maxVal", 300);
        assertEquals("250.0", max.currentValue());
        assertEquals("300.0", normalize.describe().parameters().get(1).currentValue());
    }

    @Test
    void aStageOfAnotherTypeIsRefused() {
        final StageType threshold = StageType.inspect(ThresholdFilter.class);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new ConfiguredStage("x", threshold, new FeatureStage()));
        assertTrue(e.getMessage().contains(FeatureStage.class.getName()) && e.getMessage().contains("threshold"));
    }
}
