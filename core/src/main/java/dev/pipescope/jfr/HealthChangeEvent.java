package dev.pipescope.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The pipeline's health status changed. */
@Name("dev.pipescope.HealthChange")
@Label("Health Change")
@Category({"pipescope", "Health"})
@Description("The pipeline's health status changed")
@StackTrace(false)
public final class HealthChangeEvent extends jdk.jfr.Event {
    /** The pipeline's name. */
    @Label("Pipeline")
    public String pipeline;

    /** Status before. */
    @Label("From")
    public String from;

    /** Status after. */
    @Label("To")
    public String to;

    /** The report's reasons, one per line. */
    @Label("Reasons")
    public String reasons;

    /** The bottleneck stage. */
    @Label("Bottleneck")
    public String bottleneck;
}
