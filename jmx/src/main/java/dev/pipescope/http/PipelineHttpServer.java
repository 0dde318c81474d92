package dev.pipescope.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.pipescope.Pipescope;
import dev.pipescope.health.HealthDashboard;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One HTTP server with the read-only endpoints of a pipeline: {@code /metrics} for Prometheus and
 * {@code /health/live}, {@code /health/ready}, {@code /health} for Kubernetes probes and operators. Nothing
 * can be changed over HTTP: every endpoint answers GET and HEAD only (405 otherwise), and none runs an
 * operation (JMX is where parameters are tuned).
 *
 * <p>{@code /metrics} is the official Prometheus Java client's handler ({@link MetricsHandler}), so the
 * exposition format is negotiated from the {@code Accept} header — Prometheus text 0.0.4, OpenMetrics text
 * or protobuf — and gzip is used when asked for. It serves the pipeline's families (see
 * {@link PipelineCollector}) and the client's JVM metrics ({@code jvm_*}, {@code process_*}) from a registry
 * of its own. Everything is read when a request arrives, on the server's two daemon threads
 * ({@code pipescope-http-<pipeline>-N}); the processing thread is never involved.
 *
 * <p>Lifecycle: {@link #start} binds and serves at once; {@link #close()} stops serving and unsubscribes from
 * the dashboard. Start it before the dashboard's first report, or the histograms start from the
 * since-start summaries of the first report this server sees.
 */
public final class PipelineHttpServer implements AutoCloseable {
    /** The default stall limit of {@code /health/live}: a stage holding one batch this long is not alive. */
    public static final Duration DEFAULT_STALL_LIMIT = Duration.ofSeconds(30);

    private static final String JSON = "application/json; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final HealthDashboard dashboard;
    private final StageLatencyHistograms latency;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final String host;

    private PipelineHttpServer(final HealthDashboard dashboard, final InetSocketAddress address,
        final Duration stallLimit) throws IOException {
        this.dashboard = dashboard;
        final String pipeline = dashboard.pipeline().name();
        latency = new StageLatencyHistograms(dashboard.pipeline().stages().size());
        registry.register(new PipelineCollector(dashboard, latency));
        JvmMetrics.builder().register(registry);
        final HealthEndpoints health = new HealthEndpoints(dashboard, stallLimit.toNanos());

        server = HttpServer.create(address, 16);
        final AtomicInteger threads = new AtomicInteger();
        executor = Executors.newFixedThreadPool(2, r -> {
            final Thread t = new Thread(r, "pipescope-http-" + pipeline + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", readOnly("/metrics",
            new MetricsHandler(PrometheusProperties.get(), registry)));
        server.createContext("/health", readOnly("/health", json(health::health)));
        server.createContext("/health/live", readOnly("/health/live", json(health::live)));
        server.createContext("/health/ready", readOnly("/health/ready", json(health::ready)));
        server.createContext("/", readOnly("/", PipelineHttpServer::index));
        dashboard.addListener(latency);
        host = address.getAddress() instanceof Inet6Address
            ? "[" + address.getAddress().getHostAddress() + "]" : address.getAddress().getHostAddress();
        server.start();
    }

    /**
     * Binds the address and serves a pipeline's endpoints.
     *
     * @param scope      the pipeline with its dashboard.
     * @param address    where to listen; port 0 picks a free one (see {@link #port()}).
     * @param stallLimit how long a stage may hold a batch before {@code /health/live} answers 503.
     * @return the running server.
     * @throws IOException when the address cannot be bound.
     */
    public static PipelineHttpServer start(final Pipescope scope, final InetSocketAddress address,
        final Duration stallLimit) throws IOException {
        return start(scope.health(), address, stallLimit);
    }

    /**
     * Binds the address and serves the endpoints of the dashboard's pipeline.
     *
     * @param dashboard  the pipeline's dashboard.
     * @param address    where to listen; port 0 picks a free one (see {@link #port()}).
     * @param stallLimit how long a stage may hold a batch before {@code /health/live} answers 503.
     * @return the running server.
     * @throws IOException when the address cannot be bound.
     */
    public static PipelineHttpServer start(final HealthDashboard dashboard, final InetSocketAddress address,
        final Duration stallLimit) throws IOException {
        Objects.requireNonNull(dashboard, "dashboard");
        Objects.requireNonNull(address, "address");
        if (stallLimit.isNegative() || stallLimit.isZero()) {
            throw new IllegalArgumentException("stall limit must be positive: " + stallLimit);
        }
        return new PipelineHttpServer(dashboard, address, stallLimit);
    }

    /** @return the port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** @return the server's base URL, e.g. {@code http://127.0.0.1:9400}. */
    public String url() {
        return "http://" + host + ":" + port();
    }

    /** @return the registry {@code /metrics} serves; an embedder may register collectors of its own on it. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** Stops serving (requests in progress are cut) and unsubscribes from the dashboard. */
    @Override
    public void close() {
        dashboard.removeListener(latency);
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** GET and HEAD only, on exactly {@code path} (a context also matches longer paths). */
    private static HttpHandler readOnly(final String path, final HttpHandler handler) {
        return exchange -> {
            try (exchange) {
                final String method = exchange.getRequestMethod();
                if (!exchange.getRequestURI().getPath().equals(path)) {
                    send(exchange, 404, "text/plain; charset=utf-8", "not found; try /metrics, /health, /health/live,"
                        + " /health/ready\n");
                } else if (!"GET".equals(method) && !"HEAD".equals(method)) {
                    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                    send(exchange, 405, "text/plain; charset=utf-8", "read-only: GET or HEAD\n");
                } else {
                    handler.handle(exchange);
                }
            }
        };
    }

    private static HttpHandler json(final Supplier<HealthEndpoints.Response> endpoint) {
        return exchange -> {
            final HealthEndpoints.Response r = endpoint.get();
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            send(exchange, r.code(), JSON, r.body() + "\n");
        };
    }

    private static void index(final HttpExchange exchange) throws IOException {
        send(exchange, 200, "text/plain; charset=utf-8", "pipescope\n"
            + "/metrics        Prometheus metrics (text, OpenMetrics or protobuf by Accept)\n"
            + "/health/live    liveness: 200 while the processing thread is alive and not stalled\n"
            + "/health/ready   readiness: 200 when HEALTHY or DEGRADED, 503 before the first report and when UNHEALTHY\n"
            + "/health         the last health report as JSON\n");
    }

    private static void send(final HttpExchange exchange, final int code, final String contentType, final String body)
        throws IOException {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(code, -1);
            return;
        }
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
