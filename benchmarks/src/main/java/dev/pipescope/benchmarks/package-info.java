/** JMH suites comparing pipescope's hot paths with baselines and the peers a user would pick instead. */
package dev.pipescope.benchmarks;
