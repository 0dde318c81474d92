package dev.pipescope.health;

/**
 * One finding: a stable code for machines, the thing it is about, the status it implies and a sentence for
 * the operator, e.g. {@code CIRCUIT_OPEN calibration:S3 open for 4.2 s}. A report lists its reasons root
 * causes first, in the order of the constants below; findings of status HEALTHY are context.
 *
 * @param code    the finding's kind, see the constants.
 * @param subject what it is about: a stage, a breaker, a dependency, {@code heap}, {@code gc}, {@code host},
 *                {@code pipeline}.
 * @param status  the status this finding implies on its own.
 * @param message the sentence, starting with the code.
 */
public record HealthReason(String code, String subject, HealthStatus status, String message) {
    /** A stage has held the batch in flight longer than the stall timeout (UNHEALTHY). */
    public static final String STALLED = "STALLED";
    /** The live set nears the heap's limit, or exhausts it soon at its growth rate (UNHEALTHY). */
    public static final String HEAP_EXHAUSTION = "HEAP_EXHAUSTION";
    /** A dependency's circuit breakers are open or probing (DEGRADED); one reason per dependency. */
    public static final String CIRCUIT_OPEN = "CIRCUIT_OPEN";
    /** Real re-attempts to a dependency exceed the limit and are still happening (DEGRADED). */
    public static final String RETRY_STORM = "RETRY_STORM";
    /** The live set after collections grows steadily; the subject is the suspect stage (DEGRADED). */
    public static final String HEAP_GROWING = "HEAP_GROWING";
    /** A stage allocates on every batch in a pipeline meant to be garbage-free (DEGRADED). */
    public static final String STAGE_ALLOCATING = "STAGE_ALLOCATING";
    /** Collections take more than their share of wall time (DEGRADED). */
    public static final String GC_PRESSURE = "GC_PRESSURE";
    /** A stage runs far below its long-run capacity while the rest of the host does not (DEGRADED). */
    public static final String THROUGHPUT_DROP = "THROUGHPUT_DROP";
    /** Most records leave invalid (non-finite readings) (UNHEALTHY). */
    public static final String RECORDS_FAILING = "RECORDS_FAILING";
    /** Records pass with a fallback because a dependency failed (DEGRADED). */
    public static final String DEGRADED_RECORDS = "DEGRADED_RECORDS";
    /** Every stage slowed together: the machine, not a stage (context, HEALTHY on its own). */
    public static final String HOST_SLOWDOWN = "HOST_SLOWDOWN";
    /** The pipeline is mostly idle, waiting for its source: no stage is a bottleneck (context). */
    public static final String SOURCE_BOUND = "SOURCE_BOUND";
    /** The stage that takes most of the time (context). */
    public static final String BOTTLENECK = "BOTTLENECK";

    /** @return the order of this code in a report: causes first, context last. */
    public int rank() {
        return rankOf(code);
    }

    static int rankOf(final String code) {
        switch (code) {
            case STALLED: return 0;
            case HEAP_EXHAUSTION: return 1;
            case CIRCUIT_OPEN: return 2;
            case RETRY_STORM: return 3;
            case HEAP_GROWING: return 4;
            case STAGE_ALLOCATING: return 5;
            case GC_PRESSURE: return 6;
            case THROUGHPUT_DROP: return 7;
            case RECORDS_FAILING: return 8;
            case DEGRADED_RECORDS: return 9;
            case HOST_SLOWDOWN: return 10;
            case SOURCE_BOUND: return 11;
            case BOTTLENECK: return 12;
            default: return 13;
        }
    }

    @Override
    public String toString() {
        return message;
    }
}
