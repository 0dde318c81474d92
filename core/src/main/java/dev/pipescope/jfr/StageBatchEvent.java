package dev.pipescope.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** One stage processing one batch, as seen by Java Flight Recorder. */
@Name("dev.pipescope.StageBatch")
@Label("Stage Batch")
@Category({"pipescope", "Pipeline"})
@Description("A pipeline stage processed a batch")
@StackTrace(false)
public final class StageBatchEvent extends jdk.jfr.Event {
    /** The pipeline's name. */
    @Label("Pipeline")
    public String pipeline;

    /** The stage's name. */
    @Label("Stage")
    public String stage;

    /** 1-based batch number. */
    @Label("Batch")
    public long batch;

    /** Records into the stage. */
    @Label("Records In")
    public int recordsIn;

    /** Records out of the stage. */
    @Label("Records Out")
    public int recordsOut;

    /** Time spent in the stage. */
    @Label("Elapsed")
    @Timespan(Timespan.NANOSECONDS)
    public long elapsed;
}
