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
 * buckets are estimated from each report's interval percentiles (p50, p90, p99, p99.9, max), because the
 * stages' cumulative HdrHistograms belong to the dashboard's sampler and are not exposed by the core. Exact
 * buckets would need one core accessor: the sampler filling, at each sample, the cumulative counts at a fixed
 * list of bounds from its cumulative histogram ({@code Histogram.getCountBetweenValues}), carried in the
 * {@code StageMetricsSnapshot} (say {@code long[] batchLatencyCumulativeCounts(double[] boundsNanos)} fixed at
 * construction); the same counts at the 2<sup>2<sup>-s</sup></sup> bounds of a native-histogram schema
 * {@code s} would give a native histogram too, which the client can expose from counts.
 */
package dev.pipescope.http;
