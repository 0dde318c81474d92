package dev.pipescope.jmx;

import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.StageFailedException;
import dev.pipescope.stage.ConfiguredStage;
import dev.pipescope.stage.StageType;

/** Adapter of a {@link Pipeline} to {@link PipelineMXBean}. */
final class PipelineBean implements PipelineMXBean {
    private final Pipeline pipeline;
    private final String[] stageNames;
    private final String[] types;

    PipelineBean(final Pipeline pipeline) {
        this.pipeline = pipeline;
        stageNames = pipeline.stages().stream().map(ConfiguredStage::name).toArray(String[]::new);
        types = pipeline.catalog().types().stream().map(StageType::name).toArray(String[]::new);
    }

    @Override
    public String getName() {
        return pipeline.name();
    }

    @Override
    public String[] getStageNames() {
        return stageNames.clone();
    }

    @Override
    public String[] getAvailableStageTypes() {
        return types.clone();
    }

    @Override
    public long getBatches() {
        return pipeline.batches();
    }

    @Override
    public long getRecordsIn() {
        return pipeline.recordsIn();
    }

    @Override
    public long getRecordsOut() {
        return pipeline.recordsOut();
    }

    @Override
    public long getRecordsRejected() {
        return pipeline.rejected();
    }

    @Override
    public long getAlerts() {
        return pipeline.alerts();
    }

    @Override
    public long getDegradedRecords() {
        return pipeline.counters().degraded();
    }

    @Override
    public double getUptimeSeconds() {
        return pipeline.uptimeNanos() / 1e9;
    }

    @Override
    public String getState() {
        return pipeline.state().name();
    }

    @Override
    public String getFailure() {
        final StageFailedException failure = pipeline.failure();
        return failure == null ? null : failure.getMessage();
    }

    @Override
    public void resetMetrics() {
        pipeline.resetMetrics();
    }
}
