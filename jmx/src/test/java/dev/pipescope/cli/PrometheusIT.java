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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The packaged program scraped by a real Prometheus server (Debian's {@code prometheus}, which CI installs),
 * both on 127.0.0.1: the program runs with {@code --http-port 0} at a fixed rate with a calibration outage of
 * sensor S3 in the middle, Prometheus scrapes it every second, and the assertions go through Prometheus's
 * HTTP query API, reading the run's history back with range queries once it has gone through the outage —
 * the records counters rise at the program's rate, {@code histogram_quantile(0.99, ...)} of
 * each stage lies within three buckets of the stage's own p99 (read over JMX) at the end of the run
 * (see {@link #bucketsFor}), the health
 * status and the {@code CIRCUIT_OPEN calibration:S3} reason appear during the outage and clear after it, and
 * every query of the Grafana dashboard in {@code docs/} returns data. Both processes are stopped at the end.
 */
class PrometheusIT {
    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final String PIPELINE = "promit";
    private static final int RATE = 200;
    private static final int BATCH = 1024;
    private static final long FAULT_FROM = 3_000; // 15 s in
    private static final long FAULT_TO = 4_600;   // 23 s in
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

        // 1. let the run go through the outage and recover, as Prometheus sees it; then read the history back
        //    (range queries), so that nothing depends on when this test happened to poll
        final String reason = "pipescope_health_reason{" + sel + ",code=\"CIRCUIT_OPEN\",subject=\"calibration:S3\"}";
        awaitQuery("pipescope_batches_total{" + sel + "} > " + FAULT_TO, r -> !r.isEmpty(), 60);
        awaitQuery(reason, JsonNode::isEmpty, 25);
        awaitQuery("pipescope_health_status{" + sel + ",status=\"HEALTHY\"} == 1", r -> !r.isEmpty(), 15);

        final TreeMap<Long, Double> batches = samples(queryRange("pipescope_batches_total{" + sel + "}"));
        assertTrue(!batches.isEmpty() && batches.firstEntry().getValue() < FAULT_FROM - RATE,
            "Prometheus scraped the program before the outage: first sample at batch "
                + (batches.isEmpty() ? "none" : batches.firstEntry().getValue()) + diagnostics());

        // 2. the records counter rises at --rate x --batch-size
        final double perSecond = value(query("rate(pipescope_records_in_total{" + sel + "}[10s])"));
        final double expected = (double) RATE * BATCH;
        assertTrue(Math.abs(perSecond / expected - 1) < 0.1, "rate(pipescope_records_in_total) = " + perSecond
            + ", expected " + expected + " (within 10%)" + diagnostics());

        // 3. HEALTHY before the outage; DEGRADED with CIRCUIT_OPEN calibration:S3 during it, and only then; HEALTHY after
        final TreeMap<Long, Double> healthy = samples(queryRange("pipescope_health_status{" + sel
            + ",status=\"HEALTHY\"} == 1"));
        assertTrue(healthy.keySet().stream().anyMatch(t -> batchAt(batches, t) < FAULT_FROM),
            "HEALTHY before the outage" + diagnostics());
        final TreeMap<Long, Double> open = samples(queryRange(reason));
        assertTrue(!open.isEmpty(), "the CIRCUIT_OPEN calibration:S3 series appeared" + diagnostics());
        final double openedAt = batchAt(batches, open.firstKey());
        final double closedAt = batchAt(batches, open.lastKey());
        System.out.printf("PrometheusIT: CIRCUIT_OPEN calibration:S3 seen from batch %.0f to %.0f (fault %d-%d)%n",
            openedAt, closedAt, FAULT_FROM, FAULT_TO);
        assertTrue(openedAt >= FAULT_FROM - RATE && openedAt <= FAULT_FROM + 6L * RATE,
            "the reason appeared within 6 s of the outage's start: at batch " + openedAt + diagnostics());
        assertTrue(closedAt >= FAULT_TO - RATE && closedAt <= FAULT_TO + 10L * RATE,
            "the reason ended within 10 s of the outage's end: at batch " + closedAt + diagnostics());
        assertTrue(healthy.keySet().stream().noneMatch(t -> t >= open.firstKey() && t <= open.lastKey()),
            "not HEALTHY while the reason stood" + diagnostics());
        assertTrue(!queryRange("pipescope_health_status{" + sel + ",status=\"DEGRADED\"} == 1").isEmpty(),
            "DEGRADED during the outage" + diagnostics());
        assertTrue(!queryRange("sum(pipescope_circuit_breaker_state{" + sel + ",breaker=\"calibration:S3\","
            + "state=~\"OPEN|HALF_OPEN\"}) > 0").isEmpty(), "the breaker opened" + diagnostics());
        assertTrue(value(query("pipescope_dependency_failed_attempts_total{" + sel + ",dependency=\"calibration\"}")) > 0,
            diagnostics());
        assertTrue(query(reason).isEmpty() && value(query("pipescope_health_status{" + sel + ",status=\"HEALTHY\"}")) == 1,
            "HEALTHY again, without the reason" + diagnostics());

        // 4. histogram_quantile(0.99) of each stage's histogram since start against the stage's own since-start
        //    p99 from its HdrHistogram (JMX), late in the run, when the JIT's warm-up weighs little
        Thread.sleep(1500);
        try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(jmxUrl))) {
            final double[] own = ownP99(jmx.getMBeanServerConnection());
            Thread.sleep(1500);
            for (int i = 0; i < JsonLog.STAGES.size(); i++) {
                assertP99("at the end", JsonLog.STAGES.get(i), own[i], bucketsFor(JsonLog.STAGES.get(i)));
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

    /**
     * How many buckets apart histogram_quantile may be from a stage's own p99: the buckets are the stage's
     * HdrHistogram counted at the bounds (core's LatencyBuckets), so the quantile read back is within the one
     * bucket that histogram_quantile interpolates in; one more allows for Prometheus's last scrape and the JMX
     * read coming from reports a second apart.
     */
    private static int bucketsFor(final String stage) {
        return 2;
    }

    /** @return each stage's since-start p99 from its HdrHistogram, in seconds, read over JMX. */
    private static double[] ownP99(final MBeanServerConnection mbeans) throws Exception {
        final double[] own = new double[JsonLog.STAGES.size()];
        for (int i = 0; i < own.length; i++) {
            own[i] = ((Number) mbeans.getAttribute(new ObjectName("dev.pipescope:type=Stage,pipeline=" + PIPELINE
                + ",name=" + JsonLog.STAGES.get(i)), "TotalLatencyP99Micros")).doubleValue() / 1e6;
        }
        return own;
    }

    /** Compares histogram_quantile(0.99) of a stage since start with its own p99; {@code buckets} 0 only prints. */
    private static void assertP99(final String when, final String stage, final double own, final int buckets)
        throws Exception {
        final double fromPrometheus = value(query("histogram_quantile(0.99, sum by (le) ("
            + "pipescope_stage_batch_latency_seconds_bucket{pipeline=\"" + PIPELINE + "\",stage=\"" + stage + "\"}))"));
        final double ratio = fromPrometheus / own;
        System.out.printf("PrometheusIT: %s, %s p99: histogram_quantile %.2f us, HdrHistogram %.2f us, ratio %.3f%n",
            when, stage, fromPrometheus * 1e6, own * 1e6, ratio);
        if (buckets > 0) {
            final double tolerance = Math.pow(BUCKET_FACTOR, buckets);
            assertTrue(ratio > 1 / tolerance && ratio < tolerance, when + ", " + stage + ": histogram_quantile(0.99) = "
                + fromPrometheus + " s, the stage's p99 = " + own + " s: more than " + buckets + " buckets apart"
                + diagnostics());
        }
    }

    /** @return the first series of a range result, timestamp (s) to value. */
    private static TreeMap<Long, Double> samples(final JsonNode matrix) {
        final TreeMap<Long, Double> points = new TreeMap<>();
        if (matrix.size() > 0) {
            for (final JsonNode v : matrix.get(0).get("values")) {
                points.put(v.get(0).asLong(), Double.parseDouble(v.get(1).asText()));
            }
        }
        return points;
    }

    /** @return the batch count Prometheus had at (or just before) a time. */
    private static double batchAt(final TreeMap<Long, Double> batches, final long time) {
        final Map.Entry<Long, Double> e = batches.floorEntry(time);
        return e == null ? 0 : e.getValue();
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
