package dev.pipescope.log;

/** What an {@link AsyncLogSink} producer does when the ring buffer is full. */
public enum OverflowPolicy {
    /** Drop the line and count it: the hot path never waits for I/O. The default. */
    DROP,
    /** Spin, then yield, until the writer frees space (or the sink closes): no loss, but the caller stalls. */
    WAIT
}
