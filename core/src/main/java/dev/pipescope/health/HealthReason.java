package dev.pipescope.health;

/**
 * One finding that made the status what it is: a stable code for machines, the thing it is about, and a
 * sentence for the operator, e.g. {@code CIRCUIT_OPEN calibration:S3 open for 4.2 s}.
 *
 * @param code    the finding's kind, see the constants.
 * @param subject what it is about: a circuit, a stage, {@code heap}, {@code gc}, {@code pipeline}.
 * @param status  the status this finding implies on its own.
 * @param message the sentence, starting with the code.
 */
public record HealthReason(String code, String subject, HealthStatus status, String message) {
    /** A circuit breaker is open (or half-open, probing). */
    public static final String CIRCUIT_OPEN = "CIRCUIT_OPEN";
    /** Retries in the last minute exceed the threshold. */
    public static final String RETRY_STORM = "RETRY_STORM";
    /** The share of wall time spent in GC exceeds the threshold. */
    public static final String GC_PRESSURE = "GC_PRESSURE";
    /** The heap after collections keeps growing. */
    public static final String HEAP_GROWING = "HEAP_GROWING";
    /** A stage runs far below its recent throughput. */
    public static final String THROUGHPUT_DROP = "THROUGHPUT_DROP";
    /** The stage that takes most of the time; informational unless paired with a drop. */
    public static final String BOTTLENECK = "BOTTLENECK";
    /** No batch completed within the stall timeout although input was waiting. */
    public static final String STALLED = "STALLED";
    /** Most records fail (degraded or invalid). */
    public static final String RECORDS_FAILING = "RECORDS_FAILING";
    /** Records pass with stale or no calibration. */
    public static final String DEGRADED_RECORDS = "DEGRADED_RECORDS";

    @Override
    public String toString() {
        return message;
    }
}
