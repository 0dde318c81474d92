package dev.pipescope.pipeline;

import dev.pipescope.log.JsonStrings;
import dev.pipescope.stage.ConfiguredStage;
import dev.pipescope.stage.ParameterSpec;
import dev.pipescope.stage.StageCatalog;
import dev.pipescope.stage.StageDescriptor;
import dev.pipescope.stage.StageType;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The pipeline's self-description, as the original design's inspection report printed it (stage,
 * description, process signature, parameter count, class) and as one JSON document. Not on the hot
 * path: it allocates freely.
 */
public final class PipelineInspector {
    private static final String RULE = "=".repeat(60);

    private PipelineInspector() {
    }

    /**
     * @param stages  the configured stages, in order.
     * @param catalog the available stage types.
     * @return the human-readable report.
     */
    public static String textReport(final List<ConfiguredStage> stages, final StageCatalog catalog) {
        final StringBuilder out = new StringBuilder();
        out.append(RULE).append('\n').append("PIPELINE STAGE INSPECTION REPORT").append('\n').append(RULE).append('\n');
        for (final ConfiguredStage stage : stages) {
            final StageDescriptor d = stage.describe();
            out.append('\n').append("Stage: ").append(d.stageName()).append('\n');
            out.append("  Type: ").append(d.typeName()).append('\n');
            out.append("  Description: ").append(d.description()).append('\n');
            out.append("  Process signature: ").append(d.processSignature()).append('\n');
            out.append("  Parameters: ").append(d.parameters().size()).append('\n');
            for (final StageDescriptor.Parameter p : d.parameters()) {
                out.append("    ").append(p.type()).append(' ').append(p.name()).append(" = ").append(p.currentValue());
                if (!p.unit().isEmpty()) {
                    out.append(' ').append(p.unit());
                }
                out.append("  (default ").append(p.defaultValue()).append(", bounds ").append(p.bounds())
                    .append(p.tunable() ? ", tunable" : ", fixed at assembly").append(")  ")
                    .append(p.description()).append('\n');
            }
            out.append("  Class: ").append(d.className()).append('\n');
        }
        out.append('\n').append("AVAILABLE STAGE TYPES").append('\n');
        for (final StageType type : catalog.types()) {
            out.append("  ").append(String.format("%-10s", type.name())).append(' ').append(type.processSignature())
                .append('\n').append("             ").append(type.description()).append("  [")
                .append(type.stageClass().getName()).append("]\n");
        }
        for (final String problem : catalog.rejected()) {
            out.append("  WARNING: ").append(problem).append('\n');
        }
        return out.toString();
    }

    /**
     * @param pipelineName the pipeline's name.
     * @param stages       the configured stages, in order.
     * @param catalog      the available stage types.
     * @return the report as one JSON document.
     */
    public static String jsonReport(final String pipelineName, final List<ConfiguredStage> stages,
        final StageCatalog catalog) {
        final StringBuilder out = new StringBuilder(4096);
        out.append("{\"pipeline\":").append(quote(pipelineName)).append(",\"stages\":[");
        for (int i = 0; i < stages.size(); i++) {
            final StageDescriptor d = stages.get(i).describe();
            if (i > 0) {
                out.append(',');
            }
            out.append("{\"name\":").append(quote(d.stageName()))
                .append(",\"type\":").append(quote(d.typeName()))
                .append(",\"description\":").append(quote(d.description()))
                .append(",\"processSignature\":").append(quote(d.processSignature()))
                .append(",\"parameterCount\":").append(d.parameters().size())
                .append(",\"class\":").append(quote(d.className()))
                .append(",\"parameters\":[");
            for (int j = 0; j < d.parameters().size(); j++) {
                final StageDescriptor.Parameter p = d.parameters().get(j);
                if (j > 0) {
                    out.append(',');
                }
                out.append("{\"name\":").append(quote(p.name()))
                    .append(",\"type\":").append(quote(p.type()))
                    .append(",\"default\":").append(literal(p.type(), p.defaultValue()))
                    .append(",\"current\":").append(literal(p.type(), p.currentValue()))
                    .append(",\"min\":").append(number(p.min()))
                    .append(",\"max\":").append(number(p.max()))
                    .append(",\"tunable\":").append(p.tunable())
                    .append(",\"unit\":").append(quote(p.unit()))
                    .append(",\"description\":").append(quote(p.description())).append('}');
            }
            out.append("]}");
        }
        out.append("],\"availableTypes\":[");
        final List<StageType> types = catalog.types();
        for (int i = 0; i < types.size(); i++) {
            final StageType t = types.get(i);
            if (i > 0) {
                out.append(',');
            }
            out.append("{\"type\":").append(quote(t.name()))
                .append(",\"description\":").append(quote(t.description()))
                .append(",\"processSignature\":").append(quote(t.processSignature()))
                .append(",\"class\":").append(quote(t.stageClass().getName()))
                .append(",\"parameters\":[");
            for (int j = 0; j < t.parameters().size(); j++) {
                final ParameterSpec p = t.parameters().get(j);
                if (j > 0) {
                    out.append(',');
                }
                out.append(quote(p.name()));
            }
            out.append("]}");
        }
        out.append("],\"rejectedTypes\":[");
        for (int i = 0; i < catalog.rejected().size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(quote(catalog.rejected().get(i)));
        }
        return out.append("]}").toString();
    }

    private static String quote(final String s) {
        return new String(JsonStrings.quotedUtf8(s), StandardCharsets.UTF_8);
    }

    private static String literal(final String type, final String text) {
        return "double".equals(type) ? number(Double.parseDouble(text)) : text;
    }

    private static String number(final double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        return Double.toString(v);
    }
}
