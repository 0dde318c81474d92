package dev.pipescope.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A pipeline's own totals, published as one block: the processing thread is the only writer, readers on
 * any thread get a consistent {@link PipelineCounters} without ever making the writer wait.
 *
 * <p>The protocol is the sequence lock of {@code StageMetrics}: the writer makes the version odd, updates
 * the counters with opaque stores, and makes it even again with a release store; a reader reads the
 * version (acquire), the counters (opaque), fences loads, and retries when the version changed or was odd.
 * Counters of one batch therefore appear together or not at all, and a report can never read more records
 * out than in.
 */
final class PipelineTotals {
    private static final VarHandle VERSION;
    private static final VarHandle BATCHES;
    private static final VarHandle RECORDS_IN;
    private static final VarHandle RECORDS_OUT;
    private static final VarHandle ALERTS;
    private static final VarHandle DEGRADED;
    private static final VarHandle INVALID;
    private static final VarHandle REJECTED;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            VERSION = lookup.findVarHandle(PipelineTotals.class, "version", long.class);
            BATCHES = lookup.findVarHandle(PipelineTotals.class, "batches", long.class);
            RECORDS_IN = lookup.findVarHandle(PipelineTotals.class, "recordsIn", long.class);
            RECORDS_OUT = lookup.findVarHandle(PipelineTotals.class, "recordsOut", long.class);
            ALERTS = lookup.findVarHandle(PipelineTotals.class, "alerts", long.class);
            DEGRADED = lookup.findVarHandle(PipelineTotals.class, "degraded", long.class);
            INVALID = lookup.findVarHandle(PipelineTotals.class, "invalid", long.class);
            REJECTED = lookup.findVarHandle(PipelineTotals.class, "rejected", long.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Writer-owned; the writer reads its own fields plainly.
    private long version;
    private long batches;
    private long recordsIn;
    private long recordsOut;
    private long alerts;
    private long degraded;
    private long invalid;
    private long rejected;

    /** Writer only: the plain count of batches so far (the writer's own view, no fence). */
    long batchesPlain() {
        return batches;
    }

    /** Writer only: adds one batch. */
    void addBatch(final int in, final int out, final int batchAlerts, final int batchDegraded, final int batchInvalid) {
        final long v = version;
        VERSION.setOpaque(this, v + 1);
        VarHandle.storeStoreFence(); // the odd version is visible before any counter changes
        BATCHES.setOpaque(this, batches + 1);
        RECORDS_IN.setOpaque(this, recordsIn + in);
        RECORDS_OUT.setOpaque(this, recordsOut + out);
        ALERTS.setOpaque(this, alerts + batchAlerts);
        DEGRADED.setOpaque(this, degraded + batchDegraded);
        INVALID.setOpaque(this, invalid + batchInvalid);
        VERSION.setRelease(this, v + 2); // every store above happens-before the even version
    }

    /** Writer only: the source's count of rejected lines since it opened. */
    void rejectedTotal(final long total) {
        if (total == rejected) {
            return; // the common case costs no publication
        }
        final long v = version;
        VERSION.setOpaque(this, v + 1);
        VarHandle.storeStoreFence();
        REJECTED.setOpaque(this, total);
        VERSION.setRelease(this, v + 2);
    }

    /** Any thread: one counter, atomically and without allocating (a single long needs no seqlock). */
    long batches() {
        return (long) BATCHES.getAcquire(this);
    }

    long recordsIn() {
        return (long) RECORDS_IN.getAcquire(this);
    }

    long recordsOut() {
        return (long) RECORDS_OUT.getAcquire(this);
    }

    long alerts() {
        return (long) ALERTS.getAcquire(this);
    }

    long rejected() {
        return (long) REJECTED.getAcquire(this);
    }

    /** Any thread: a consistent reading. */
    PipelineCounters read() {
        while (true) {
            final long before = (long) VERSION.getAcquire(this);
            if ((before & 1) == 0) {
                final long b = (long) BATCHES.getOpaque(this);
                final long in = (long) RECORDS_IN.getOpaque(this);
                final long out = (long) RECORDS_OUT.getOpaque(this);
                final long a = (long) ALERTS.getOpaque(this);
                final long d = (long) DEGRADED.getOpaque(this);
                final long inv = (long) INVALID.getOpaque(this);
                final long r = (long) REJECTED.getOpaque(this);
                VarHandle.loadLoadFence(); // the loads above must not move below the second version read
                if ((long) VERSION.getOpaque(this) == before) {
                    return new PipelineCounters(b, in, out, a, d, inv, r);
                }
            }
            Thread.onSpinWait();
        }
    }
}
