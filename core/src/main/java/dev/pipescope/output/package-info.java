/**
 * Record output: every record that leaves the pipeline, written as one line of CSV or JSON, for files,
 * standard output or anything else a {@link dev.pipescope.log.LogSink} reaches.
 *
 * <p>{@link dev.pipescope.output.RecordSink} is what the processing thread hands each finished batch to;
 * {@link dev.pipescope.output.RecordLineSink} is the implementation that encodes records, on the calling
 * thread and without allocating in steady state, into a reused buffer and hands each complete line to a
 * {@code LogSink} — so the asynchronous ring writer ({@link dev.pipescope.log.AsyncLogSink}) can take
 * the I/O off the hot path, and a line is always written whole or not at all. The columns and both
 * formats are described by {@link dev.pipescope.output.RecordFormat}.
 *
 * <p>Depends on {@code batch} and {@code log} only.
 */
package dev.pipescope.output;
