package dev.pipescope.stage;

import dev.pipescope.calibration.CalibrationService;
import dev.pipescope.batch.RecordBatch;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.calibration.SimulatedCalibrationService;
import dev.pipescope.stage.builtin.AnomalyDetector;
import dev.pipescope.stage.builtin.CalibrationStage;
import dev.pipescope.stage.builtin.FeatureStage;
import dev.pipescope.stage.builtin.NormalizationStage;
import dev.pipescope.stage.builtin.ThresholdFilter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stage SPI contract: what inspection reports for each built-in and what it refuses. */
public class StageTypeTest {

    // ---------------------------------------------------------------- built-in descriptors

    private static void assertParameter(final StageType type, final String name, final ParameterSpec.Kind kind,
        final double defaultValue, final double min, final double max, final String bounds, final boolean tunable) {
        final ParameterSpec p = type.parameter(name);
        assertTrue(p != null, type.name() + " has no parameter " + name);
        assertEquals(kind, p.kind(), name);
        assertEquals(defaultValue, p.defaultValue(), name);
        assertEquals(min, p.min(), name);
        assertEquals(max, p.max(), name);
        assertEquals(bounds, p.boundsText(), name);
        assertEquals(tunable, p.tunable(), name);
        assertFalse(p.description().isBlank(), name);
    }

    private static List<String> names(final StageType type) {
        return type.parameters().stream().map(ParameterSpec::name).toList();
    }

    @Test
    void threshold() {
        final StageType t = StageType.inspect(ThresholdFilter.class);
        assertEquals("threshold", t.name());
        assertEquals("Filters records outside [minVal, maxVal] range.", t.description());
        assertEquals(ThresholdFilter.class, t.stageClass());
        assertEquals("process(RecordBatch batch, double minVal=20.0, double maxVal=80.0)", t.processSignature());
        assertEquals(List.of("minVal", "maxVal"), names(t));
        final double inf = Double.POSITIVE_INFINITY;
        assertParameter(t, "minVal", ParameterSpec.Kind.DOUBLE, 20.0, -inf, inf, "[-inf, +inf]", true);
        assertParameter(t, "maxVal", ParameterSpec.Kind.DOUBLE, 80.0, -inf, inf, "[-inf, +inf]", true);
    }

    @Test
    void calibrate() {
        final StageType t = StageType.inspect(CalibrationStage.class);
        assertEquals("calibrate", t.name());
        assertEquals("Applies per-sensor gain/offset from the calibration service, through a cache.", t.description());
        assertEquals("process(RecordBatch batch, long cacheTtlMs=1000, int cacheCapacity=64,"
            + " double failureRateThreshold=0.5, int breakerWindow=20, int breakerMinCalls=5, long openDurationMs=2000,"
            + " int halfOpenTrials=3, int retryAttempts=3, long retryBackoffMicros=200, long retryBudgetMicros=2000)",
            t.processSignature());
        assertEquals(List.of("cacheTtlMs", "cacheCapacity", "failureRateThreshold", "breakerWindow", "breakerMinCalls",
            "openDurationMs", "halfOpenTrials", "retryAttempts", "retryBackoffMicros", "retryBudgetMicros"), names(t));
        assertParameter(t, "failureRateThreshold", ParameterSpec.Kind.DOUBLE, 0.5, 0.01, 1.0, "[0.01, 1.0]", true);
        assertParameter(t, "retryAttempts", ParameterSpec.Kind.INT, 3, 1, 10, "[1, 10]", false);
        assertParameter(t, "cacheTtlMs", ParameterSpec.Kind.LONG, 1000, 0, 86_400_000, "[0, 86400000]", true);
        assertEquals("ms", t.parameter("cacheTtlMs").unit());
        assertParameter(t, "cacheCapacity", ParameterSpec.Kind.INT, 64, 1, 1 << 20, "[1, 1048576]", false);
        assertEquals("", t.parameter("cacheCapacity").unit());
    }

