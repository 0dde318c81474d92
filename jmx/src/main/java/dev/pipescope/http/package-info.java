/**
 * HTTP endpoints of a pipeline, read-only: {@code /metrics} for Prometheus (the official Java client 1.x:
 * its model, exposition formats and JVM metrics) and {@code /health/live}, {@code /health/ready},
 * {@code /health} for Kubernetes probes and operators. {@link dev.pipescope.http.PipelineHttpServer} starts
 * one server with all of them.
 *
 * <p>Every figure is read when a request arrives, from the views the MXBeans use: the seqlocked totals of the
 * pipeline and its stages, the breakers' and calls' atomic counters, and the health dashboard's last report.
 * Nothing samples the stages' metrics again (they have one sampler, the dashboard) and nothing runs on the
 * processing thread, so a scrape costs it nothing (a test measures 0 bytes allocated on it while
 * {@code /metrics} is scraped in a loop).
 *
 * <p><b>Latency histograms.</b> {@code pipescope_stage_batch_latency_seconds} is a classic histogram whose
 * buckets are the stage's own since-start HdrHistogram counted at core's {@code LatencyBuckets} bounds by the
 * dashboard's sampler ({@code StageMetricsSnapshot.batchLatencyCumulativeCounts()}), so it is exact to the
 * HdrHistogram's precision; a quantile read back lies within the bucket {@code histogram_quantile} interpolates
 * in. No native histogram is exposed.
 */
package dev.pipescope.http;
