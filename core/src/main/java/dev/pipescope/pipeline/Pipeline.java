package dev.pipescope.pipeline;

import dev.pipescope.batch.RecordBatch;
import dev.pipescope.stage.ConfiguredStage;
import dev.pipescope.stage.ParameterSpec;
import dev.pipescope.stage.StageCatalog;
import dev.pipescope.stage.StageContext;
import dev.pipescope.stage.StageType;
import org.agrona.concurrent.NanoClock;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An ordered chain of configured stages run on one batch at a time by one processing thread. Each stage
 * is timed and counted (one clock read between stages: the end of one stage is the start of the next).
 * Totals are published for readers on other threads without blocking the processing thread.
 */
public final class Pipeline implements AutoCloseable {
    /** Lifecycle of a pipeline. */
    public enum State {
        /** assembled, no batch processed yet. */
        READY,
        /** at least one batch processed. */
        RUNNING,
        /** closed; no more batches. */
        CLOSED
    }

    private final String name;
    private final StageContext context;
    private final ConfiguredStage[] stages;
    private final StageCounters[] counters;
    private final NanoClock clock;
    private final StageCatalog catalog;

    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong recordsIn = new AtomicLong();
    private final AtomicLong recordsOut = new AtomicLong();
    private final AtomicLong alerts = new AtomicLong();
    private volatile State state = State.READY;
    private final long createdNanos;

    private Pipeline(final String name, final StageContext context, final List<ConfiguredStage> stages,
        final StageCatalog catalog) {
        this.name = name;
        this.context = context;
        this.stages = stages.toArray(new ConfiguredStage[0]);
        this.catalog = catalog;
        this.clock = context.nanoClock();
        counters = new StageCounters[this.stages.length];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new StageCounters();
        }
        createdNanos = clock.nanoTime();
    }

    /**
     * Assembles a pipeline: resolves every stage type in the catalog, applies and checks parameters, and
     * opens the stages.
     *
     * @param name       the pipeline's name.
     * @param definition the stages to assemble.
     * @param catalog    the available stage types.
     * @param context    the shared services.
     * @return the pipeline, ready for its first batch.
     * @throws PipelineConfigException naming the line, stage, parameter and what is allowed.
     */
    public static Pipeline assemble(final String name, final PipelineDefinition definition,
        final StageCatalog catalog, final StageContext context) {
        final String origin = definition.origin();
        final List<ConfiguredStage> stages = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        for (final PipelineDefinition.StageSpec spec : definition.stages()) {
            final StageType type = catalog.find(spec.type());
            if (type == null) {
                throw new PipelineConfigException(origin, spec.line(), "unknown stage type '" + spec.type()
                    + "'; available types: " + catalog.typeNames());
            }
            if (!names.add(spec.name())) {
                throw new PipelineConfigException(origin, spec.line(), "stage name '" + spec.name()
                    + "' is used twice; give the second one a name with 'as NAME'");
            }
            final ConfiguredStage stage = new ConfiguredStage(spec.name(), type, type.newInstance());
            for (final Map.Entry<String, String> p : spec.parameters().entrySet()) {
                final ParameterSpec parameter = type.parameter(p.getKey());
                if (parameter == null) {
                    throw new PipelineConfigException(origin, spec.line(), "stage '" + spec.name() + "' ("
                        + type.name() + ") has no parameter '" + p.getKey() + "'; valid parameters: "
                        + type.parameterNames());
                }
                try {
                    stage.configure(p.getKey(), parameter.parse(p.getValue()));
                } catch (final IllegalArgumentException e) {
                    throw new PipelineConfigException(origin, spec.line(), prefixed(spec.name(), type, e));
                }
            }
            try {
                stage.validate();
            } catch (final IllegalArgumentException e) {
                throw new PipelineConfigException(origin, spec.line(), e.getMessage());
            }
            stages.add(stage);
        }
        if (stages.isEmpty()) {
            throw new PipelineConfigException(origin, 0, "the pipeline defines no stage");
        }
        for (final ConfiguredStage stage : stages) {
            stage.stage().open(context);
        }
        return new Pipeline(name, context, stages, catalog);
    }

    private static String prefixed(final String stageName, final StageType type, final IllegalArgumentException e) {
        final String message = e.getMessage();
        return message.startsWith("stage '") ? message : "stage '" + stageName + "' (" + type.name() + "): " + message;
    }

    /**
     * Runs every stage on the batch, in order. Called by one processing thread; allocation-free.
     *
     * @param batch the records; on return, what the last stage kept.
     */
    public void process(final RecordBatch batch) {
        if (state != State.RUNNING) {
            start();
        }
        final int in = batch.size();
        long start = clock.nanoTime();
        for (int i = 0; i < stages.length; i++) {
            final int stageIn = batch.size();
            stages[i].process(batch);
            final long end = clock.nanoTime();
            counters[i].record(stageIn, batch.size(), end - start);
            start = end;
        }
        recordsIn.lazySet(recordsIn.get() + in);
        recordsOut.lazySet(recordsOut.get() + batch.size());
        final int flagged = batch.countFlagged(RecordBatch.FLAG_ANOMALY);
        if (flagged != 0) {
            alerts.lazySet(alerts.get() + flagged);
        }
        batches.lazySet(batches.get() + 1);
    }

    private void start() {
        if (state == State.CLOSED) {
            throw new IllegalStateException("pipeline '" + name + "' is closed");
        }
        state = State.RUNNING;
    }

    /** @return the pipeline's name. */
    public String name() {
        return name;
    }

    /** @return its stages in order. */
    public List<ConfiguredStage> stages() {
        return List.of(stages);
    }

    /**
     * @param stageName a stage's name.
     * @return the stage, or null.
     */
    public ConfiguredStage stage(final String stageName) {
        for (final ConfiguredStage s : stages) {
            if (s.name().equals(stageName)) {
                return s;
            }
        }
        return null;
    }

    /**
     * @param index a stage's position.
     * @return its counters.
     */
    public StageCounters counters(final int index) {
        return counters[index];
    }

    /** @return the shared services the stages were opened with. */
    public StageContext context() {
        return context;
    }

    /** @return the catalog the pipeline was assembled from. */
    public StageCatalog catalog() {
        return catalog;
    }

    /** @return batches processed. */
    public long batches() {
        return batches.get();
    }

    /** @return records that entered the first stage. */
    public long recordsIn() {
        return recordsIn.get();
    }

    /** @return records that left the last stage. */
    public long recordsOut() {
        return recordsOut.get();
    }

    /** @return records flagged as anomalies on leaving the pipeline. */
    public long alerts() {
        return alerts.get();
    }

    /** @return the lifecycle state. */
    public State state() {
        return state;
    }

    /** @return nanoseconds since assembly. */
    public long uptimeNanos() {
        return clock.nanoTime() - createdNanos;
    }

    /** Closes every stage; further batches are refused. */
    @Override
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        for (final ConfiguredStage stage : stages) {
            stage.stage().close();
        }
    }
}