    @Test
    void normalize() {
        final StageType t = StageType.inspect(NormalizationStage.class);
        assertEquals("normalize", t.name());
        assertEquals("Normalizes record values to [0, 1] range.", t.description());
        assertEquals("process(RecordBatch batch, double minVal=0.0, double maxVal=100.0, boolean clamp=false)",
            t.processSignature());
        assertEquals(List.of("minVal", "maxVal", "clamp"), names(t));
        final double inf = Double.POSITIVE_INFINITY;
        assertParameter(t, "minVal", ParameterSpec.Kind.DOUBLE, 0.0, -inf, inf, "[-inf, +inf]", true);
        assertParameter(t, "maxVal", ParameterSpec.Kind.DOUBLE, 100.0, -inf, inf, "[-inf, +inf]", true);
        assertParameter(t, "clamp", ParameterSpec.Kind.BOOLEAN, 0, 0, 1, "true or false", true);
    }

    @Test
    void feature() {
        final StageType t = StageType.inspect(FeatureStage.class);
        assertEquals("feature", t.name());
        assertEquals("Computes per-sensor EWMA and change since the last reading.", t.description());
        assertEquals("process(RecordBatch batch, double alpha=0.2)", t.processSignature());
        assertParameter(t, "alpha", ParameterSpec.Kind.DOUBLE, 0.2, 0.0001, 1.0, "[1.0E-4, 1.0]", true);
    }

    @Test
    void anomaly() {
        final StageType t = StageType.inspect(AnomalyDetector.class);
        assertEquals("anomaly", t.name());
        assertEquals("Detects statistical anomalies using z-score threshold.", t.description());
        assertEquals("process(RecordBatch batch, double zThreshold=2.5, int warmup=30, double minStdev=1.0E-9)",
            t.processSignature());
        assertEquals(List.of("zThreshold", "warmup", "minStdev"), names(t));
        assertParameter(t, "zThreshold", ParameterSpec.Kind.DOUBLE, 2.5, 1.0, 1000.0,
            "[1.0, 1000.0]", true);
        assertParameter(t, "warmup", ParameterSpec.Kind.INT, 30, 2, 1_000_000, "[2, 1000000]", true);
        assertParameter(t, "minStdev", ParameterSpec.Kind.DOUBLE, 1e-9, 1e-12, 1e6, "[1.0E-12, 1000000.0]", true);
    }

    @Test
    void describeReportsTheSameContractWithCurrentValues() {
        final StageType t = StageType.inspect(CalibrationStage.class);
        final ConfiguredStage stage = new ConfiguredStage("cal", t, t.newInstance());
        final StageDescriptor d = stage.describe();
        assertEquals("cal", d.stageName());
        assertEquals("calibrate", d.typeName());
        assertEquals(CalibrationStage.class.getName(), d.className());
        assertEquals(t.description(), d.description());
        assertEquals(t.processSignature(), d.processSignature());
        assertEquals(10, d.parameters().size());
        final StageDescriptor.Parameter ttl = d.parameters().get(0);
        assertEquals("cacheTtlMs", ttl.name());
        assertEquals("long", ttl.type());
        assertEquals("1000", ttl.defaultValue());
        assertEquals("1000", ttl.currentValue());
        assertEquals(1000.0, ttl.numericValue());
        assertEquals("[0, 86400000]", ttl.bounds());
        assertEquals("ms", ttl.unit());
        assertTrue(ttl.tunable());
        final StageDescriptor.Parameter capacity = d.parameters().get(1);
        assertEquals("int", capacity.type());
        assertFalse(capacity.tunable());
    }

    @Test
    void newInstanceGivesFreshStagesWithDefaults() {
        final StageType t = StageType.inspect(ThresholdFilter.class);
        final Stage a = t.newInstance();
        final Stage b = t.newInstance();
        assertNotSame(a, b);
        assertEquals(20.0, t.parameter("minVal").get(a));
        assertNull(t.parameter("nope"));
        assertEquals("minVal, maxVal", t.parameterNames());
    }

    // ---------------------------------------------------------------- contract violations

    /** Not a stage at all. */
    public static class NotAStage {
        public void process(final RecordBatch batch) {
        }
    }

    /** Abstract. */
    @StageDefinition(type = "abstract", description = "x")
    public abstract static class AbstractStage implements Stage {
    }

    /** Package-private. */
    @StageDefinition(type = "hidden", description = "x")
    static class HiddenStage implements Stage {
        @Override
        public void process(final RecordBatch batch) {
        }
    }

    /** No annotation. */
    public static class UnannotatedStage implements Stage {
        @Override
        public void process(final RecordBatch batch) {
        }
    }

