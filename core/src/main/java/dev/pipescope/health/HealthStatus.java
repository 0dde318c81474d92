package dev.pipescope.health;

/** Overall health, ordered from best to worst (as Spring Boot Actuator orders component healths). */
public enum HealthStatus {
    /** Working as expected. */
    HEALTHY,
    /** Working, but something is wrong: an open circuit, a retry storm, GC pressure, a growing heap, a slow stage. */
    DEGRADED,
    /** Not doing its job: stalled although input is waiting, or most records failing. */
    UNHEALTHY;

    /**
     * @param other another status.
     * @return the worse of the two.
     */
    public HealthStatus worst(final HealthStatus other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
