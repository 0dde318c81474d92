/**
 * MXBeans of a pipeline, its stages, its health dashboard, its circuit breakers and its log sink,
 * registered together by {@link dev.pipescope.jmx.PipelineMBeans} with ObjectNames built once, and an
 * optional remote {@link dev.pipescope.jmx.JmxConnector} on one port. An embedder can use them without the
 * program.
 *
 * <p>Reading a bean never samples the pipeline: totals are lock-free reads of single-writer counters and
 * interval figures come from the dashboard's latest report, so polling costs the processing thread
 * nothing. Circuit transitions are passed from the processing thread through an Agrona ring buffer to a
 * relay thread that builds and sends the notifications, so a flapping breaker allocates nothing on it.
 */
package dev.pipescope.jmx;
