/**
 * The ground floor: the columnar {@link dev.pipescope.batch.RecordBatch} that every source fills and every
 * stage processes in place, and the {@link dev.pipescope.batch.SensorRegistry} whose {@code register} is the
 * only source of sensor ids. It depends on no other pipescope package.
 *
 * <p>A batch is sized once, reused for every batch and owned by one thread at a time; nothing here
 * allocates per batch. The registry allocates once per new sensor, is written by one thread and may be
 * read by others once ids have been handed over with a batch.
 */
package dev.pipescope.batch;
