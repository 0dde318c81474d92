package dev.pipescope.calibration;

import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.metrics.AllocationMeter;
import dev.pipescope.testing.AllocationProbe;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Calibrations from a {@code sensor,gain,offset} file, read again when it changes, checked from the calling thread. */
class FileCalibrationServiceTest {
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    private final SensorRegistry registry = new SensorRegistry(8);
    private final CachedNanoClock clock = new CachedNanoClock();
    private final Calibration c = new Calibration();

    /** Records what the service tells its listener. */
    private static final class Told implements FileCalibrationService.Listener {
        final List<String> events = new ArrayList<>();

        @Override
        public void reloaded(final Path file, final int sensors, final boolean anySensor, final int version) {
            events.add("reloaded " + sensors + " " + anySensor + " v" + version);
        }

        @Override
        public void reloadFailed(final Path file, final String reason) {
            events.add("failed " + reason);
        }

        @Override
        public void missing(final Path file, final String sensor) {
            events.add("missing " + sensor);
        }
    }

    private Path write(final String text) throws Exception {
        final Path file = dir.resolve("calibration.csv");
        final Path tmp = dir.resolve("calibration.tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /** A rewrite within the same millisecond and of the same length would not be seen: tests move time on. */
    private static void touchLater(final Path file, final int seconds) throws Exception {
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + seconds * 1000L));
    }

    @Test
    void givesEachSensorItsRowAndTheStarRowToTheRest() throws Exception {
        final int s1 = registry.register("S1");
        final int s2 = registry.register("S 2");
        final int other = registry.register("other");
        final Path file = write("# calibrations\n\nOffset, sensor ,GAIN,comment\n-0.5,S1,1.5,first\n2.5e-1,\"S 2\",-2,x\n0,*,1,rest\n");
        final FileCalibrationService service = FileCalibrationService.load(file, registry, clock);
        assertTrue(service.fetch(s1, c));
        assertEquals(1.5, c.gain());
        assertEquals(-0.5, c.offset());
        assertTrue(service.fetch(s2, c));
        assertEquals(-2.0, c.gain());
        assertEquals(0.25, c.offset());
        assertTrue(service.fetch(other, c));
        assertEquals(1.0, c.gain());
        assertEquals(0.0, c.offset());
        assertEquals(2, service.entries());
        assertEquals(1, service.version());
    }

    @Test
    void aSensorWithoutACalibrationFailsAndIsToldOncePerVersion() throws Exception {
        final int s1 = registry.register("S1");
        final int s9 = registry.register("S9");
        final FileCalibrationService service = FileCalibrationService.load(write("sensor,gain,offset\nS1,2,1\n"),
            registry, clock);
        final Told told = new Told();
        service.listener(told);
        c.set(7, 7);
        assertFalse(service.fetch(s9, c));
        assertFalse(service.fetch(s9, c));
        assertEquals(7.0, c.gain(), "untouched on failure");
        assertTrue(service.fetch(s1, c));
        assertEquals(List.of("missing S9"), told.events);
        assertEquals(2, service.uncalibratedCalls());
    }

    @Test
    void aChangedFileIsReadAtTheNextCheckAndABadOneIsRefusedKeepingTheOld() throws Exception {
        final int s1 = registry.register("S1");
        final Path file = write("sensor,gain,offset\nS1,2,1\n");
        final FileCalibrationService service = FileCalibrationService.load(file, registry, clock);
        final Told told = new Told();
        service.listener(told);

        write("sensor,gain,offset\nS1,3,-1\n");
        touchLater(file, 1);
        clock.advance(SECOND / 2);
        assertTrue(service.fetch(s1, c));
        assertEquals(2.0, c.gain(), "not checked again before a second has passed");
        clock.advance(SECOND / 2);
        assertTrue(service.fetch(s1, c));
        assertEquals(3.0, c.gain(), "the change is taken at the first call after a second");
        assertEquals(-1.0, c.offset());
        assertEquals(List.of("reloaded 1 false v2"), told.events);

        write("sensor,gain,offset\nS1,abc,1\n");
        touchLater(file, 2);
        clock.advance(SECOND);
        assertTrue(service.fetch(s1, c));
        assertEquals(3.0, c.gain(), "a malformed file is refused: the calibrations in use stay");
        assertEquals(2, told.events.size(), told.events.toString());
        assertTrue(told.events.get(1).startsWith("failed ") && told.events.get(1).contains("calibration.csv:2: gain 'abc'"),
            told.events.toString());
        clock.advance(SECOND);
        service.fetch(s1, c);
        assertEquals(2, told.events.size(), "refused once, not at every check: " + told.events);

        Files.delete(file);
        clock.advance(SECOND);
        assertTrue(service.fetch(s1, c), "a file that disappears leaves the calibrations in use");
        assertTrue(told.events.get(2).startsWith("failed cannot read"), told.events.toString());

        write("sensor,gain,offset\nS1,4,0\n");
        touchLater(file, 3);
        clock.advance(SECOND);
        assertTrue(service.fetch(s1, c));
        assertEquals(4.0, c.gain(), "and comes back when it does");
        assertEquals(3, service.version());
        assertEquals(2, service.reloadFailures());
    }

    @Test
    void malformedFilesAreRefusedAtLoadNamingTheLine() throws Exception {
        assertMessage("S1,1,0\n", "calibration.csv:1: the header must name the columns sensor, gain and offset");
        assertMessage("sensor,gain,offset\n", "no calibration");
        assertMessage("", "no header");
        assertMessage("sensor,gain,offset\nS1,1\n", "calibration.csv:2: expected 3 fields");
        assertMessage("sensor,gain,offset\nS1,1,0\nS1,2,0\n", "calibration.csv:3: sensor 'S1' is given twice");
        assertMessage("sensor,gain,offset\nS1,NaN,0\n", "gain 'NaN' is not a decimal number");
        assertMessage("sensor,gain,offset\nS1,1,0x10\n", "offset '0x10' is not a decimal number");
        assertMessage("sensor,gain,offset\nS1,1,1e999\n", "offset '1e999' is out of range");
        assertMessage("sensor,gain,gain,offset\n", "names the column 'gain' twice");
        final UncheckedIOException e = assertThrows(UncheckedIOException.class,
            () -> FileCalibrationService.load(dir.resolve("none.csv"), registry, clock));
        assertTrue(e.getMessage().startsWith("calibration file not found: "), e.getMessage());
    }

    private void assertMessage(final String text, final String part) throws Exception {
        final Path file = write(text);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> FileCalibrationService.load(file, registry, clock));
        assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should contain '" + part + "'");
    }

    @Test
    @Tag(AllocationProbe.TAG)
    void fetchingAndCheckingAnUnchangedFileAllocatesNothing() throws Exception {
        assumeTrue(AllocationMeter.isAvailable(), "JVM cannot measure thread allocation");
        final int s1 = registry.register("S1");
        final FileCalibrationService service = FileCalibrationService.load(write("sensor,gain,offset\nS1,2,1\n"),
            registry, clock, 0); // checks the file (two stat calls) at every call
        final AllocationProbe.Measurement allocated = AllocationProbe.measure(3, 3, () -> {
            long sum = 0;
            for (int i = 0; i < 20_000; i++) {
                if (service.fetch(s1, c)) {
                    sum += (long) c.gain();
                }
            }
            return sum;
        });
        allocated.assertAllocationFree("20 000 fetches, each checking the file");
        assertEquals(1, service.version(), "the unchanged file was not read again");
    }
}
