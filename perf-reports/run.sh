#!/usr/bin/env bash
# Runs the JMH suites with -prof gc and regenerates perf-reports/README.md and perf-reports/charts/.
#
#   perf-reports/run.sh LABEL [SUITE_REGEX]     run (all suites, or those matching the JMH include regex)
#   perf-reports/run.sh --report FILE.json      only regenerate the report from an existing result
#
# The result goes to perf-reports/YYYY-MM-DD-LABEL.json (LABEL says what changed). Extra JMH options can be
# passed in JMH_OPTS, e.g. JMH_OPTS='-f 2 -wi 10 -i 10'. PIN_CPU=N runs JMH and its forks on logical CPU N only
# (taskset), so forks compared in a ratio cannot land on CPUs of different speed (perf-reports/cpu-probe.sh
# tells whether this machine has such CPUs). Builds benchmarks/target/benchmarks.jar when it is missing or
# older than the sources.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=benchmarks/target/benchmarks.jar

build_if_needed() {
  if [[ ! -f $JAR ]] || [[ -n "$(find pom.xml core/pom.xml core/src/main benchmarks/pom.xml benchmarks/src/main -newer "$JAR" -print -quit)" ]]; then
    echo "run.sh: building $JAR" >&2
    mvn -B -q install -DskipTests -pl benchmarks -am
  fi
}

report() {
  java -Djava.awt.headless=true -cp "$JAR" dev.pipescope.benchmarks.report.PerfReport "$1" --out perf-reports
}

if [[ ${1:-} == "--report" ]]; then
  [[ $# -eq 2 ]] || { echo "usage: $0 --report FILE.json" >&2; exit 2; }
  build_if_needed
  report "$2"
  exit 0
fi

if [[ $# -lt 1 || $# -gt 2 || ${1:-} == -* ]]; then
  echo "usage: $0 LABEL [SUITE_REGEX]   |   $0 --report FILE.json" >&2
  exit 2
fi

LABEL=$1
[[ $LABEL =~ ^[A-Za-z0-9._-]+$ ]] || { echo "run.sh: LABEL may hold letters, digits, '.', '_', '-'" >&2; exit 2; }
OUT=perf-reports/$(date +%F)-$LABEL.json

PIN=()
if [[ -n ${PIN_CPU:-} ]]; then
  [[ $PIN_CPU =~ ^[0-9]+$ ]] || { echo "run.sh: PIN_CPU must be a logical CPU number, got '$PIN_CPU'" >&2; exit 2; }
  command -v taskset >/dev/null || { echo "run.sh: PIN_CPU needs taskset (util-linux)" >&2; exit 2; }
  PIN=(taskset -c "$PIN_CPU")
fi

build_if_needed
# shellcheck disable=SC2086 # JMH_OPTS is split on purpose
"${PIN[@]}" java -jar "$JAR" -prof gc -prof dev.pipescope.benchmarks.WorkerAllocationProfiler -rf json -rff "$OUT" \
  ${JMH_OPTS:-} ${2:+"$2"}
report "$OUT"
