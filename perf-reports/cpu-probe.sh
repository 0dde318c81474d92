#!/usr/bin/env bash
# Is this machine steady enough to judge a ratio of close benchmark scores? Runs
# dev.pipescope.benchmarks.diagnostics.CpuSpeedProbe pinned to each logical CPU in turn (ROUNDS times, each
# run SLICES half-second slices) and prints, per run, the CPU and the median over its slices after warm-up of:
# the default pipeline's batches/s (batch 1024, observability off), a load/store streaming kernel's ns per
# element, and a dependent multiply chain's ns per step. If the pipeline and the streaming kernel are both
# slower on one CPU than on another, forks of a JMH run are judged by where they landed: compare like with
# like (see perf-reports/analysis/observability-overhead.md), or pin the run with PIN_CPU (perf-reports/run.sh).
#
#   perf-reports/cpu-probe.sh [ROUNDS [SLICES]]      defaults: 2 rounds, 16 slices (about 9 s per run)
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${1:-2}
SLICES=${2:-16}
WARMUP_SLICES=6
[[ $ROUNDS =~ ^[1-9][0-9]*$ && $SLICES =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [ROUNDS [SLICES]]" >&2; exit 2; }
(( SLICES > WARMUP_SLICES )) || { echo "cpu-probe.sh: SLICES must exceed the $WARMUP_SLICES warm-up slices" >&2; exit 2; }
command -v taskset >/dev/null || { echo "cpu-probe.sh: needs taskset (util-linux)" >&2; exit 2; }

JAR=benchmarks/target/benchmarks.jar
[[ -f $JAR ]] || mvn -B -q install -DskipTests -pl benchmarks -am

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

printf '%-6s %-4s %16s %16s %14s\n' round cpu 'pipeline b/s' 'stream ns/elem' 'chain ns/step'
for ((r = 1; r <= ROUNDS; r++)); do
  for ((cpu = 0; cpu < $(nproc); cpu++)); do
    out=$(taskset -c "$cpu" java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -Xms1g -Xmx1g \
      -cp "$JAR" dev.pipescope.benchmarks.diagnostics.CpuSpeedProbe "$SLICES" | grep -v '^#' | tail -n +$((WARMUP_SLICES + 1)))
    printf '%-6s %-4s %16s %16s %14s\n' "$r" "$cpu" \
      "$(awk '{print $3}' <<<"$out" | median)" "$(awk '{print $4}' <<<"$out" | median)" "$(awk '{print $5}' <<<"$out" | median)"
  done
done
