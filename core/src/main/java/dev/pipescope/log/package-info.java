/**
 * Structured JSON logging without allocation: {@link dev.pipescope.log.JsonLogEncoder} writes one RFC 8259
 * line at a time into an Agrona buffer, {@link dev.pipescope.log.StructuredLogger}s (one per component,
 * from a {@link dev.pipescope.log.LogContext}) hand lines to a {@link dev.pipescope.log.LogSink}: a
 * synchronous {@link dev.pipescope.log.StreamLogSink}, an {@link dev.pipescope.log.AsyncLogSink} that
 * writes from its own thread through a ring buffer, or a null sink. Also here: the error handler of
 * pipescope's background agents and {@link dev.pipescope.log.AgronaAccess}, the up-front check for the
 * {@code --add-exports} option Agrona needs on JDK 17.
 *
 * <p>Each thread gets its own encoder on its first event (that first call allocates); after that, logging
 * allocates nothing. Sinks are safe from several threads, copy the bytes before returning and never
 * throw: failures are counted and reported. This package depends on no other pipescope package.
 */
package dev.pipescope.log;
