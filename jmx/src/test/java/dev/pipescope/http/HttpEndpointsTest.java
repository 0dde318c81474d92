package dev.pipescope.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipescope.metrics.NativeLatencyBuckets;
import dev.pipescope.metrics.StageMetricsSnapshot;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The endpoints over real HTTP on 127.0.0.1: formats, codes, bodies, and that nothing but reading is allowed. */
class HttpEndpointsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void metricsNegotiatesTextOpenMetricsAndProtobuf() throws Exception {
        try (HttpFixture f = new HttpFixture("formats")) {
            f.run(200);
            f.dashboard.report();

            final HttpResponse<String> text = f.get("/metrics");
            assertEquals(200, text.statusCode());
            assertTrue(text.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                text.headers().map().toString());
            final String body = text.body();
            assertTrue(body.contains("# TYPE pipescope_records_in_total counter"), body);
            assertTrue(body.contains("pipescope_records_in_total{pipeline=\"formats\"} 102400.0"), body);
            assertTrue(body.contains("pipescope_stage_batch_latency_seconds_count{pipeline=\"formats\",stage=\"normalize\"} 200"),
                body);
            assertTrue(body.contains("pipescope_health_status{pipeline=\"formats\",status=\"HEALTHY\"} 1.0"), body);
            assertTrue(body.contains("pipescope_circuit_breaker_state{breaker=\"calibration:S3\",dependency=\"calibration\","
                + "pipeline=\"formats\",state=\"CLOSED\"} 1.0"), body);
            assertTrue(body.contains("jvm_memory_used_bytes{area=\"heap\"}"), "the client's JVM metrics too");

            final HttpResponse<String> open = f.get("/metrics", "application/openmetrics-text; version=1.0.0; charset=utf-8");
            assertEquals(200, open.statusCode());
            assertTrue(open.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
            assertTrue(open.body().contains("# UNIT pipescope_stage_batch_latency_seconds seconds"), open.body());
            assertTrue(open.body().endsWith("# EOF\n"));

            final HttpResponse<byte[]> proto = f.getBytes("/metrics",
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited");
            assertEquals(200, proto.statusCode());
            assertTrue(proto.headers().firstValue("Content-Type").orElse("").startsWith("application/vnd.google.protobuf"),
                proto.headers().map().toString());
            assertTrue(new String(proto.body(), StandardCharsets.ISO_8859_1).contains("pipescope_records_in_total"));
        }
    }

    @Test
    void protobufCarriesTheLatencyHistogramWithNativeAndClassicBucketsOfTheSameBatches() throws Exception {
        try (HttpFixture f = new HttpFixture("native")) {
            f.run(300);
            f.dashboard.report();
            final HttpResponse<byte[]> proto = f.getBytes("/metrics",
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited");
            assertEquals(200, proto.statusCode());
            Metrics.MetricFamily family = null;
            try (InputStream in = new ByteArrayInputStream(proto.body())) {
                for (Metrics.MetricFamily m; (m = Metrics.MetricFamily.parseDelimitedFrom(in)) != null; ) {
                    if (m.getName().equals("pipescope_stage_batch_latency_seconds")) {
                        family = m;
                    }
                }
            }
            assertTrue(family != null, "the latency histogram is in the protobuf scrape");
            final List<StageMetricsSnapshot> stages = f.dashboard.latest().stageMetrics();
            assertEquals(stages.size(), family.getMetricCount());
            for (final Metrics.Metric metric : family.getMetricList()) {
                final String stage = metric.getLabelList().stream().filter(l -> l.getName().equals("stage")).findFirst()
                    .orElseThrow().getValue();
                final Metrics.Histogram h = metric.getHistogram();
                final NativeLatencyBuckets expected = stages.stream().filter(s -> s.stage().equals(stage)).findFirst()
                    .orElseThrow().batchLatencyNativeBuckets();
                assertEquals(300, h.getSampleCount());
                assertEquals(NativeLatencyBuckets.SCHEMA, h.getSchema());
                assertEquals(NativeLatencyBuckets.ZERO_THRESHOLD_SECONDS, h.getZeroThreshold());
                assertEquals(expected.zeroCount(), h.getZeroCount());
                // spans and deltas decoded back to the populated buckets' indices and counts
                final List<Integer> indices = new ArrayList<>();
                final List<Long> counts = new ArrayList<>();
                int index = 0;
                long count = 0;
                int delta = 0;
                for (final Metrics.BucketSpan span : h.getPositiveSpanList()) {
                    index += span.getOffset();
                    for (int k = 0; k < span.getLength(); k++) {
                        count += h.getPositiveDelta(delta++);
                        if (count > 0) { // the writer bridges short gaps with empty buckets
                            indices.add(index);
                            counts.add(count);
                        }
                        index++;
                    }
                }
                assertEquals(Arrays.stream(expected.indices()).boxed().toList(), indices);
                assertEquals(Arrays.stream(expected.counts()).boxed().toList(), counts);
                assertEquals(300, counts.stream().mapToLong(Long::longValue).sum() + h.getZeroCount());
                // and the classic buckets too, ending at the same count
                assertEquals(StageLatencyHistograms.UPPER_BOUNDS_SECONDS.length + 1, h.getBucketCount());
                assertEquals(300, h.getBucket(h.getBucketCount() - 1).getCumulativeCount());
            }
            final String text = f.get("/metrics").body();
            assertTrue(text.contains("pipescope_stage_batch_latency_seconds_bucket{pipeline=\"native\",stage=\"normalize\","
                + "le=\"+Inf\"} 300"), "the text format keeps the classic buckets: " + text);
        }
    }

    @Test
    void everyEndpointIsReadOnly() throws Exception {
        try (HttpFixture f = new HttpFixture("readonly")) {
            for (final String path : List.of("/metrics", "/health", "/health/live", "/health/ready", "/")) {
                for (final String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
                    final HttpResponse<String> r = f.client.send(HttpRequest.newBuilder(URI.create(f.server.url() + path))
                        .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.ofString("x")).build(),
                        HttpResponse.BodyHandlers.ofString());
                    assertEquals(405, r.statusCode(), method + " " + path);
                    assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElse(""), method + " " + path);
                }
                final HttpResponse<Void> head = f.client.send(HttpRequest.newBuilder(URI.create(f.server.url() + path))
                    .timeout(Duration.ofSeconds(10)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
                assertTrue(head.statusCode() == 200 || head.statusCode() == 503, "HEAD " + path + ": " + head.statusCode());
            }
            assertEquals(404, f.get("/metrics/x").statusCode());
            assertEquals(404, f.get("/healthz").statusCode());
            assertEquals(404, f.get("/admin").statusCode());
        }
    }

    @Test
    void readinessWaitsForTheFirstReportAndHealthCarriesTheWholeReport() throws Exception {
        try (HttpFixture f = new HttpFixture("ready")) {
            final HttpResponse<String> before = f.get("/health/ready");
            assertEquals(503, before.statusCode(), before.body());
            assertEquals("application/json; charset=utf-8", before.headers().firstValue("Content-Type").orElse(""));
            final JsonNode b = JSON.readTree(before.body());
            assertEquals("DOWN", b.get("status").asText());
            assertEquals("UNKNOWN", b.get("health").asText());
            assertEquals(503, f.get("/health").statusCode());
            assertEquals(200, f.get("/health/live").statusCode(), "alive before the first batch");
            assertTrue(f.get("/metrics").body().contains("pipescope_health_status{pipeline=\"ready\",status=\"HEALTHY\"} 0.0"),
                "no status is 1 before the first report");

            f.run(300);
            f.dashboard.report();
            final HttpResponse<String> ready = f.get("/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            final JsonNode r = JSON.readTree(ready.body());
            assertEquals("UP", r.get("status").asText());
            assertEquals("HEALTHY", r.get("health").asText());
            assertTrue(r.get("reasons").isArray());

            final HttpResponse<String> health = f.get("/health");
            assertEquals(200, health.statusCode());
            final JsonNode h = JSON.readTree(health.body());
            assertEquals("HEALTHY", h.get("status").asText());
            assertEquals(300, h.get("batchCount").asLong());
            assertEquals(5, h.get("stages").size());
            assertEquals("threshold", h.get("stages").get(0).get("name").asText());
            assertTrue(h.get("stages").get(2).get("totalLatencyMicros").get("p99").asDouble() > 0, health.body());
            assertEquals(10, h.get("circuits").size(), health.body());
            assertEquals("CLOSED", h.get("circuits").get(0).get("state").asText());
            assertTrue(h.get("openCircuits").isEmpty());
            assertTrue(h.get("memory").get("heapUsedBytes").asLong() > 0);
            assertTrue(h.get("memory").has("gcShare"));
            assertTrue(h.get("caches").has("calibration"), health.body());
            assertTrue(h.has("bottleneck"));
            assertFalse(h.get("reasons").isMissingNode());

            final JsonNode live = JSON.readTree(f.get("/health/live").body());
            assertEquals("UP", live.get("status").asText());
            assertEquals("RUNNING", live.get("state").asText());
        }
        // closed: the port no longer answers
    }

    @Test
    void aClosedPipelineIsNeitherLiveNorReady() throws Exception {
        try (HttpFixture f = new HttpFixture("closed")) {
            f.run(50);
            f.dashboard.report();
            f.pipeline.close();
            assertEquals(503, f.get("/health/live").statusCode());
            final HttpResponse<String> ready = f.get("/health/ready");
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().contains("pipeline CLOSED"), ready.body());
        }
    }
}