    /** Upper case and a space in its type name. */
    @StageDefinition(type = "My Stage", description = "x")
    public static class BadTypeNameStage implements Stage {
        @Override
        public void process(final RecordBatch batch) {
        }
    }

    /** Blank description. */
    @StageDefinition(type = "blank", description = "  ")
    public static class BlankDescriptionStage implements Stage {
        @Override
        public void process(final RecordBatch batch) {
        }
    }

    /** Only a constructor with an argument. */
    @StageDefinition(type = "noctor", description = "x")
    public static class NoDefaultConstructorStage implements Stage {
        public NoDefaultConstructorStage(final int factor) {
        }

        @Override
        public void process(final RecordBatch batch) {
        }
    }

    /** The constructor throws. */
    @StageDefinition(type = "throwing", description = "x")
    public static class ThrowingConstructorStage implements Stage {
        public ThrowingConstructorStage() {
            throw new IllegalStateException("boom");
        }

        @Override
        public void process(final RecordBatch batch) {
        }
    }

    /** Tunable but not volatile. */
    @StageDefinition(type = "nonvolatile", description = "x")
    public static class NonVolatileStage implements Stage {
        @Parameter(description = "a factor")
        double factor = 1.0;

        @Override
        public void process(final RecordBatch batch) {
        }
    }

    /** A String parameter. */
    @StageDefinition(type = "stringy", description = "x")
    public static class StringParameterStage implements Stage {
        @Parameter(description = "a label")
        volatile String label = "x";

        @Override
        public void process(final RecordBatch batch) {
        }
    }

    /** A float parameter. */
    @StageDefinition(type = "floaty", description = "x")
    public static class FloatParameterStage implements Stage {
        @Parameter(description = "a factor")
        volatile float factor = 1f;

        @Override
        public void process(final RecordBatch batch) {
        }
    }

    /** A static parameter. */
    @StageDefinition(type = "static", description = "x")
    public static class StaticParameterStage implements Stage {
        @Parameter(description = "a factor")
        static volatile double factor = 1.0;

        @Override
        public void process(final RecordBatch batch) {
        }
    }

    /** A final parameter. */
    @StageDefinition(type = "final", description = "x")
    public static class FinalParameterStage implements Stage {
        @Parameter(description = "a factor", tunable = false)
        final double factor = 1.0;

        @Override
        public void process(final RecordBatch batch) {
        }
    }

    /** Default outside the declared bounds. */
    @StageDefinition(type = "outofbounds", description = "x")
    public static class DefaultOutOfBoundsStage implements Stage {
        @Parameter(description = "a ratio", min = 0, max = 1)
        volatile double ratio = 5.0;

        @Override
        public void process(final RecordBatch batch) {
        }
    }

    /** Int default below the bounds. */
    @StageDefinition(type = "intoutofbounds", description = "x")
    public static class IntDefaultOutOfBoundsStage implements Stage {
        @Parameter(description = "a count", min = 1, max = 10)
        volatile int count;

        @Override
        public void process(final RecordBatch batch) {
        }
    }

    /** min above max. */
    @StageDefinition(type = "reversed", description = "x")
    public static class ReversedBoundsStage implements Stage {
        @Parameter(description = "a ratio", min = 1, max = 0)
        volatile double ratio = 0.5;

        @Override
        public void process(final RecordBatch batch) {
        }
    }

    /** No parameter description. */
    @StageDefinition(type = "undescribed", description = "x")
    public static class UndescribedParameterStage implements Stage {
        @Parameter(description = "")
        volatile double ratio = 0.5;

        @Override
        public void process(final RecordBatch batch) {
        }
    }

    /** Defaults each within bounds, but inconsistent together. */
    @StageDefinition(type = "inconsistent", description = "x")
    public static class InconsistentDefaultsStage implements Stage {
        @Parameter(description = "low")
        volatile double low = 10;

        @Parameter(description = "high")
        volatile double high = 5;

        @Override
        public void process(final RecordBatch batch) {
        }

        @Override
        public String checkChange(final String parameter, final double candidate) {
            if ("low".equals(parameter) && candidate > high) {
                return "low = " + candidate + " must not exceed high = " + high;
            }
            return null;
        }
    }

    /** A base with a parameter. */
    public abstract static class BaseStage implements Stage {
        @Parameter(description = "from the base")
        volatile double base = 1;
    }

