package dev.pipescope.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A circuit breaker changed state. */
@Name("dev.pipescope.CircuitTransition")
@Label("Circuit Transition")
@Category({"pipescope", "Resilience"})
@Description("A circuit breaker changed state")
@StackTrace(false)
public final class CircuitTransitionEvent extends jdk.jfr.Event {
    /** The breaker, e.g. calibration:S3. */
    @Label("Circuit")
    public String circuit;

    /** State before. */
    @Label("From")
    public String from;

    /** State after. */
    @Label("To")
    public String to;
}
