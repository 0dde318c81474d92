#!/usr/bin/env bash
# Scores pipescope's anomaly stages on the Numenta Anomaly Benchmark with NAB's own scorer.
#
#   perf-reports/anomaly-eval/run-nab.sh NAB_CHECKOUT [WORK_DIR]
#
# NAB_CHECKOUT: a local clone of github.com/numenta/NAB (not committed here); only read, never written.
# WORK_DIR:     where the results CSVs, thresholds and scores go (default: a new temporary directory).
# Environment:  PYTHON (default python3; NAB's scorer needs pandas: Debian's python3-pandas works),
#               MVN_ARGS (extra Maven arguments, e.g. -o), NAB_CPUS (scorer processes, default 1),
#               SUMMARY (where to write the Markdown table, default WORK_DIR/summary.md).
#
# Detectors (NAB names must not contain '_'):
#   pipescopeAdaptive          adaptive stage, anomaly_score = its score: NAB optimises the threshold (hindsight)
#   pipescopeAdaptiveDefaults  adaptive stage with its shipped parameters, anomaly_score = its flags (0/1),
#                              scored at the fixed threshold 0.5 (no optimisation)
#   pipescopeAnomaly           anomaly stage (z-score), anomaly_score = |z|/(1+|z|): hindsight threshold
#   pipescopeAnomalyDefaults   anomaly stage with its shipped parameters, flags at the fixed threshold 0.5
#
# The records come from dev.pipescope.stage.builtin.NabRunner (core test sources), which feeds each NAB file
# through a Pipeline holding only the stage, in batches of 1024. It stands in for the program's per-record
# output, which does not exist yet; when it does, this script switches to it.
set -euo pipefail

NAB=$(cd "${1:?usage: run-nab.sh NAB_CHECKOUT [WORK_DIR]}" && pwd)
WORK=${2:-$(mktemp -d -t pipescope-nab.XXXXXX)}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
PY=${PYTHON:-python3}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SUMMARY=${SUMMARY:-$WORK/summary.md}

[ -f "$NAB/run.py" ] && [ -f "$NAB/labels/combined_windows.json" ] || { echo "not a NAB checkout: $NAB" >&2; exit 2; }
"$PY" -c 'import pandas' 2>/dev/null || { echo "$PY has no pandas (NAB's scorer needs it; Debian: apt-get install python3-pandas)" >&2; exit 2; }

echo "NAB revision: $(git -C "$NAB" rev-parse HEAD 2>/dev/null || echo unknown)"
echo "pipescope revision: $(git -C "$ROOT" rev-parse HEAD)"

cd "$ROOT"
# shellcheck disable=SC2086
mvn -B -q ${MVN_ARGS:-} -pl core test-compile
# shellcheck disable=SC2086
mvn -B -q ${MVN_ARGS:-} -pl core dependency:build-classpath -Dmdep.outputFile="$WORK/classpath.txt" >/dev/null
CP="$ROOT/core/target/classes:$ROOT/core/target/test-classes:$(cat "$WORK/classpath.txt")"
run() {
  java --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -cp "$CP" dev.pipescope.stage.builtin.NabRunner \
    "$NAB/data" "$WORK/results" "$@"
}
rm -rf "$WORK/results"
mkdir -p "$WORK/results"
run pipescopeAdaptive adaptive score
run pipescopeAdaptiveDefaults adaptive flags
run pipescopeAnomaly anomaly score
run pipescopeAnomalyDefaults anomaly flags

# NAB's results format adds the label column; normalisation needs the null detector's scores, copied from NAB.
"$PY" "$HERE/nab_results.py" label "$NAB" "$WORK/results" \
  pipescopeAdaptive pipescopeAdaptiveDefaults pipescopeAnomaly pipescopeAnomalyDefaults
cp -r "$NAB/results/null" "$WORK/results/null"
"$PY" "$HERE/nab_results.py" thresholds "$NAB" "$WORK/thresholds.json" pipescopeAdaptiveDefaults pipescopeAnomalyDefaults

cd "$NAB"
CPUS=${NAB_CPUS:-1}
set -x
"$PY" run.py -d pipescopeAdaptive,pipescopeAnomaly --optimize --score --normalize --skipConfirmation \
  --resultsDir "$WORK/results" -t "$WORK/thresholds.json" -n "$CPUS"
"$PY" run.py -d pipescopeAdaptiveDefaults,pipescopeAnomalyDefaults --score --normalize --skipConfirmation \
  --resultsDir "$WORK/results" -t "$WORK/thresholds.json" -n "$CPUS"
set +x
"$PY" "$HERE/nab_results.py" summary "$NAB" "$WORK" "$SUMMARY"
echo "results: $WORK/results; summary: $SUMMARY"
