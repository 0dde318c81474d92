package dev.pipescope.stage;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.stage.builtin.ThresholdFilter;
import dev.pipescope.stage.fixtures.NotAStage;
import dev.pipescope.stage.fixtures.ScaleStage;
import dev.pipescope.stage.fixtures.UnannotatedStage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class StageCatalogTest {

    @Test
    void discoverOffersTheFiveBuiltInsInServiceFileOrder() {
        final StageCatalog catalog = StageCatalog.discover();
        final List<String> builtIns = List.of("threshold", "calibrate", "normalize", "feature", "anomaly");
        // other jars' service files (here the test classpath's) may come before or after core's
        final List<String> names = catalog.types().stream().map(StageType::name).filter(builtIns::contains).toList();
        assertEquals(builtIns, names);
        for (final StageType t : catalog.types()) {
            if (builtIns.contains(t.name())) {
                assertEquals("dev.pipescope.stage.builtin", t.stageClass().getPackageName());
            }
        }
        assertEquals(ThresholdFilter.class, catalog.find("threshold").stageClass());
        assertNull(catalog.find("no-such-type"));
        for (final String name : builtIns) {
            assertTrue(catalog.typeNames().contains(name), catalog.typeNames());
        }
    }

    @Test
    void aUsersJarAddsAStageTypeThroughItsServiceFile() {
        final StageCatalog catalog = StageCatalog.discover();
        final StageType scale = catalog.find("scale");
        assertNotNull(scale, "the test service file's ScaleStage should be offered; rejected: " + catalog.rejected());
        assertEquals(ScaleStage.class, scale.stageClass());
        assertEquals("process(RecordBatch batch, double factor=2.0)", scale.processSignature());
        assertTrue(catalog.typeNames().contains("scale"));

        final RecordBatch batch = new RecordBatch(2);
        batch.add(0, 0, 1, 1.5);
        batch.add(0, 0, 2, -4.0);
        scale.newInstance().process(batch);
        assertEquals(3.0, batch.value[0]);
        assertEquals(-8.0, batch.value[1]);
    }

    @Test
    void brokenServiceEntriesAreReportedWhileTheOthersStillLoad() {
        final StageCatalog catalog = StageCatalog.discover();
        final List<String> rejected = catalog.rejected();
        assertEquals(2, rejected.size(), rejected.toString());
        final String unannotated = find(rejected, UnannotatedStage.class.getName());
        assertTrue(unannotated.contains("breaks the Stage contract")
            && unannotated.contains("has no @StageDefinition"), unannotated);
        final String notAStage = find(rejected, NotAStage.class.getName());
        assertTrue(notAStage.contains("cannot be loaded") && notAStage.contains("must be a public class that implements "
            + Stage.class.getName() + " (process(RecordBatch))"), notAStage);
        // the built-ins and the valid user stage all load regardless
        assertEquals(7, catalog.types().size(), catalog.typeNames());
        assertNotNull(catalog.find("anomaly"));
        assertNotNull(catalog.find("scale"));
    }

    private static String find(final List<String> messages, final String className) {
        return messages.stream().filter(m -> m.contains(className)).findFirst()
            .orElseThrow(() -> new AssertionError("no rejection naming " + className + " in " + messages));
    }

    @Test
    void ofChecksExplicitClassesAndKeepsTheFirstOfADuplicateTypeName() {
        final StageCatalog catalog = StageCatalog.of(ThresholdFilter.class, UnannotatedStage.class,
            ThresholdFilter.class, StageTypeTest.DerivedStage.class);
        assertEquals(List.of("threshold", "derived"), catalog.types().stream().map(StageType::name).toList());
        assertEquals(1, catalog.rejected().size(), catalog.rejected().toString());
        assertTrue(catalog.rejected().get(0).contains(UnannotatedStage.class.getName()));
    }

    /** Claims a built-in's type name. */
    @StageDefinition(type = "threshold", description = "an impostor")
    public static class ImpostorStage implements Stage {
        @Override
        public void process(final RecordBatch batch) {
        }
    }

    @Test
    void aTypeNameTakenByAnotherClassIsReported() {
        final StageCatalog catalog = StageCatalog.of(ThresholdFilter.class, ImpostorStage.class);
        assertEquals(ThresholdFilter.class, catalog.find("threshold").stageClass());
        assertEquals(1, catalog.rejected().size());
        final String message = catalog.rejected().get(0);
        assertTrue(message.contains(ImpostorStage.class.getName()) && message.contains("'threshold'")
            && message.contains("already taken by " + ThresholdFilter.class.getName()), message);
    }
}
