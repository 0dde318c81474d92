package dev.pipescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
 * The packaged program scraped by real Prometheus servers (Debian's {@code prometheus} 2.42, which CI installs),
 * all on 127.0.0.1: the program runs with {@code --http-port 0} at a fixed rate with a calibration outage of
 * sensor S3 in the middle, and two Prometheus servers scrape it every second — one as installed (text format,
 * classic histograms) and one with {@code --enable-feature=native-histograms} (protobuf, native histograms).
 * Two, because 2.42 with the feature ingests a histogram that has native buckets as a native histogram only:
 * its {@code _bucket}, {@code _count} and {@code _sum} series do not exist there, and
 * {@code scrape_classic_histograms}, which keeps both in later versions, is not a 2.42 setting. The assertions
 * go through Prometheus's HTTP query API, reading the run's history back with range queries once it has gone
 * through the outage — the records counters rise at the program's rate, {@code histogram_quantile(0.99, ...)}
 * of each stage's classic histogram lies within two classic buckets and of its native histogram within
 * HdrHistogram's precision plus one native bucket of the stage's own p99, from the very report the scrape read
 * (see {@link #assertQuantilesAgainstTheStagesOwnP99()}), the health status and the
 * {@code CIRCUIT_OPEN calibration:S3} reason appear during the outage and clear after it, and every query of
 * the Grafana dashboard in {@code docs/} returns data. All processes are stopped at the end.
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
    /** Native buckets (schema 8) grow by 2^(1/256), 0.27 %. */
    private static final double NATIVE_BUCKET_FACTOR = Math.pow(2, 1.0 / 256);
    /** HdrHistogram's precision at the stages' 3 significant digits: a recorded value is good to 0.1 %. */
    private static final double HDR_PRECISION = 1.001;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;
    private static Process program;
    private static Process prometheus;
    private static Process nativePrometheus;
    private static Path programOut;
    private static Path programErr;
    private static Path prometheusLog;
    private static Path nativePrometheusLog;
    private static String prometheusUrl;
    private static String nativePrometheusUrl;
    private static String httpUrl;
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
            "--http-port", "0"));
        startedEpochSeconds = System.currentTimeMillis() / 1000;
        program = new ProcessBuilder(command).redirectOutput(programOut.toFile()).redirectError(programErr.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        final JsonNode started = awaitRunStarted();
        httpUrl = started.get("httpUrl").asText();
        assertTrue(httpUrl.matches("http://127\\.0\\.0\\.1:\\d+"), httpUrl);

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
        final int port = freePort();
        prometheus = startPrometheus(config, "tsdb", port, prometheusLog);
        prometheusUrl = "http://127.0.0.1:" + port;
        nativePrometheusLog = work.resolve("prometheus-native.log");
        final int nativePort = freePort();
        nativePrometheus = startPrometheus(config, "tsdb-native", nativePort, nativePrometheusLog,
            "--enable-feature=native-histograms");
        nativePrometheusUrl = "http://127.0.0.1:" + nativePort;
        awaitPrometheusReady(prometheus, prometheusUrl, prometheusLog);
        awaitPrometheusReady(nativePrometheus, nativePrometheusUrl, nativePrometheusLog);
    }

    private static Process startPrometheus(final Path config, final String tsdb, final int port, final Path log,
        final String... flags) throws IOException {
        final List<String> command = new ArrayList<>(List.of(PROMETHEUS.toString(), "--config.file=" + config,
            "--storage.tsdb.path=" + Files.createDirectories(work.resolve(tsdb)),
            "--storage.tsdb.retention.time=1h", "--web.listen-address=127.0.0.1:" + port));
        command.addAll(List.of(flags));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    @AfterAll
    static void stopAll() throws InterruptedException {
        stop(nativePrometheus);
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

        // 4. histogram_quantile(0.99) of each stage's since-start histogram, classic and native, against the
        //    stage's own since-start p99 from its HdrHistogram, late in the run, when the JIT's warm-up weighs little
        assertQuantilesAgainstTheStagesOwnP99();

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

    private static void awaitPrometheusReady(final Process process, final String url, final Path log) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(url + "/-/ready")).timeout(Duration.ofSeconds(2))
                    .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (final IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive()) {
                fail("prometheus exited: " + tail(log));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("prometheus " + url + " not ready within 20 s" + diagnostics());
    }

    /** @return the instant query's result vector. */
    private static JsonNode query(final String promql) throws Exception {
        return api(prometheusUrl, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    /** @return the instant query's result, evaluated on one server at a time (seconds since the epoch). */
    private static JsonNode queryAt(final String url, final String promql, final String time) throws Exception {
        return api(url, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time=" + time);
    }

    /** @return the range query's result matrix over the run so far, one point a second. */
    private static JsonNode queryRange(final String promql) throws Exception {
        final long now = System.currentTimeMillis() / 1000;
        return api(prometheusUrl, "/api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
            + "&start=" + startedEpochSeconds + "&end=" + now + "&step=1");
    }

    private static JsonNode api(final String url, final String pathAndQuery) throws Exception {
        final HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + pathAndQuery))
            .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        final JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new AssertionError("Prometheus API " + url + pathAndQuery + " answered " + r.statusCode() + ": " + r.body());
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
     * histogram_quantile(0.99) of every stage, from both servers, against the stage's own since-start p99 as of
     * the very report each compared scrape read. A report's figures change every 250 ms and a scrape reads the
     * latest, so comparing with whatever the program says now would compare different batches (late in the run
     * the since-start p99 still moves by tenths of a percent a second, more than a native bucket). So: poll
     * {@code /health} for a few seconds — its {@code totalLatencyMicros} are the report's since-start
     * HdrHistogram count and p99, the figures the JMX attribute {@code TotalLatencyP99Micros} reads — then take
     * the scrapes of those seconds from each server, find one whose count is a polled report's (the count grows
     * with every report, so it names the report), and evaluate histogram_quantile at that scrape's timestamp.
     */
    private static void assertQuantilesAgainstTheStagesOwnP99() throws Exception {
        final List<String> stages = JsonLog.STAGES;
        final List<Map<Long, Double>> own = new ArrayList<>(); // per stage: report's count -> its p99 in seconds
        for (int i = 0; i < stages.size(); i++) {
            own.add(new TreeMap<>());
        }
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        while (System.nanoTime() < until) {
            final JsonNode health = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(httpUrl + "/health"))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
            for (final JsonNode stage : health.path("stages")) {
                final int i = stages.indexOf(stage.get("name").asText());
                final JsonNode total = stage.path("totalLatencyMicros");
                if (i >= 0 && total.has("count")) {
                    own.get(i).put(total.get("count").asLong(), total.get("p99").asDouble() / 1e6);
                }
            }
            Thread.sleep(40);
        }
        Thread.sleep(1200); // the last polled reports' scrapes have landed
        for (int i = 0; i < stages.size(); i++) {
            final String series = "pipescope_stage_batch_latency_seconds{pipeline=\"" + PIPELINE + "\",stage=\""
                + stages.get(i) + "\"}";
            // classic: the _count series' scrapes; histogram_quantile over the _bucket series at one of them
            final Scrape classic = matching(own.get(i), floatSamples(query(series.replace("{", "_count{") + "[8s]")),
                "classic", stages.get(i));
            assertP99("classic", stages.get(i), classic, queryAt(prometheusUrl, "histogram_quantile(0.99, sum by (le) ("
                + series.replace("{", "_bucket{") + "))", classic.time()), BUCKET_FACTOR * BUCKET_FACTOR,
                "two classic buckets: the quantile is interpolated inside the 19 % bucket that holds the stage's p99");
            // native: the histogram's own scrapes (the _bucket/_count series do not exist on that server)
            final Scrape nativeScrape = matching(own.get(i), histogramSamples(api(nativePrometheusUrl,
                "/api/v1/query?query=" + URLEncoder.encode(series + "[8s]", StandardCharsets.UTF_8))), "native",
                stages.get(i));
            assertP99("native", stages.get(i), nativeScrape, queryAt(nativePrometheusUrl, "histogram_quantile(0.99, "
                + series + ")", nativeScrape.time()), HDR_PRECISION * NATIVE_BUCKET_FACTOR,
                "HdrHistogram's precision plus one native bucket: the stage's p99 is the highest value of the"
                    + " HdrHistogram sub-bucket at rank round(0.99 n), the sampler put that sub-bucket in the native"
                    + " bucket holding that value, and histogram_quantile interpolates inside the native bucket where"
                    + " the cumulative count reaches 0.99 n — the same one, or, when its rank rounds to the next"
                    + " value, the next one's: 0.1 % for that");
        }
        // the README's native quantile over a rate, summed across instances, answers for every stage
        final JsonNode rated = api(nativePrometheusUrl, "/api/v1/query?query=" + URLEncoder.encode(
            "histogram_quantile(0.99, sum by (stage) (rate(pipescope_stage_batch_latency_seconds{pipeline=\"" + PIPELINE
                + "\"}[10s])))", StandardCharsets.UTF_8));
        assertEquals(stages.size(), rated.size(), "native quantile of a rate per stage: " + rated + diagnostics());
    }

    /** One scrape as Prometheus stored it: its timestamp (as the API wrote it), the histogram's count, the report's p99. */
    private record Scrape(String time, long count, double ownP99) {
    }

    /** @return the latest scrape whose count is one of the polled reports', with that report's p99. */
    private static Scrape matching(final Map<Long, Double> own, final List<String[]> samples, final String what,
        final String stage) {
        for (int k = samples.size() - 1; k >= 0; k--) {
            final long count = (long) Double.parseDouble(samples.get(k)[1]);
            if (own.containsKey(count)) {
                return new Scrape(samples.get(k)[0], count, own.get(count));
            }
        }
        throw new AssertionError(what + ", " + stage + ": no scrape of the last seconds read a polled report: scraped"
            + " counts " + samples.stream().map(v -> v[1]).toList() + ", polled " + own.keySet() + diagnostics());
    }

    /** @return a range-vector result's float samples of its first series, [timestamp, value]. */
    private static List<String[]> floatSamples(final JsonNode matrix) {
        final List<String[]> out = new ArrayList<>();
        if (matrix.size() > 0) {
            for (final JsonNode v : matrix.get(0).path("values")) {
                out.add(new String[] {v.get(0).asText(), v.get(1).asText()});
            }
        }
        return out;
    }

    /** @return a range-vector result's native histogram samples of its first series, [timestamp, count]. */
    private static List<String[]> histogramSamples(final JsonNode matrix) {
        final List<String[]> out = new ArrayList<>();
        if (matrix.size() > 0) {
            for (final JsonNode v : matrix.get(0).path("histograms")) {
                out.add(new String[] {v.get(0).asText(), v.get(1).get("count").asText()});
            }
        }
        return out;
    }

    /** Asserts that histogram_quantile(0.99) at a scrape lies within a factor of the p99 of the report it read. */
    private static void assertP99(final String kind, final String stage, final Scrape scrape, final JsonNode quantile,
        final double tolerance, final String why) {
        final double fromPrometheus = value(quantile);
        final double ratio = fromPrometheus / scrape.ownP99();
        System.out.printf("PrometheusIT: %s, %s p99 over %d batches: histogram_quantile %.3f us, HdrHistogram %.3f us,"
            + " ratio %.5f (tolerance %.5f)%n", kind, stage, scrape.count(), fromPrometheus * 1e6, scrape.ownP99() * 1e6,
            ratio, tolerance);
        assertTrue(ratio > 1 / tolerance && ratio < tolerance, kind + ", " + stage + ": histogram_quantile(0.99) = "
            + fromPrometheus + " s, the stage's p99 = " + scrape.ownP99() + " s over the same " + scrape.count()
            + " batches: more than a factor " + tolerance + " apart (" + why + ")" + diagnostics());
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
            + "\n--- native-histogram prometheus log:\n" + tail(nativePrometheusLog)
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