    /** Inherits a parameter and adds one. */
    @StageDefinition(type = "derived", description = "  inherits a parameter  ")
    public static class DerivedStage extends BaseStage {
        @Parameter(description = "own", min = 0, max = 10)
        volatile int own = 3;

        @Override
        public void process(final RecordBatch batch) {
        }
    }

    /** Redeclares the base's parameter. */
    @StageDefinition(type = "shadowing", description = "x")
    public static class ShadowingStage extends BaseStage {
        @Parameter(description = "again")
        volatile double base = 2;

        @Override
        public void process(final RecordBatch batch) {
        }
    }

    /** A valid stage with every parameter kind. */
    @StageDefinition(type = "all-kinds_2", description = "every kind")
    public static class AllKindsStage implements Stage {
        @Parameter(description = "d", min = -1.5, max = 1.5)
        volatile double d = 0.25;

        @Parameter(description = "i")
        volatile int i = -7;

        @Parameter(description = "l", min = 0, unit = "ns")
        volatile long l = 5_000_000_000L;

        @Parameter(description = "b", tunable = false)
        boolean b = true;

        @Override
        public void process(final RecordBatch batch) {
        }
    }

    private static void assertViolation(final Class<?> c, final String... expected) {
        final StageContractException e = assertThrows(StageContractException.class, () -> StageType.inspect(c));
        final String message = e.getMessage();
        assertTrue(message.contains(c.getName()), "message should name the class: " + message);
        assertTrue(message.contains("breaks the Stage contract"), message);
        for (final String part : expected) {
            assertTrue(message.contains(part), "message should contain '" + part + "': " + message);
        }
    }

    @Test
    void notImplementingStageIsRefused() {
        assertViolation(NotAStage.class, "does not implement dev.pipescope.stage.Stage",
            "has no process(RecordBatch) method");
    }

    @Test
    void abstractClassesAndInterfacesAreRefused() {
        assertViolation(AbstractStage.class, "abstract");
        assertViolation(Stage.class, "abstract");
    }

    @Test
    void nonPublicClassIsRefused() {
        assertViolation(HiddenStage.class, "not public");
    }

    @Test
    void missingAnnotationIsRefused() {
        assertViolation(UnannotatedStage.class, "has no @StageDefinition(type = ..., description = ...)");
    }

    @Test
    void badTypeNameIsRefused() {
        assertViolation(BadTypeNameStage.class, "type name 'My Stage'", "[a-z][a-z0-9_-]*");
    }

    @Test
    void blankDescriptionIsRefused() {
        assertViolation(BlankDescriptionStage.class, "empty description");
    }

    @Test
    void missingNoArgConstructorIsRefused() {
        assertViolation(NoDefaultConstructorStage.class, "no public no-argument constructor");
    }

    @Test
    void throwingConstructorIsRefused() {
        assertViolation(ThrowingConstructorStage.class, "constructor threw", "boom");
    }

    @Test
    void nonVolatileTunableFieldIsRefused() {
        assertViolation(NonVolatileStage.class, "tunable parameter 'factor' must be volatile", "tunable = false");
    }

    @Test
    void unsupportedFieldTypesAreRefused() {
        assertViolation(StringParameterStage.class, "parameter 'label' has type java.lang.String",
            "supported types are double, int, long, boolean");
        assertViolation(FloatParameterStage.class, "parameter 'factor' has type float");
    }

    @Test
    void staticOrFinalParameterFieldsAreRefused() {
        assertViolation(StaticParameterStage.class, "parameter field 'factor' is static");
        assertViolation(FinalParameterStage.class, "parameter field 'factor' is final");
    }

    @Test
    void defaultOutOfBoundsIsRefused() {
        assertViolation(DefaultOutOfBoundsStage.class, "default 5.0", "'" + DefaultOutOfBoundsStage.class.getName()
            + ".ratio'", "outside its bounds [0.0, 1.0]");
        assertViolation(IntDefaultOutOfBoundsStage.class, "default 0", "outside its bounds [1, 10]");
    }

    @Test
    void reversedBoundsAreRefused() {
        assertViolation(ReversedBoundsStage.class, "parameter 'ratio' has bounds [1.0, 0.0]", "min must not exceed max");
    }

    @Test
    void blankParameterDescriptionIsRefused() {
        assertViolation(UndescribedParameterStage.class, "parameter 'ratio' has no description");
    }

