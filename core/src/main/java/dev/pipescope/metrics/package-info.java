/**
 * Measurement of stages and of the JVM: {@link dev.pipescope.metrics.StageMetrics} (seqlocked totals and
 * HdrHistogram latency recorders per stage), the thread allocation meter, heap and GC sampling with a
 * growth trend, and the {@link dev.pipescope.metrics.MetricsRegistry} where stages register their caches
 * and resilient calls for the dashboard.
 *
 * <p>Each metric has one writer, the processing thread, which never blocks, never waits for a reader and
 * allocates nothing; any thread may read consistent totals; interval sampling belongs to the one sampler
 * thread that claimed it (the health reporter). Memory and GC sampling calls MXBeans and allocates, so it
 * runs on the sampler thread only.
 */
package dev.pipescope.metrics;
