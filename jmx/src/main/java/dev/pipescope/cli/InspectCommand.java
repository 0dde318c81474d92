package dev.pipescope.cli;

import dev.pipescope.batch.SensorRegistry;
import dev.pipescope.calibration.CalibrationService;
import dev.pipescope.calibration.SimulatedCalibrationService;
import dev.pipescope.pipeline.Pipeline;
import dev.pipescope.pipeline.PipelineInspector;
import dev.pipescope.stage.StageCatalog;
import dev.pipescope.stage.StageContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** Prints each configured stage's self-description and the available stage types. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Describe the configured stages (type, description, process signature, parameters, class)"
        + " and list the available stage types.")
final class InspectCommand implements Callable<Integer> {
    @CommandLine.Mixin
    private final PipelineOptions pipelineOptions = new PipelineOptions();

    @Option(names = "--json", description = "Print the report as one JSON document.")
    private boolean json;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        pipelineOptions.validate();
        final StageCatalog catalog = pipelineOptions.catalog();
        final SensorRegistry registry = new SensorRegistry(pipelineOptions.sensorCapacity);
        final StageContext context = StageContext.builder(pipelineOptions.name, registry)
            .service(CalibrationService.class, new SimulatedCalibrationService(registry.capacity())).build();
        try (Pipeline pipeline = Pipeline.assemble(pipelineOptions.name, pipelineOptions.definition(), catalog, context)) {
            final PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(PipelineInspector.jsonReport(pipeline.name(), pipeline.stages(), catalog));
            } else {
                out.print(PipelineInspector.textReport(pipeline.stages(), catalog));
            }
            out.flush();
        }
        return Main.EXIT_OK;
    }
}
