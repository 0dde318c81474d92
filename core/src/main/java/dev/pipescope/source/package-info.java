/**
 * Where records come from: the {@link dev.pipescope.source.RecordSource} interface that fills a reused
 * batch, the {@link dev.pipescope.source.CsvRecordSource} (with its allocation-free timestamp and decimal
 * parsers) and the seeded {@link dev.pipescope.source.SimulatedSensorSource} the program runs by default.
 *
 * <p>Sources are called by the processing thread only. Steady-state reading allocates nothing (CSV numbers
 * beyond 15 significant digits excepted); a malformed line is counted, reported to a
 * {@link dev.pipescope.source.RejectListener} and skipped. Only this package and {@code calibration} may
 * know the simulators.
 */
package dev.pipescope.source;
