/**
 * The {@code pipescope} program (picocli): {@code run} a pipeline on simulated sensors or CSV input with
 * its event log, health reporter and MBeans, or {@code inspect} its stages. Exit codes: 0 done, 1 failure
 * at run time, 2 bad usage, invalid config or an unsafe JMX exposure.
 *
 * <p>Setup here allocates freely; the batch loop it starts is core's allocation-free processing thread.
 * Fault injection ({@code --fault}) belongs to the program: core only offers the hooks it uses (stage
 * decorators, the simulated calibration service) and knows nothing of faults.
 */
package dev.pipescope.cli;
