package dev.pipescope.jmx;

/** {@code dev.pipescope:type=Log,pipeline=<pipeline>}: the pipeline's JSON event log, its counters and level. */
@Description("The JSON event log: what its sink wrote, dropped and truncated, and the level it logs at.")
public interface LogSinkMXBean {
    /** @return lines written. */
    @Description("Event lines written to the destination.")
    long getEventsWritten();

    /** @return bytes written. */
    @Description("Bytes written to the destination.")
    long getBytesWritten();

    /** @return dropped lines. */
    @Description("Events dropped (asynchronous buffer full, or a failed write).")
    long getEventsDropped();

    /** @return truncated lines. */
    @Description("Lines shortened to the maximum line length (still valid JSON).")
    long getLinesTruncated();

    /** @return write errors. */
    @Description("Failed writes to the destination (the pipeline carries on).")
    long getWriteErrors();

    /** @return the level. */
    @Description("Lowest level logged: DEBUG, INFO, WARNING or ERROR. Writable.")
    String getLevel();

    /** @param level the new level. */
    @Description("Lowest level logged: DEBUG, INFO, WARNING or ERROR. Writable.")
    void setLevel(String level);
}
