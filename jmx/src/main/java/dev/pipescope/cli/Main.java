package dev.pipescope.cli;

import dev.pipescope.log.AgronaAccess;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code pipescope} program: {@code run} a pipeline on simulated sensors or CSV input, or
 * {@code inspect} its stages. Exit codes: 0 done, 1 failure at run time, 2 bad usage or invalid config.
 */
@Command(name = "pipescope", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "An observable sensor-analytics pipeline: run it, or inspect its stages.",
    subcommands = {RunCommand.class, InspectCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for a completed run. */
    public static final int EXIT_OK = 0;
    /** Exit code for a failure while running. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code for bad usage or an invalid config. */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * @param args the command line.
     */
    public static void main(final String[] args) {
        if (!AgronaAccess.isAvailable()) { // started with java -cp, without the manifest's Add-Exports
            System.err.println("pipescope: " + AgronaAccess.problem());
            System.exit(EXIT_USAGE);
        }
        System.exit(execute(args));
    }

    /**
     * Runs the program without exiting the JVM (for tests and embedding).
     *
     * @param args the command line.
     * @return the exit code.
     */
    public static int execute(final String... args) {
        return newCommandLine().execute(args);
    }

    /** @return the configured picocli command line. */
    public static CommandLine newCommandLine() {
        final CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExitCodeExceptionMapper(Main::exitCodeOf);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            final int code = exitCodeOf(e);
            cmd.getErr().println("pipescope: " + (code == EXIT_USAGE ? "" : "error: ") + messageOf(e));
            cmd.getErr().flush();
            return code;
        });
        return commandLine;
    }

    static int exitCodeOf(final Throwable e) {
        if (e instanceof UsageException || e instanceof dev.pipescope.pipeline.PipelineConfigException
            || e instanceof CommandLine.ParameterException) {
            return EXIT_USAGE;
        }
        return EXIT_FAILURE;
    }

    private static String messageOf(final Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: use 'run' or 'inspect'");
    }

    /** Reports the version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            final String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"pipescope " + (v != null ? v : "development build"),
                "JVM: ${java.version} (${java.vendor} ${java.vm.name} ${java.vm.version})"};
        }
    }
}
