/**
 * The program's {@code --fault} option: {@link dev.pipescope.cli.fault.Fault} parses one fault,
 * {@link dev.pipescope.cli.fault.FaultSchedule} applies them by batch number through a calibration service
 * wrapper and a stage decorator. The core knows nothing of faults; an embedder can use these classes the
 * same way to drill an outage in a test.
 */
package dev.pipescope.cli.fault;
