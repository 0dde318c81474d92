package dev.pipescope.pipeline;

import dev.pipescope.calibration.CalibrationService;
import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.calibration.SimulatedCalibrationService;
import dev.pipescope.stage.ConfiguredStage;
import dev.pipescope.stage.StageCatalog;
import dev.pipescope.stage.StageContext;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineDefinitionTest {
    private static final StageCatalog CATALOG = StageCatalog.discover();

    static StageContext context() {
        final SensorRegistry registry = new SensorRegistry(16);
        return StageContext.builder("test", registry).clocks(new CachedNanoClock(), new CachedEpochClock()).service(CalibrationService.class, new SimulatedCalibrationService(16)).build();
    }

    private static Pipeline assemble(final String text) {
        return Pipeline.assemble("p", PipelineDefinition.parse(text, "test.conf"), CATALOG, context());
    }

    private static PipelineConfigException refused(final String text, final int line, final String... expected) {
        final PipelineConfigException e = assertThrows(PipelineConfigException.class, () -> assemble(text));
        assertEquals(line, e.line(), e.getMessage());
        final String prefix = line > 0 ? "test.conf:" + line + ": " : "test.conf: ";
        assertTrue(e.getMessage().startsWith(prefix), "should start with '" + prefix + "': " + e.getMessage());
        for (final String part : expected) {
            assertTrue(e.getMessage().contains(part), "should contain '" + part + "': " + e.getMessage());
        }
        return e;
    }

    @Test
    void defaultsAreTheFiveStagesInOrder() {
        final PipelineDefinition d = PipelineDefinition.defaults();
        assertEquals(List.of("threshold", "calibrate", "normalize", "feature", "adaptive"),
            d.stages().stream().map(PipelineDefinition.StageSpec::type).toList());
        for (final PipelineDefinition.StageSpec s : d.stages()) {
            assertEquals(s.type(), s.name());
            assertTrue(s.parameters().isEmpty());
        }
        final Pipeline p = Pipeline.assemble("p", d, CATALOG, context());
        assertEquals(List.of("threshold", "calibrate", "normalize", "feature", "adaptive"),
            p.stages().stream().map(ConfiguredStage::name).toList());
        assertEquals(20.0, p.stage("threshold").parameter("minVal"));
        assertEquals(0.5, p.stage("adaptive").parameter("threshold"));
    }

    @Test
    void bothDefaultPipelinesEndInTheSameDetectorWithItsDefaultParameters() {
        // what a user gets without a config is what perf-reports/anomaly-eval scored
        for (final PipelineDefinition d : List.of(PipelineDefinition.defaults(), PipelineDefinition.defaultsForInput(),
            PipelineDefinition.defaultsForInput(true))) {
            final PipelineDefinition.StageSpec last = d.stages().get(d.stages().size() - 1);
            assertEquals("adaptive", last.type(), d.toText());
            assertTrue(last.parameters().isEmpty(), d.toText());
        }
    }

    @Test
    void commentsBlankLinesWhitespaceAndNamesAreUnderstood() {
        final String text = "# a pipeline\n"
            + "\n"
            + "   threshold   minVal=10\tmaxVal=90   # wide window\n"
            + "\t\n"
            + "anomaly as detector zThreshold=3.5 warmup=10\n"
            + "anomaly as strict zThreshold=2\n"
            + "normalize clamp=true\n";
        final PipelineDefinition d = PipelineDefinition.parse(text, "test.conf");
        assertEquals(4, d.stages().size());
        assertEquals(3, d.stages().get(0).line());
        assertEquals(Map.of("minVal", "10", "maxVal", "90"), d.stages().get(0).parameters());
        assertEquals("detector", d.stages().get(1).name());
        assertEquals("anomaly", d.stages().get(1).type());
        assertEquals(5, d.stages().get(1).line());

        final Pipeline p = Pipeline.assemble("p", d, CATALOG, context());
        assertEquals(10.0, p.stage("threshold").parameter("minVal"));
        assertEquals(90.0, p.stage("threshold").parameter("maxVal"));
        assertEquals(3.5, p.stage("detector").parameter("zThreshold"));
        assertEquals(10.0, p.stage("detector").parameter("warmup"));
        assertEquals(2.0, p.stage("strict").parameter("zThreshold"));
        assertEquals(30.0, p.stage("strict").parameter("warmup"));
        assertEquals(1.0, p.stage("normalize").parameter("clamp"));
    }

    @Test
    void aUserStageTypeCanBeUsedInAConfig() {
        final Pipeline p = assemble("scale factor=-3\n");
        assertEquals(-3.0, p.stage("scale").parameter("factor"));
    }

    @Test
    void unknownTypeListsTheAvailableTypes() {
        refused("threshold\n\ncalibrat cacheTtlMs=5\n", 3, "unknown stage type 'calibrat'",
            "available types: ", "threshold", "calibrate", "normalize", "feature", "anomaly");
    }

    @Test
    void unknownParameterListsTheValidOnes() {
        refused("normalize\nthreshold min=10\n", 2,
            "stage 'threshold' (threshold) has no parameter 'min'; valid parameters: minVal, maxVal");
        refused("anomaly as det zthreshold=3\n", 1, "stage 'det' (anomaly) has no parameter 'zthreshold'",
            "zThreshold, warmup, minStdev");
    }

    @Test
    void outOfBoundsGivesTheBounds() {
        refused("feature alpha=1.5\n", 1, "stage 'feature' (feature): alpha = 1.5 is out of bounds: allowed [1.0E-4, 1.0]");
        refused("calibrate cacheCapacity=0", 1, "cacheCapacity = 0 is out of bounds: allowed [1, 1048576]");
        refused("\nanomaly warmup=1", 2, "warmup = 1 is out of bounds: allowed [2, 1000000]");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "feature alpha=fast | alpha must be a number, was 'fast'",
        "anomaly warmup=2.5 | warmup must be a whole number, was '2.5'",
        "anomaly warmup=ten | warmup must be a whole number, was 'ten'",
        "calibrate cacheTtlMs=1s | cacheTtlMs must be a whole number, was '1s'",
        "normalize clamp=yes | clamp must be true or false, was 'yes'",
        "anomaly zThreshold=NaN | zThreshold must be a number, was NaN",
    })
    void unparsableValuesNameTheType(final String line, final String expected) {
        refused("threshold\n" + line + "\n", 2, expected);
    }

    @Test
    void duplicateStageNamesAreRefused() {
        refused("threshold\nnormalize\nthreshold minVal=5\n", 3, "stage name 'threshold' is used twice", "as NAME");
        refused("feature as f\nanomaly as f\n", 2, "stage name 'f' is used twice");
        assemble("threshold\nthreshold as second\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "threshold minVal | 'minVal' is not PARAMETER=VALUE",
        "threshold minVal= | 'minVal=' is not PARAMETER=VALUE",
        "threshold =5 | '=5' is not PARAMETER=VALUE",
        "minVal=5 | a line must start with a stage type, found 'minVal=5'",
        "threshold as | 'as' must be followed by the stage's name",
        "threshold as minVal=5 | 'as' must be followed by the stage's name",
        "threshold as bad/name | stage name 'bad/name' may only hold letters, digits",
        "threshold minVal=1 minVal=2 | parameter minVal is set twice",
    })
    void malformedLinesAreRefusedWithTheirLineNumber(final String line, final String expected) {
        final String text = "# header\nnormalize\n" + line + "\nfeature\n";
        final PipelineConfigException e = assertThrows(PipelineConfigException.class,
            () -> PipelineDefinition.parse(text, "test.conf"));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith("test.conf:3: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void emptyConfigIsRefused() {
        for (final String text : new String[] {"", "\n\n", "# nothing but comments\n   # and more\n"}) {
            final PipelineConfigException e = assertThrows(PipelineConfigException.class,
                () -> PipelineDefinition.parse(text, "empty.conf"));
            assertEquals(0, e.line());
            assertTrue(e.getMessage().startsWith("empty.conf: the pipeline defines no stage"), e.getMessage());
        }
        final PipelineConfigException e = assertThrows(PipelineConfigException.class,
            () -> Pipeline.assemble("p", PipelineDefinition.empty(), CATALOG, context()));
        assertTrue(e.getMessage().contains("defines no stage"), e.getMessage());
    }

    @Test
    void inconsistentPairIsRefusedButAValidPairIsAcceptedInAnyOrder() {
        refused("threshold minVal=90 maxVal=10\n", 1, "stage 'threshold' (threshold)", "minVal = 90.0",
            "maxVal = 10.0");
        refused("normalize minVal=5 maxVal=5\n", 1, "stage 'normalize' (normalize)", "span must be positive");
        for (final String text : new String[] {"threshold minVal=85 maxVal=90", "threshold maxVal=90 minVal=85"}) {
            final Pipeline p = assemble(text);
            assertEquals(85.0, p.stage("threshold").parameter("minVal"), text);
            assertEquals(90.0, p.stage("threshold").parameter("maxVal"), text);
        }
        // a single value clashing with the other's default
        refused("threshold minVal=85\n", 1, "minVal = 85.0 must not exceed maxVal = 80.0");
    }

    @Test
    void toTextRoundTrips() {
        final String text = "# comment\nthreshold minVal=10 maxVal=90\n\ncalibrate cacheTtlMs=250\n"
            + "anomaly as detector zThreshold=3.0 warmup=5\nnormalize\n";
        final PipelineDefinition d = PipelineDefinition.parse(text, "a.conf");
        final String written = d.toText();
        assertEquals("threshold minVal=10 maxVal=90\ncalibrate cacheTtlMs=250\n"
            + "anomaly as detector zThreshold=3.0 warmup=5\nnormalize\n", written);
        final PipelineDefinition again = PipelineDefinition.parse(written, "b.conf");
        assertEquals(d.stages().size(), again.stages().size());
        for (int i = 0; i < d.stages().size(); i++) {
            final PipelineDefinition.StageSpec a = d.stages().get(i);
            final PipelineDefinition.StageSpec b = again.stages().get(i);
            assertEquals(a.type(), b.type());
            assertEquals(a.name(), b.name());
            assertEquals(List.copyOf(a.parameters().entrySet()), List.copyOf(b.parameters().entrySet()));
        }
        assertEquals(written, again.toText());
        assertEquals(PipelineDefinition.defaults().toText(),
            PipelineDefinition.parse(PipelineDefinition.defaults().toText(), "x").toText());
    }

    @Test
    void definitionsBuiltInCodeAreCheckedToo() {
        final PipelineDefinition d = PipelineDefinition.empty()
            .stage("threshold", "minVal", "0", "maxVal", "100")
            .namedStage("anomaly", "z", "zThreshold", "4");
        assertEquals("threshold minVal=0 maxVal=100\nanomaly as z zThreshold=4\n", d.toText());
        final Pipeline p = Pipeline.assemble("p", d, CATALOG, context());
        assertEquals(4.0, p.stage("z").parameter("zThreshold"));

        final PipelineConfigException e = assertThrows(PipelineConfigException.class, () -> Pipeline.assemble("p",
            PipelineDefinition.empty().stage("feature", "alpha", "9"), CATALOG, context()));
        assertTrue(e.getMessage().startsWith("<code>: stage 'feature' (feature): alpha = 9.0 is out of bounds"),
            e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PipelineDefinition.empty().stage("feature", "alpha"));
    }
}
