package dev.pipescope.stage.builtin;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.calibration.Calibration;
import dev.pipescope.calibration.CalibrationCache;
import dev.pipescope.calibration.CalibrationService;
import dev.pipescope.stage.Parameter;
import dev.pipescope.stage.Stage;
import dev.pipescope.stage.StageContext;
import dev.pipescope.stage.StageDefinition;
import org.agrona.concurrent.NanoClock;

/**
 * Applies each sensor's gain and offset ({@code value = raw * gain + offset}), looked up from the
 * calibration service through a {@link CalibrationCache}. When the service fails (or its circuit is
 * open) the stage degrades instead of losing data: a record gets the sensor's last known calibration,
 * flagged {@link RecordBatch#FLAG_STALE_CALIBRATION}, or passes uncalibrated; both are flagged
 * {@link RecordBatch#FLAG_DEGRADED}. A sensor whose lookup failed is not asked again within the same
 * batch, so an outage costs one call per sensor per batch, not one per record.
 */
@StageDefinition(type = "calibrate",
    description = "Applies per-sensor gain/offset from the calibration service, through a cache.")
public final class CalibrationStage implements Stage {
    @Parameter(description = "How long a cached calibration stays fresh.", min = 0, max = 86_400_000, unit = "ms")
    volatile long cacheTtlMs = 1000;

    @Parameter(description = "Number of cache slots (direct-mapped by sensor id).", min = 1, max = 1 << 20,
        tunable = false)
    int cacheCapacity = 64;

    private final Calibration scratch = new Calibration();
    private CalibrationCache cache;
    private CalibrationService service;
    private NanoClock clock;
    private long[] failedInBatch = new long[0];
    private long batchNumber;
    private long degradedRecords;
    private final java.util.concurrent.atomic.AtomicLong degraded = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public void open(final StageContext context) {
        cache = new CalibrationCache(cacheCapacity);
        service = context.calibrationService();
        clock = context.nanoClock();
        failedInBatch = new long[context.registry().capacity()];
    }

    @Override
    public void process(final RecordBatch batch) {
        final long now = clock.nanoTime();
        final long ttlNanos = cacheTtlMs * 1_000_000L;
        final long batchId = ++batchNumber;
        final Calibration c = scratch;
        final int[] sensor = batch.sensor;
        final double[] value = batch.value;
        final int[] flags = batch.flags;
        long degradedNow = 0;
        for (int i = 0, n = batch.size(); i < n; i++) {
            final int s = sensor[i];
            if (cache.get(s, now, ttlNanos, c)) {
                value[i] = c.apply(value[i]);
                flags[i] |= RecordBatch.FLAG_CALIBRATED;
            } else if (failedInBatch[s] != batchId && service.fetch(s, c)) {
                cache.put(s, c, now);
                value[i] = c.apply(value[i]);
                flags[i] |= RecordBatch.FLAG_CALIBRATED;
            } else {
                failedInBatch[s] = batchId;
                degradedNow++;
                if (cache.getLastKnown(s, c)) {
                    value[i] = c.apply(value[i]);
                    flags[i] |= RecordBatch.FLAG_CALIBRATED | RecordBatch.FLAG_STALE_CALIBRATION
                        | RecordBatch.FLAG_DEGRADED;
                } else {
                    flags[i] |= RecordBatch.FLAG_DEGRADED;
                }
            }
        }
        if (degradedNow != 0) {
            degradedRecords += degradedNow;
            degraded.lazySet(degradedRecords);
        }
    }

    /** @return the stage's cache (null before {@link #open}); its counters may be read from any thread. */
    public CalibrationCache cache() {
        return cache;
    }

    /** @return records passed with stale or no calibration since start; readable from any thread. */
    public long degradedRecords() {
        return degraded.get();
    }
}
