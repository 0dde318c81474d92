package dev.pipescope.cli.fault;

import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.calibration.CalibrationService;
import dev.pipescope.pipeline.PipelineDefinition;
import dev.pipescope.pipeline.PipelineRunner;
import dev.pipescope.stage.StageDecorator;
import org.agrona.concurrent.NanoClock;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The program's fault injection: which faults apply to the batch about to be processed, and the two
 * wrappers that act on it, so that open circuits, retries and bottlenecks can be seen without a real
 * outage and without the core knowing about faults.
 *
 * <ul>
 *   <li>{@link #calibration(CalibrationService)} wraps the calibration service the stages are given: a call
 *       for a faulted sensor fails (returns false, as a real outage would) while its fault lasts; other
 *       calls go to the real service;</li>
 *   <li>{@link #stageDecorator()} is given at assembly ({@code Pipescope.Builder.decorateStages}): a stage
 *       named by a slow fault runs inside a wrapper that busy-waits the extra time after the stage itself,
 *       within the stage's own timing, so it shows as that stage's latency and busy time.</li>
 * </ul>
 * {@link #beforeBatch(long)} is the runner's hook ({@link PipelineRunner#hook}); it works out from the faults'
 * ranges, every batch, which sensors fail and how slow each stage is, so overlapping faults add up and a
 * run that does not start at batch 1 is judged right.
 *
 * <p>Threading: everything but construction happens on the processing thread (the hook, the stages, the
 * calibration calls), so the state is plain fields. Allocation-free per batch, except once: the sensors
 * named by calibration faults are looked up, and registered when new, before the first batch — after the
 * source has registered its own sensors, so naming a sensor in a fault does not change the ids (and the
 * simulated calibrations) of the others.
 */
public final class FaultSchedule implements PipelineRunner.BatchHook {
    private final Fault[] faults;
    private final SensorRegistry registry;
    private final NanoClock clock;
    /** Per fault: its sensor id (calibration) once resolved, or its slot (slow). */
    private final int[] targets;
    private final List<String> slowStages = new ArrayList<>();
    private final long[] delayBySlot;
    private final boolean[] failingSensor;
    private boolean sensorsResolved;

    /**
     * @param faults   the faults, in the order given.
     * @param stages   the pipeline's stages: every slow fault must name one of them.
     * @param registry the pipeline's sensor registry (calibration faults' sensors are looked up in it).
     * @param clock    the clock the slow wrapper waits on (the pipeline's, so the wait is timed like the stage).
     * @throws IllegalArgumentException starting with {@code fault <fault>} when a slow fault names no stage of
     *                                  the pipeline; the message lists the stages.
     */
    public FaultSchedule(final List<Fault> faults, final PipelineDefinition stages, final SensorRegistry registry,
        final NanoClock clock) {
        this.faults = faults.toArray(new Fault[0]);
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
        final List<String> stageNames = new ArrayList<>();
        for (final PipelineDefinition.StageSpec s : stages.stages()) {
            stageNames.add(s.name());
        }
        targets = new int[this.faults.length];
        for (int i = 0; i < this.faults.length; i++) {
            final Fault f = this.faults[i];
            if (f.kind() == Fault.Kind.SLOW) {
                if (!stageNames.contains(f.target())) {
                    throw new IllegalArgumentException("fault " + f + ": the pipeline has no stage '" + f.target()
                        + "'; stages: " + String.join(", ", stageNames));
                }
                int slot = slowStages.indexOf(f.target());
                if (slot < 0) {
                    slot = slowStages.size();
                    slowStages.add(f.target());
                }
                targets[i] = slot;
            } else {
                targets[i] = -1; // resolved before the first batch
            }
        }
        delayBySlot = new long[slowStages.size()];
        failingSensor = new boolean[registry.capacity()];
    }

    /** @return the faults, in the order given. */
    public List<Fault> faults() {
        return List.of(faults);
    }

    /**
     * @param service the calibration service the stages would use.
     * @return a service that fails for the sensors whose calibration fault is active, and asks {@code service}
     *         otherwise.
     */
    public CalibrationService calibration(final CalibrationService service) {
        return new FaultyCalibrationService(service, this);
    }

    /**
     * @return the decorator that runs each slow-faulted stage inside a wrapper adding its delay, and every other
     *         stage as it is (no wrapper, no cost).
     */
    public StageDecorator stageDecorator() {
        return stage -> {
            final int slot = slowStages.indexOf(stage.name());
            return slot < 0 ? stage.stage() : new SlowStage(stage.stage(), this, slot);
        };
    }

    /**
     * Works out what the faults do to this batch. Processing thread, before the batch.
     *
     * @param batchNumber the 1-based number of the batch about to be processed.
     */
    @Override
    public void beforeBatch(final long batchNumber) {
        if (!sensorsResolved) {
            resolveSensors();
        }
        for (int i = 0; i < faults.length; i++) {
            if (faults[i].kind() == Fault.Kind.SLOW) {
                delayBySlot[targets[i]] = 0;
            } else {
                failingSensor[targets[i]] = false;
            }
        }
        for (int i = 0; i < faults.length; i++) {
            final Fault f = faults[i];
            if (f.activeIn(batchNumber)) {
                if (f.kind() == Fault.Kind.SLOW) {
                    delayBySlot[targets[i]] += f.delayNanos();
                } else {
                    failingSensor[targets[i]] = true;
                }
            }
        }
    }

    private void resolveSensors() {
        for (int i = 0; i < faults.length; i++) {
            if (faults[i].kind() == Fault.Kind.CALIBRATION) {
                targets[i] = registry.register(faults[i].target());
            }
        }
        sensorsResolved = true;
    }

    /**
     * @param sensorId a sensor id.
     * @return true while a calibration fault makes that sensor's calls fail.
     */
    boolean sensorFailing(final int sensorId) {
        return sensorId >= 0 && sensorId < failingSensor.length && failingSensor[sensorId];
    }

    /**
     * @param slot a slow stage's slot.
     * @return the extra time that stage takes in the current batch.
     */
    long delayNanos(final int slot) {
        return delayBySlot[slot];
    }

    /**
     * Busy-waits (so that the time is the stage's, as a slow computation would be).
     *
     * @param nanos how long.
     */
    void spin(final long nanos) {
        final long deadline = clock.nanoTime() + nanos;
        while (clock.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
    }
}