    @Test
    void inconsistentDefaultsAreRefusedThroughCheckChange() {
        assertViolation(InconsistentDefaultsStage.class, "defaults are inconsistent", "low = 10.0 must not exceed high = 5.0");
    }

    @Test
    void parameterRedeclaredInSubclassIsRefused() {
        assertViolation(ShadowingStage.class, "parameter 'base' is declared twice");
    }

    @Test
    void inheritedParametersComeFirst() {
        final StageType t = StageType.inspect(DerivedStage.class);
        assertEquals("derived", t.name());
        assertEquals("inherits a parameter", t.description());
        assertEquals(List.of("base", "own"), names(t));
        assertEquals("process(RecordBatch batch, double base=1.0, int own=3)", t.processSignature());
        final DerivedStage s = (DerivedStage) t.newInstance();
        t.parameter("base").set(s, 4.5);
        assertEquals(4.5, s.base);
    }

    @Test
    void everyParameterKindIsReadWrittenAndFormatted() {
        final StageType t = StageType.inspect(AllKindsStage.class);
        assertEquals("all-kinds_2", t.name());
        assertEquals("process(RecordBatch batch, double d=0.25, int i=-7, long l=5000000000, boolean b=true)",
            t.processSignature());
        assertEquals("[-inf, +inf]", t.parameter("i").boundsText());
        assertEquals("[0, +inf]", t.parameter("l").boundsText());
        assertEquals("ns", t.parameter("l").unit());
        assertEquals(1.0, t.parameter("b").defaultValue());
        final AllKindsStage s = (AllKindsStage) t.newInstance();
        t.parameter("i").set(s, 12);
        t.parameter("l").set(s, 9_007_199_254_740_992.0);
        t.parameter("b").set(s, 0);
        assertEquals(12, s.i);
        assertEquals(9_007_199_254_740_992L, s.l);
        assertFalse(s.b);
        assertEquals(0.0, t.parameter("b").get(s));
        // parsing from text, as a config file or JMX client gives values
        assertEquals(1.0, t.parameter("b").parse("TRUE"));
        assertEquals(42.0, t.parameter("i").parse(" 42 "));
        final IllegalArgumentException notInt = assertThrows(IllegalArgumentException.class,
            () -> t.parameter("i").parse("4.5"));
        assertTrue(notInt.getMessage().contains("i must be a whole number, was '4.5'"), notInt.getMessage());
        final IllegalArgumentException notBool = assertThrows(IllegalArgumentException.class,
            () -> t.parameter("b").parse("yes"));
        assertTrue(notBool.getMessage().contains("b must be true or false"), notBool.getMessage());
        final IllegalArgumentException notNumber = assertThrows(IllegalArgumentException.class,
            () -> t.parameter("d").parse("abc"));
        assertTrue(notNumber.getMessage().contains("d must be a number, was 'abc'"), notNumber.getMessage());
    }

    @Test
    void checkRefusesWrongTypesAndOutOfBoundsValues() {
        final StageType t = StageType.inspect(AllKindsStage.class);
        assertNull(t.parameter("d").check(1.5));
        assertNull(t.parameter("d").check(-1.5));
        assertTrue(t.parameter("d").check(1.5000001).contains("out of bounds: allowed [-1.5, 1.5]"));
        assertTrue(t.parameter("d").check(Double.NaN).contains("must be a number"));
        assertTrue(t.parameter("i").check(2.5).contains("must be a whole number"));
        assertTrue(t.parameter("i").check(Double.POSITIVE_INFINITY).contains("must be a whole number"));
        assertTrue(t.parameter("i").check(3e9).contains("out of bounds"));
        assertTrue(t.parameter("l").check(-1).contains("out of bounds: allowed [0, +inf]"));
        assertTrue(t.parameter("b").check(2).contains("true or false"));
        assertNull(t.parameter("b").check(0));
    }

    @Test
    void stageContextRejectsMissingServices() {
        final SensorRegistry registry = new SensorRegistry(1);
        assertThrows(NullPointerException.class, () -> StageContext.builder("p", null).service(CalibrationService.class, new SimulatedCalibrationService(1)).build());
        assertEquals("p", StageContext.builder("p", registry).service(CalibrationService.class, new SimulatedCalibrationService(1)).build().pipelineName());
    }
}
