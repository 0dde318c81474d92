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
 * <p><b>Latency histograms.</b> {@code pipescope_stage_batch_latency_seconds} has classic buckets, the
 * stage's own since-start HdrHistogram counted at core's {@code LatencyBuckets} bounds (19 % apart) by the
 * dashboard's sampler ({@code StageMetricsSnapshot.batchLatencyCumulativeCounts()}), so it is exact to the
 * HdrHistogram's precision and a quantile read back lies within the bucket {@code histogram_quantile}
 * interpolates in. The same points carry native buckets of schema 8 (bounds 2<sup>i/256</sup> s, 0.27 % apart,
 * {@code StageMetricsSnapshot.batchLatencyNativeBuckets()}, from the same histogram by the same sampler), which
 * only the protobuf format transmits: a Prometheus with native histograms enabled reads a stage's quantile
 * back within one native bucket of the stage's own. The text formats carry the classic buckets only.
 */
package dev.pipescope.http;
