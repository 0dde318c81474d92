package dev.pipescope.calibration;

import dev.pipescope.batch.SensorRegistry;
import org.agrona.concurrent.NanoClock;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Calibrations read from a CSV file, {@code sensor,gain,offset}, and read again when the file changes: the
 * real counterpart of {@link SimulatedCalibrationService} for the {@code calibrate} stage.
 *
 * <h2>The file</h2>
 * <pre>
 * # one row per sensor; '#' starts a comment line
 * sensor,gain,offset
 * S1,1.02,-0.5
 * S2,0.98,0.25
 * *,1.0,0.0
 * </pre>
 * UTF-8 text; the first line that is neither blank nor a comment is the header, naming {@code sensor},
 * {@code gain} and {@code offset} in any order and any case (other columns are ignored). Each row gives one
 * sensor's calibration, {@code value = raw * gain + offset}; gains and offsets are finite decimal numbers
 * ({@code 1}, {@code -0.5}, {@code 2.5e-3}). The sensor {@value #ANY_SENSOR} stands for every sensor without a
 * row of its own. Fields are trimmed; a sensor name may be quoted with {@code "} (no comma inside). A
 * sensor named twice, a malformed row or a file without a single row is an error naming the file and line:
 * the first load throws, a reload is refused and the calibrations in use are kept.
 *
 * <p>A sensor with neither a row nor a {@value #ANY_SENSOR} row has no calibration: {@link #fetch} fails for
 * it, as an unreachable service would, so {@code calibrate} passes its readings on uncalibrated and flagged
 * degraded (and its circuit opens: the health report names it), and the {@link Listener} is told once per
 * sensor and file version.
 *
 * <h2>Reloading: checked from the calling thread</h2>
 * {@link #fetch} is called by the {@code calibrate} stage on the processing thread, only when its cache has
 * no fresh entry for a sensor (once per sensor per {@code cacheTtlMs}). At most once per check interval (1 s by
 * default) a call also looks at the file's modification time and length; when either changed, the file is
 * read and parsed there and then, on the calling thread, and the new calibrations replace the old ones as a
 * whole. So a change reaches the records within the check interval plus the stage's cache time to live
 * (about 2 s with the defaults). There is no background thread: the calibrations have one writer and one
 * reader, the processing thread, so nothing needs publishing; the price is that the batch during which a
 * changed file is read waits for that read (calibration files are small). In steady state a call costs a
 * clock read and two array reads, and a check two {@code stat} calls; neither allocates. Reading a changed
 * file allocates, once per change.
 *
 * <p>Write the file atomically (write a temporary file, then rename it over the old one) so that a check
 * never sees half of it. As a safeguard, a file whose modification time or length changed while it was being
 * read is not taken; it is read again at the next check.
 *
 * <p>Threading: {@link #fetch} on one thread (the processing thread); {@link #entries()}, {@link #version()}
 * and the counters may be read from any thread.
 */
public final class FileCalibrationService implements CalibrationService {
    /** How often, at most, {@link #fetch} checks whether the file changed: 1 s. */
    public static final long DEFAULT_CHECK_INTERVAL_NANOS = 1_000_000_000L;
    /** The sensor name of the row that calibrates every sensor without a row of its own. */
    public static final String ANY_SENSOR = "*";

    /** A finite decimal number: what a gain or an offset may be (no NaN, no hex, no type suffix). */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /** Told about reloads and sensors without a calibration, on the thread calling {@link #fetch}. */
    public interface Listener {
        /**
         * The file changed and was read: its calibrations are now in use.
         *
         * @param file     the file.
         * @param sensors  rows naming a sensor ({@value #ANY_SENSOR} not counted).
         * @param anySensor whether a {@value #ANY_SENSOR} row calibrates the other sensors.
         * @param version  the new version (1 was the first load).
         */
        default void reloaded(Path file, int sensors, boolean anySensor, int version) {
        }

        /**
         * The file changed but could not be used; the calibrations in use are kept.
         *
         * @param file   the file.
         * @param reason what is wrong, naming the line where there is one.
         */
        default void reloadFailed(Path file, String reason) {
        }

        /**
         * A sensor was asked for that the file does not calibrate (told once per sensor and version).
         *
         * @param file   the file.
         * @param sensor the sensor's name.
         */
        default void missing(Path file, String sensor) {
        }

        /** A listener that ignores everything. */
        Listener NONE = new Listener() {
        };
    }

    /** One version of the file's calibrations. */
    private static final class Table {
        final Map<String, double[]> bySensor;
        final double[] any;

        Table(final Map<String, double[]> bySensor, final double[] any) {
            this.bySensor = bySensor;
            this.any = any;
        }
    }

    private final Path path;
    private final File file;
    private final SensorRegistry registry;
    private final NanoClock clock;
    private final long checkIntervalNanos;
    private volatile Listener listener = Listener.NONE;

    private Table table;
    private volatile int version;
    private volatile int entries;
    private long nextCheckNanos;
    private long seenModified;
    private long seenLength;

    // per sensor id, resolved lazily against the current version: the hot path never looks names up
    private final int[] resolvedVersion;
    private final boolean[] present;
    private final double[] gains;
    private final double[] offsets;

    private volatile long calls;
    private volatile long uncalibrated;
    private volatile long reloadFailures;

    private FileCalibrationService(final Path path, final SensorRegistry registry, final NanoClock clock,
        final long checkIntervalNanos) {
        this.path = Objects.requireNonNull(path, "path");
        this.file = path.toFile();
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (checkIntervalNanos < 0) {
            throw new IllegalArgumentException("check interval must be >= 0 ns, was " + checkIntervalNanos);
        }
        this.checkIntervalNanos = checkIntervalNanos;
        final int capacity = registry.capacity();
        resolvedVersion = new int[capacity];
        present = new boolean[capacity];
        gains = new double[capacity];
        offsets = new double[capacity];
    }

    /**
     * Reads the file now, checking it for changes at most once a second from then on.
     *
     * @param file     the CSV file {@code sensor,gain,offset}.
     * @param registry the pipeline's registry, which names the sensor ids asked for.
     * @param clock    the clock that spaces the checks.
     * @return the service, version 1 of the file loaded.
     * @throws IllegalArgumentException naming the file and line when the file is malformed or has no row.
     * @throws UncheckedIOException     when the file cannot be read (its message names the file).
     */
    public static FileCalibrationService load(final Path file, final SensorRegistry registry, final NanoClock clock) {
        return load(file, registry, clock, DEFAULT_CHECK_INTERVAL_NANOS);
    }

    /**
     * As {@link #load(Path, SensorRegistry, NanoClock)}, with the check interval given.
     *
     * @param file               the CSV file.
     * @param registry           names the sensor ids.
     * @param clock              spaces the checks.
     * @param checkIntervalNanos at most one look at the file per this many ns (0: at every call).
     * @return the service.
     */
    public static FileCalibrationService load(final Path file, final SensorRegistry registry, final NanoClock clock,
        final long checkIntervalNanos) {
        final FileCalibrationService service = new FileCalibrationService(file, registry, clock, checkIntervalNanos);
        service.seenModified = service.file.lastModified();
        service.seenLength = service.file.length();
        final String text;
        try {
            text = read(file);
        } catch (final NoSuchFileException e) {
            throw new UncheckedIOException("calibration file not found: " + file, e);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read calibration file " + file + ": " + e.getMessage(), e);
        }
        service.use(parse(text, file.toString()));
        service.nextCheckNanos = clock.nanoTime() + checkIntervalNanos;
        return service;
    }

    /**
     * @param newListener told about reloads, refused reloads and sensors without a calibration.
     * @return this.
     */
    public FileCalibrationService listener(final Listener newListener) {
        listener = Objects.requireNonNull(newListener, "listener");
        return this;
    }

    @Override
    public boolean fetch(final int sensorId, final Calibration target) {
        calls++; // single writer: the processing thread
        final long now = clock.nanoTime();
        if (now - nextCheckNanos >= 0) {
            nextCheckNanos = now + checkIntervalNanos;
            checkForChange();
        }
        if (resolvedVersion[sensorId] != version) {
            resolve(sensorId);
        }
        if (!present[sensorId]) {
            uncalibrated++;
            return false;
        }
        target.set(gains[sensorId], offsets[sensorId]);
        return true;
    }

    private void checkForChange() {
        final long modified = file.lastModified(); // native stat calls: no allocation
        final long length = file.length();
        if (modified == seenModified && length == seenLength) {
            return;
        }
        final String text;
        try {
            text = read(path);
        } catch (final IOException e) {
            seenModified = modified;
            seenLength = length;
            refused("cannot read " + path + ": " + e);
            return;
        }
        if (file.lastModified() != modified || file.length() != length) {
            return; // still being written: not remembered as seen, so the next check reads it again
        }
        seenModified = modified;
        seenLength = length;
        final Table next;
        try {
            next = parse(text, path.toString());
        } catch (final IllegalArgumentException e) {
            refused(e.getMessage());
            return;
        }
        use(next);
        listener.reloaded(path, next.bySensor.size(), next.any != null, version);
    }

    private void refused(final String reason) {
        reloadFailures++;
        listener.reloadFailed(path, reason);
    }

    private void use(final Table next) {
        table = next;
        entries = next.bySensor.size();
        version++; // every sensor resolves again against the new table on its next fetch
    }

    /** Once per sensor and version: looks its name up in the table. */
    private void resolve(final int sensorId) {
        resolvedVersion[sensorId] = version;
        final String name = sensorId < registry.size() ? registry.name(sensorId) : null;
        double[] entry = name != null ? table.bySensor.get(name) : null;
        if (entry == null) {
            entry = table.any;
        }
        present[sensorId] = entry != null;
        if (entry != null) {
            gains[sensorId] = entry[0];
            offsets[sensorId] = entry[1];
        } else {
            listener.missing(path, name != null ? name : "#" + sensorId);
        }
    }

    private static String read(final Path file) throws IOException {
        final byte[] bytes = Files.readAllBytes(file);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (final CharacterCodingException e) {
            throw new IOException("not UTF-8 text (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Parses a calibration file's text.
     *
     * @param text   the file's content.
     * @param origin its name, for messages.
     * @return the table.
     * @throws IllegalArgumentException naming the line and what is wrong.
     */
    private static Table parse(final String text, final String origin) {
        final String[] lines = text.split("\r?\n", -1);
        int sensorColumn = -1;
        int gainColumn = -1;
        int offsetColumn = -1;
        int columns = 0;
        final Map<String, double[]> bySensor = new HashMap<>();
        double[] any = null;
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            if (n == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            final String content = line.strip();
            if (content.isEmpty() || content.startsWith("#")) {
                continue;
            }
            final String[] fields = line.split(",", -1);
            if (columns == 0) {
                for (int i = 0; i < fields.length; i++) {
                    final String column = fields[i].strip().toLowerCase(Locale.ROOT);
                    switch (column) {
                        case "sensor": sensorColumn = once(sensorColumn, i, column, origin, n + 1); break;
                        case "gain": gainColumn = once(gainColumn, i, column, origin, n + 1); break;
                        case "offset": offsetColumn = once(offsetColumn, i, column, origin, n + 1); break;
                        default: break;
                    }
                }
                if (sensorColumn < 0 || gainColumn < 0 || offsetColumn < 0) {
                    throw error(origin, n + 1, "the header must name the columns sensor, gain and offset, found '"
                        + shown(content) + "'");
                }
                columns = fields.length;
                continue;
            }
            if (fields.length != columns) {
                throw error(origin, n + 1, "expected " + columns + " fields as in the header, found " + fields.length
                    + ": '" + shown(content) + "'");
            }
            final String sensor = unquote(fields[sensorColumn].strip());
            if (sensor.isEmpty()) {
                throw error(origin, n + 1, "the sensor name is empty");
            }
            final double gain = number(fields[gainColumn], "gain", origin, n + 1);
            final double offset = number(fields[offsetColumn], "offset", origin, n + 1);
            final double[] entry = {gain, offset};
            if (ANY_SENSOR.equals(sensor)) {
                if (any != null) {
                    throw error(origin, n + 1, "the row '" + ANY_SENSOR + "' (every other sensor) is given twice");
                }
                any = entry;
            } else if (bySensor.put(sensor, entry) != null) {
                throw error(origin, n + 1, "sensor '" + shown(sensor) + "' is given twice");
            }
        }
        if (columns == 0) {
            throw error(origin, 0, "no header: the first line must be sensor,gain,offset");
        }
        if (bySensor.isEmpty() && any == null) {
            throw error(origin, 0, "no calibration: the file has a header but no row");
        }
        return new Table(bySensor, any);
    }

    private static int once(final int previous, final int index, final String column, final String origin,
        final int line) {
        if (previous >= 0) {
            throw error(origin, line, "the header names the column '" + column + "' twice");
        }
        return index;
    }

    private static double number(final String field, final String what, final String origin, final int line) {
        final String t = field.strip();
        if (!DECIMAL.matcher(t).matches()) {
            throw error(origin, line, what + " '" + shown(t) + "' is not a decimal number");
        }
        final double value = Double.parseDouble(t);
        if (!Double.isFinite(value)) {
            throw error(origin, line, what + " '" + shown(t) + "' is out of range");
        }
        return value;
    }

    private static String unquote(final String s) {
        return s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"'
            ? s.substring(1, s.length() - 1).replace("\"\"", "\"") : s;
    }

    /** Text quoted in a message: control characters escaped, at most 100 characters. */
    private static String shown(final String s) {
        final StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 100; i++) {
            final char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7F && c <= 0x9F) {
                b.append(String.format("\\u%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        return s.length() > 100 ? b + "..." : b.toString();
    }

    private static IllegalArgumentException error(final String origin, final int line, final String message) {
        return new IllegalArgumentException((line > 0 ? origin + ":" + line + ": " : origin + ": ") + message);
    }

    /** @return the file. */
    public Path file() {
        return path;
    }

    /** @return rows naming a sensor in the calibrations in use ({@value #ANY_SENSOR} not counted). */
    public int entries() {
        return entries;
    }

    /** @return whether the calibrations in use have a {@value #ANY_SENSOR} row. Processing thread. */
    public boolean hasAnySensorRow() {
        return table.any != null;
    }

    /** @return the version of the file in use: 1 after the first load, one more per reload. */
    public int version() {
        return version;
    }

    /** @return calls to {@link #fetch} so far. */
    public long calls() {
        return calls;
    }

    /** @return calls that failed because the file has no calibration for the sensor. */
    public long uncalibratedCalls() {
        return uncalibrated;
    }

    /** @return changes of the file that could not be used (unreadable or malformed). */
    public long reloadFailures() {
        return reloadFailures;
    }

    /** @return {@code file(PATH)}. */
    @Override
    public String toString() {
        return "file(" + path + ")";
    }
}
