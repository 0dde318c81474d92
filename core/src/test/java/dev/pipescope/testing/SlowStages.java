package dev.pipescope.testing;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.stage.ConfiguredStage;
import dev.pipescope.stage.Stage;
import dev.pipescope.stage.StageDecorator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stage decorator for tests that makes named stages slower on demand (busy-waiting inside the stage's
 * timing, as the program's {@code slow:} fault does).
 */
public final class SlowStages implements StageDecorator {
    private final Map<String, Long> extraNanos = new ConcurrentHashMap<>();

    /**
     * @param stage a stage's name.
     * @param nanos extra time per batch; 0 for none.
     */
    public void slow(final String stage, final long nanos) {
        extraNanos.put(stage, nanos);
    }

    @Override
    public Stage decorate(final ConfiguredStage configured) {
        final Stage inner = configured.stage();
        final String name = configured.name();
        return new Stage() {
            @Override
            public void process(final RecordBatch batch) {
                inner.process(batch);
                final long extra = extraNanos.getOrDefault(name, 0L);
                if (extra > 0) {
                    final long until = System.nanoTime() + extra;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                }
            }
        };
    }
}
