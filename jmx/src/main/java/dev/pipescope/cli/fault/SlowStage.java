package dev.pipescope.cli.fault;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.stage.Stage;

/**
 * What runs in a slow-faulted stage's place: the stage, then a busy wait for the fault's delay while it is
 * active. The pipeline times the processor it was given, so the wait is the stage's latency and busy time.
 * Only {@link #process(RecordBatch)} is ever called on it: the stage's parameters, opening and closing go to
 * the stage instance itself.
 */
final class SlowStage implements Stage {
    private final Stage stage;
    private final FaultSchedule schedule;
    private final int slot;

    SlowStage(final Stage stage, final FaultSchedule schedule, final int slot) {
        this.stage = stage;
        this.schedule = schedule;
        this.slot = slot;
    }

    @Override
    public void process(final RecordBatch batch) {
        stage.process(batch);
        final long delay = schedule.delayNanos(slot);
        if (delay > 0) {
            schedule.spin(delay);
        }
    }
}
