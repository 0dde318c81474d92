package dev.pipescope.cli;

import dev.pipescope.Pipescope;
import dev.pipescope.http.PipelineHttpServer;
import dev.pipescope.log.JsonLogEncoder;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * HTTP options of {@code run}: {@code --http-port} opens one server with the read-only endpoints
 * {@code /metrics}, {@code /health/live}, {@code /health/ready} and {@code /health}
 * (see {@link PipelineHttpServer}). Without it nothing listens.
 */
final class HttpOptions {
    @Option(names = "--http-port", paramLabel = "PORT",
        description = "Serve /metrics (Prometheus) and /health, /health/live, /health/ready (Kubernetes probes) on"
            + " PORT; 0 picks a free port (run_started's httpUrl says which). Read-only.")
    Integer port;

    @Option(names = "--http-host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
        description = "Address the HTTP server binds (default: ${DEFAULT-VALUE}; 0.0.0.0 in a pod, for the probes).")
    String host;

    @Option(names = "--http-stall-limit", paramLabel = "D", defaultValue = "30s", converter = DurationConverter.class,
        description = "/health/live answers 503 once a stage has held one batch longer than D (default: ${DEFAULT-VALUE}).")
    Duration stallLimit;

    private String url;

    /**
     * Opens the server when {@code --http-port} was given. Call once the pipeline is built, before the
     * reporter starts, and close the result where the run ends.
     *
     * @param scope the pipeline.
     * @return what to close; its {@link Exposure#url()} is null without {@code --http-port}.
     * @throws UsageException on a bad option or an address that cannot be bound (exit 2).
     */
    Exposure expose(final Pipescope scope) {
        if (port == null) {
            if (!"127.0.0.1".equals(host)) {
                throw new UsageException("--http-host needs --http-port");
            }
            return new Exposure(null);
        }
        if (port < 0 || port > 65535) {
            throw new UsageException("--http-port must be between 0 and 65535, was " + port);
        }
        if (stallLimit.isZero() || stallLimit.isNegative()) {
            throw new UsageException("--http-stall-limit must be positive, was " + stallLimit);
        }
        final InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (final UnknownHostException e) {
            throw new UsageException("--http-host: unknown host " + host, e);
        }
        try {
            final PipelineHttpServer server = PipelineHttpServer.start(scope, new InetSocketAddress(address, port),
                stallLimit);
            url = server.url();
            return new Exposure(server);
        } catch (final IOException | RuntimeException e) {
            throw new UsageException("cannot open the HTTP server on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** Adds {@code httpUrl} to the {@code run_started} event being written, when the server is open. */
    void logUrl(final JsonLogEncoder event) {
        if (url != null) {
            event.field("httpUrl", url);
        }
    }

    /** What {@link #expose} opened; closing it stops the server. */
    static final class Exposure implements AutoCloseable {
        private final PipelineHttpServer server;

        Exposure(final PipelineHttpServer server) {
            this.server = server;
        }

        /** @return the server's URL, or null when none was opened. */
        String url() {
            return server == null ? null : server.url();
        }

        @Override
        public void close() {
            if (server != null) {
                server.close();
            }
        }
    }
}
