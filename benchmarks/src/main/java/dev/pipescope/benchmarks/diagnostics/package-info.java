/** Tools that check whether a machine can measure what the suites measure (not benchmarks themselves). */
package dev.pipescope.benchmarks.diagnostics;
