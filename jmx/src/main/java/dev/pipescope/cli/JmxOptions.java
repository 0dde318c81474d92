package dev.pipescope.cli;

import dev.pipescope.Pipescope;
import dev.pipescope.jmx.JmxConnector;
import dev.pipescope.jmx.PipelineMBeans;
import dev.pipescope.log.LogSink;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * JMX options of {@code run}. The MBeans are always registered on the platform MBean server, so JConsole's
 * local process list and VisualVM attach with no option; {@code --jmx-port} also opens a remote connector.
 */
final class JmxOptions {
    @Option(names = "--jmx-port", paramLabel = "PORT",
        description = "Also open a remote JMX connector on PORT (RMI registry and server share it; 0 picks a free port).")
    Integer port;

    @Option(names = "--jmx-host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
        description = "Address the connector binds (default: ${DEFAULT-VALUE}); any non-loopback address needs --jmx-password-file.")
    String host;

    @Option(names = "--jmx-password-file", paramLabel = "FILE",
        description = "JMX password file (role password per line, readable by its owner only): turns on authentication.")
    Path passwordFile;

    @Option(names = "--jmx-access-file", paramLabel = "FILE",
        description = "JMX access file (role readonly|readwrite per line).")
    Path accessFile;

    @Option(names = "--jmx-ssl", description = "Use TLS (key store from the javax.net.ssl.* system properties).")
    boolean ssl;

    @Option(names = "--jmx-ssl-need-client-auth", description = "With --jmx-ssl, require client certificates.")
    boolean sslNeedClientAuth;

    @Option(names = "--no-jmx", description = "Register no MBeans at all.")
    boolean disabled;

    private JmxConnector.Options connectorOptions() {
        final JmxConnector.Options options = new JmxConnector.Options().host(host).ssl(ssl)
            .sslNeedClientAuth(sslNeedClientAuth).passwordFile(passwordFile).accessFile(accessFile);
        if (port != null) {
            options.port(port);
        }
        return options;
    }

    void validate() {
        if (port == null) {
            if (passwordFile != null || accessFile != null || ssl || !"127.0.0.1".equals(host)) {
                throw new UsageException("--jmx-host, --jmx-password-file, --jmx-access-file and --jmx-ssl need --jmx-port");
            }
            return;
        }
        if (disabled) {
            throw new UsageException("--jmx-port and --no-jmx contradict each other");
        }
        try {
            JmxConnector.checkSafe(connectorOptions());
        } catch (final IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    Exposure expose(final Pipescope scope, final LogSink sink) throws IOException {
        if (disabled) {
            return new Exposure(null, null);
        }
        final PipelineMBeans beans = PipelineMBeans.register(ManagementFactory.getPlatformMBeanServer(), scope, sink);
        if (port == null) {
            return new Exposure(beans, null);
        }
        try {
            return new Exposure(beans, JmxConnector.start(ManagementFactory.getPlatformMBeanServer(), connectorOptions()));
        } catch (final IOException | RuntimeException e) {
            beans.close();
            throw new UsageException("cannot open the JMX connector on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** What {@link #expose} registered and opened; closing it undoes both. */
    static final class Exposure implements AutoCloseable {
        private final PipelineMBeans beans;
        private final JmxConnector connector;

        Exposure(final PipelineMBeans beans, final JmxConnector connector) {
            this.beans = beans;
            this.connector = connector;
        }

        String url() {
            return connector == null ? null : connector.address().toString();
        }

        @Override
        public void close() throws IOException {
            try {
                if (connector != null) {
                    connector.close();
                }
            } finally {
                if (beans != null) {
                    beans.close();
                }
            }
        }
    }
}
