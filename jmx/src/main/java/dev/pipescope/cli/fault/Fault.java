package dev.pipescope.cli.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One fault of the program's {@code --fault} option, active from one batch to another inclusive:
 * <ul>
 *   <li>{@code calibration:S3@200-600} — the calibration service fails for sensor {@code S3} from batch
 *       200 to batch 600;</li>
 *   <li>{@code slow:adaptive@400-800} — stage {@code adaptive} (the default pipelines' detector) takes an
 *       extra millisecond per batch ({@code slow:adaptive=5ms@400-800} or {@code =250us} for another delay).</li>
 * </ul>
 *
 * @param kind       what the fault does.
 * @param target     the sensor (calibration) or the stage (slow).
 * @param delayNanos the extra time per batch (slow only; 0 for calibration).
 * @param firstBatch the first affected batch (1-based, inclusive).
 * @param lastBatch  the last affected batch (inclusive).
 */
public record Fault(Kind kind, String target, long delayNanos, long firstBatch, long lastBatch) {
    /** What a fault does. */
    public enum Kind {
        /** The calibration service fails for one sensor. */
        CALIBRATION("calibration"),
        /** A stage takes longer per batch. */
        SLOW("slow");

        private final String prefix;

        Kind(final String prefix) {
            this.prefix = prefix;
        }

        /** @return the word the option starts with, e.g. {@code calibration}. */
        public String prefix() {
            return prefix;
        }
    }

    /** The default extra time of a slow fault: one millisecond. */
    public static final long DEFAULT_DELAY_NANOS = 1_000_000L;
    /** The largest extra time a slow fault may add per batch: 10 s (longer would read as a stall). */
    public static final long MAX_DELAY_NANOS = 10_000_000_000L;

    /** What {@code --fault} accepts, for error messages. */
    public static final String SYNTAX = "calibration:SENSOR@FIRST-LAST or slow:STAGE[=DELAYms]@FIRST-LAST"
        + " (DELAY in ms or us, default 1ms), e.g. calibration:S3@200-600 or slow:adaptive@400-800";

    private static final Pattern FORMAT = Pattern.compile(
        "(calibration|slow):([^@=]+)(?:=(\\d{1,12})(us|ms))?@(\\d{1,18})-(\\d{1,18})");

    /**
     * Compact constructor: checks the fields.
     *
     * @throws IllegalArgumentException when the batches or the delay are out of range.
     */
    public Fault {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        if (firstBatch < 1 || lastBatch < firstBatch) {
            throw new IllegalArgumentException("batches must satisfy 1 <= FIRST <= LAST, were " + firstBatch + "-"
                + lastBatch);
        }
        if (kind == Kind.CALIBRATION && delayNanos != 0) {
            throw new IllegalArgumentException("a calibration fault takes no delay");
        }
        if (delayNanos < 0 || delayNanos > MAX_DELAY_NANOS) {
            throw new IllegalArgumentException("the delay must be between 0 and 10 s, was " + delayNanos + " ns");
        }
    }

    /**
     * Parses one fault as the option writes it.
     *
     * @param text e.g. {@code calibration:S3@200-600} or {@code slow:adaptive=5ms@400-800}.
     * @return the fault.
     * @throws IllegalArgumentException starting with {@code fault '<text>'} and saying what is expected.
     */
    public static Fault parse(final String text) {
        final Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("fault '" + text + "' must be " + SYNTAX);
        }
        final Kind kind = "slow".equals(m.group(1)) ? Kind.SLOW : Kind.CALIBRATION;
        long delay = 0;
        if (m.group(3) != null) {
            if (kind == Kind.CALIBRATION) {
                throw new IllegalArgumentException("fault '" + text + "': a calibration fault takes no delay");
            }
            delay = Long.parseLong(m.group(3)) * ("ms".equals(m.group(4)) ? 1_000_000L : 1_000L);
        } else if (kind == Kind.SLOW) {
            delay = DEFAULT_DELAY_NANOS;
        }
        try {
            return new Fault(kind, m.group(2).trim(), delay, Long.parseLong(m.group(5)), Long.parseLong(m.group(6)));
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("fault '" + text + "': " + e.getMessage(), e);
        }
    }

    /**
     * @param texts faults as the option writes them.
     * @return them parsed, in order.
     * @throws IllegalArgumentException for the first that does not parse.
     */
    public static List<Fault> parseAll(final List<String> texts) {
        final List<Fault> parsed = new ArrayList<>(texts.size());
        for (final String t : texts) {
            parsed.add(parse(t));
        }
        return parsed;
    }

    /**
     * @param batchNumber a 1-based batch number.
     * @return true when the fault applies to that batch.
     */
    public boolean activeIn(final long batchNumber) {
        return batchNumber >= firstBatch && batchNumber <= lastBatch;
    }

    /** @return the fault as the option writes it, the delay in microseconds: {@code slow:adaptive=1000us@400-800}. */
    @Override
    public String toString() {
        return kind.prefix() + ":" + target + (kind == Kind.SLOW ? "=" + delayNanos / 1000 + "us" : "")
            + "@" + firstBatch + "-" + lastBatch;
    }
}
