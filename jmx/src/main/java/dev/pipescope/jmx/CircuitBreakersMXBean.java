package dev.pipescope.jmx;

import javax.management.openmbean.TabularData;

/** {@code dev.pipescope:type=CircuitBreakers,pipeline=<pipeline>}: every breaker, and incident controls. */
@Description("The pipeline's circuit breakers (one per dependency and sensor, e.g. calibration:S3): states,"
    + " counts, and operations to force one open or closed during an incident.")
public interface CircuitBreakersMXBean {
    /** @return one row per breaker. */
    @Description("One row per breaker: name, state, stateCode (0 closed, 1 half-open, 2 open; FORCED_OPEN counts as 2"
        + " and FORCED_CLOSED as 0, so higher is worse), seconds in state, times opened, calls, failures, rejected"
        + " calls, failure rate over its window.")
    TabularData getBreakers();

    /** @return breakers not closed. */
    @Description("Number of breakers that are not closed.")
    int getOpenCount();

    /** @return all breakers. */
    @Description("Number of breakers.")
    int getBreakerCount();

    /** @return transitions not notified. */
    @Description("Transitions whose notification was dropped: more transitions than the relay ring holds were"
        + " waiting, or delivering one failed. States and counts are unaffected.")
    long getNotificationsDropped();

    /** @return names not closed. */
    @Description("Names of the breakers that are not closed.")
    String[] getOpenBreakers();

    /**
     * @param name a breaker.
     * @return its state.
     */
    @Description("The state of one breaker: CLOSED, OPEN, HALF_OPEN, FORCED_OPEN or FORCED_CLOSED.")
    String state(@Description(name = "name", value = "The breaker's name, e.g. calibration:S3.") String name);

    /** @param name a breaker. */
    @Description("Hold a breaker open (calls are refused and records degrade) until reset.")
    void forceOpen(@Description(name = "name", value = "The breaker's name, e.g. calibration:S3.") String name);

    /** @param name a breaker. */
    @Description("Hold a breaker closed (failures are counted but cannot open it) until reset.")
    void forceClose(@Description(name = "name", value = "The breaker's name, e.g. calibration:S3.") String name);

    /** @param name a breaker. */
    @Description("Return a breaker to automatic operation, closed, with an empty window.")
    void reset(@Description(name = "name", value = "The breaker's name, e.g. calibration:S3.") String name);
}
