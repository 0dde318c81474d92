package dev.pipescope.pipeline;

import java.util.concurrent.atomic.AtomicLong;

/** Per-stage totals with a single writer (the processing thread), readable from any thread. */
public final class StageCounters {
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong recordsIn = new AtomicLong();
    private final AtomicLong recordsOut = new AtomicLong();
    private final AtomicLong busyNanos = new AtomicLong();

    void record(final int in, final int out, final long nanos) {
        recordsIn.lazySet(recordsIn.get() + in);
        recordsOut.lazySet(recordsOut.get() + out);
        busyNanos.lazySet(busyNanos.get() + nanos);
        batches.lazySet(batches.get() + 1);
    }

    /** @return batches the stage processed. */
    public long batches() {
        return batches.get();
    }

    /** @return records that entered the stage. */
    public long recordsIn() {
        return recordsIn.get();
    }

    /** @return records that left the stage. */
    public long recordsOut() {
        return recordsOut.get();
    }

    /** @return time spent in the stage. */
    public long busyNanos() {
        return busyNanos.get();
    }
}
