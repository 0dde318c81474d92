package dev.pipescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The packaged program scraped by a real Prometheus server (Debian's {@code prometheus}, which CI installs),
 * both on 127.0.0.1: the program runs with {@code --http-port 0} at a fixed rate with a calibration outage of
 * sensor S3 in the middle, Prometheus scrapes it every second, and the assertions go through Prometheus's
 * HTTP query API — the records counters rise at the program's rate, {@code histogram_quantile(0.99, ...)} of
 * each stage lies within the histogram's bucket precision of the stage's own p99 (read over JMX), the health
 * status and the {@code CIRCUIT_OPEN calibration:S3} reason appear during the outage and clear after it, and
 * every query of the Grafana dashboard in {@code docs/} returns data. Both processes are stopped at the end.
 */
class PrometheusIT {
    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final String PIPELINE = "promit";
    private static final int RATE = 200;
    private static final int BATCH = 1024;
    private static final long FAULT_FROM = 2_000; // 10 s in
    private static final long FAULT_TO = 3_600;   // 18 s in
    /** Bucket bounds grow by 2^(1/4); a quantile read back is good to about one bucket (see StageLatencyHistograms). */
    private static final double BUCKET_FACTOR = Math.pow(2, 0.25);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;
    private static Process program;
    private static Process prometheus;
    private static Path programOut;
    private static Path programErr;
    private static Path prometheusLog;
    private static String prometheusUrl;
    private static String jmxUrl;
    private static long startedEpochSeconds;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startProgramAndPrometheus() throws Exception {
        if (!Files.isExecutable(PROMETHEUS)) {
            fail(PROMETHEUS + " is missing: install the Debian package 'prometheus' (apt-get install prometheus;"
                + " .ci/run installs it)");
        }
        programOut = work.resolve("program.out");
        programErr = work.resolve("program.err");
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx64m", // small enough that collections happen, so the live-set panel has data
            "-jar", ProgramRunner.jar().toString(), "run", "--name", PIPELINE,
            "--rate", String.valueOf(RATE), "--batch-size", String.valueOf(BATCH), "--duration", "80s",
            "--health-interval", "250ms", "--stage-log-every", "100000",
            "--fault", "calibration:S3@" + FAULT_FROM + "-" + FAULT_TO,
            "--http-port", "0", "--jmx-port", "0"));
        startedEpochSeconds = System.currentTimeMillis() / 1000;
        program = new ProcessBuilder(command).redirectOutput(programOut.toFile()).redirectError(programErr.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        final JsonNode started = awaitRunStarted();
        final String httpUrl = started.get("httpUrl").asText();
        jmxUrl = started.get("jmxUrl").asText();
        assertTrue(httpUrl.matches("http://127\\.0\\.0\\.1:\\d+"), httpUrl);

        final int port = freePort();
        final Path config = Files.writeString(work.resolve("prometheus.yml"), String.join("\n",
            "global:",
            "  scrape_interval: 1s",
            "  scrape_timeout: 1s",
            "  evaluation_interval: 1s",
            "scrape_configs:",
            "  - job_name: pipescope",
            "    static_configs:",
            "      - targets: ['" + URI.create(httpUrl).getAuthority() + "']",
            ""));
        prometheusLog = work.resolve("prometheus.log");
        prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
            "--storage.tsdb.path=" + Files.createDirectories(work.resolve("tsdb")),
            "--storage.tsdb.retention.time=1h", "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true).redirectOutput(prometheusLog.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        prometheusUrl = "http://127.0.0.1:" + port;
        awaitPrometheusReady();
    }

    @AfterAll
    static void stopBoth() throws InterruptedException {
        stop(prometheus);
        stop(program);
    }

    private static void stop(final Process p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void prometheusSeesTheRateTheLatencyTheOutageAndTheDashboardsQueries() throws Exception {
        final String sel = "pipeline=\"" + PIPELINE + "\"";

        // 1. before the outage: the records counter rises at --rate x --batch-size, the pipeline is HEALTHY
        // rate() extrapolates at most half a scrape interval past the samples, so wait for a window full of them
        awaitQuery("count_over_time(pipescope_records_in_total{" + sel + "}[5s]) >= 5", r -> !r.isEmpty(), 15);
        final JsonNode rate = query("rate(pipescope_records_in_total{" + sel + "}[5s])");
        final double perSecond = value(rate);
        final double expected = (double) RATE * BATCH;
        assertTrue(Math.abs(perSecond / expected - 1) < 0.1, "rate(pipescope_records_in_total) = " + perSecond
            + ", expected " + expected + " (within 10%)" + diagnostics());
        assertEquals(1.0, value(awaitQuery("pipescope_health_status{" + sel + ",status=\"HEALTHY\"}",
            r -> !r.isEmpty() && value(r) == 1.0, 10)), diagnostics());
        assertTrue(query("pipescope_health_reason{" + sel + ",code=\"CIRCUIT_OPEN\"}").isEmpty(),
            "no outage yet" + diagnostics());

        // 2. during the outage of calibration:S3: DEGRADED with the CIRCUIT_OPEN reason naming the breaker
        final String reason = "pipescope_health_reason{" + sel + ",code=\"CIRCUIT_OPEN\",subject=\"calibration:S3\"}";
        final JsonNode open = awaitQuery(reason, r -> !r.isEmpty(), 25);
        assertEquals(1.0, value(open));
        assertEquals("DEGRADED", open.get(0).get("metric").get("status").asText());
        awaitQuery("pipescope_health_status{" + sel + ",status=\"DEGRADED\"} == 1", r -> !r.isEmpty(), 5);
        awaitQuery("sum(pipescope_circuit_breaker_state{" + sel + ",breaker=\"calibration:S3\",state=~\"OPEN|HALF_OPEN\"})"
            + " > 0", r -> !r.isEmpty(), 10);
        awaitQuery("increase(pipescope_dependency_failed_attempts_total{" + sel + ",dependency=\"calibration\"}[10s]) > 0",
            r -> !r.isEmpty(), 10);

        // 3. after it: the reason series ends and the status is HEALTHY again
        awaitQuery(reason, JsonNode::isEmpty, 25);
        awaitQuery("pipescope_health_status{" + sel + ",status=\"HEALTHY\"} == 1", r -> !r.isEmpty(), 10);

        // 4. histogram_quantile over the histogram against the stage's own p99 (its cumulative HdrHistogram, by JMX)
        Thread.sleep(1500); // a scrape after the latest report
        try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(jmxUrl))) {
            final MBeanServerConnection mbeans = jmx.getMBeanServerConnection();
            for (final String stage : JsonLog.STAGES) {
                final double fromPrometheus = value(query("histogram_quantile(0.99, sum by (le) ("
                    + "pipescope_stage_batch_latency_seconds_bucket{" + sel + ",stage=\"" + stage + "\"}))"));
                final double own = ((Number) mbeans.getAttribute(new ObjectName("dev.pipescope:type=Stage,pipeline="
                    + PIPELINE + ",name=" + stage), "TotalLatencyP99Micros")).doubleValue() / 1e6;
                final double ratio = fromPrometheus / own;
                System.out.printf("PrometheusIT: %s p99 histogram_quantile %.2f us, HdrHistogram %.2f us, ratio %.3f%n",
                    stage, fromPrometheus * 1e6, own * 1e6, ratio);
                assertTrue(ratio > 1 / (BUCKET_FACTOR * BUCKET_FACTOR) && ratio < BUCKET_FACTOR * BUCKET_FACTOR,
                    stage + ": histogram_quantile(0.99) = " + fromPrometheus + " s, the stage's p99 = " + own
                        + " s: more than two buckets apart" + diagnostics());
            }
        }

        // 5. every query of the Grafana dashboard returns data over the run
        final JsonNode dashboard = JSON.readTree(Path.of("..", "docs", "grafana-dashboard.json").toFile().exists()
            ? Path.of("..", "docs", "grafana-dashboard.json").toFile()
            : Path.of("docs", "grafana-dashboard.json").toFile());
        int queries = 0;
        for (final JsonNode panel : dashboard.get("panels")) {
            if (!panel.has("targets")) {
                continue;
            }
            for (final JsonNode target : panel.get("targets")) {
                final String expr = target.get("expr").asText()
                    .replace("$__rate_interval", "10s")
                    .replace("$pipeline", PIPELINE)
                    .replace("$stage", ".*");
                final JsonNode result = queryRange(expr);
                assertTrue(result.size() > 0 && result.get(0).get("values").size() > 0,
                    "panel '" + panel.get("title").asText() + "': no data for " + expr + diagnostics());
                queries++;
            }
        }
        assertTrue(queries >= 20, "the dashboard's queries were found: " + queries);
        assertTrue(program.isAlive(), "the program ran throughout" + diagnostics());
    }

    // ------------------------------------------------------------------ helpers

    private static JsonNode awaitRunStarted() throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (final String line : Files.readAllLines(programOut, StandardCharsets.UTF_8)) {
                if (line.contains("\"event\":\"run_started\"")) {
                    final JsonNode event = JSON.readTree(line);
                    if (event.has("httpUrl")) {
                        return event;
                    }
                    fail("run_started has no httpUrl: " + line);
                }
            }
            if (!program.isAlive()) {
                fail("the program ended before run_started" + diagnostics());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no run_started within 20 s" + diagnostics());
    }

    private static void awaitPrometheusReady() throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(prometheusUrl + "/-/ready")).timeout(Duration.ofSeconds(2))
                    .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (final IOException notYet) {
                // not listening yet
            }
            if (!prometheus.isAlive()) {
                fail("prometheus exited: " + tail(prometheusLog));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("prometheus not ready within 20 s" + diagnostics());
    }

    /** @return the instant query's result vector. */
    private static JsonNode query(final String promql) throws Exception {
        return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    /** @return the range query's result matrix over the run so far, one point a second. */
    private static JsonNode queryRange(final String promql) throws Exception {
        final long now = System.currentTimeMillis() / 1000;
        return api("/api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
            + "&start=" + startedEpochSeconds + "&end=" + now + "&step=1");
    }

    private static JsonNode api(final String pathAndQuery) throws Exception {
        final HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(prometheusUrl + pathAndQuery))
            .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        final JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new AssertionError("Prometheus API " + pathAndQuery + " answered " + r.statusCode() + ": " + r.body());
        }
        return body.get("data").get("result");
    }

    private static JsonNode awaitQuery(final String promql, final Predicate<JsonNode> condition, final int seconds)
        throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = query(promql);
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(promql + ": not as expected within " + seconds + " s; last result " + last
            + diagnostics());
    }

    private static double value(final JsonNode vector) {
        assertTrue(vector.size() > 0, "empty result");
        return Double.parseDouble(vector.get(0).get("value").get(1).asText());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String diagnostics() {
        return "\n--- program stderr:\n" + tail(programErr) + "\n--- prometheus log:\n" + tail(prometheusLog)
            + "\n--- last health:\n" + lastHealth();
    }

    private static String lastHealth() {
        try {
            String last = "";
            for (final String line : Files.readAllLines(programOut, StandardCharsets.UTF_8)) {
                if (line.contains("\"event\":\"pipeline_health\"")) {
                    last = line;
                }
            }
            return last;
        } catch (final IOException e) {
            return e.toString();
        }
    }

    private static String tail(final Path file) {
        try {
            if (file == null || !Files.exists(file)) {
                return "";
            }
            final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (final IOException e) {
            return e.toString();
        }
    }
}
