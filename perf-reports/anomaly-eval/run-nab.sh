#!/usr/bin/env bash
# Scores the program's anomaly detection on the Numenta Anomaly Benchmark with NAB's own scorer.
#
#   perf-reports/anomaly-eval/run-nab.sh NAB_CHECKOUT [WORK_DIR]
#
# NAB_CHECKOUT: a local clone of github.com/numenta/NAB (not committed here); only read, never written.
# WORK_DIR:     where the program's outputs, NAB's results files, thresholds and scores go (default: a new
#               temporary directory).
# Environment:  PYTHON (default python3; NAB's scorer needs pandas: Debian's python3-pandas works),
#               MVN_ARGS (extra Maven arguments, e.g. -o), NAB_CPUS (scorer processes, default 1),
#               SUMMARY (where to write the Markdown table, default WORK_DIR/summary.md),
#               JAR (a pipescope.jar to score instead of building jmx/target/pipescope.jar).
#
# Every NAB data file (timestamp,value; YYYY-MM-DD HH:MM:SS) goes through the packaged program as a user runs
# it, one run per file, each file one sensor:
#
#   java -jar pipescope.jar run --input FILE.csv --output OUT.csv --output-format csv --timestamp-unit auto
#
# with no --config (the --input default pipeline, feature then adaptive, with its default parameters), and
# once more with --config holding "feature" and "anomaly" (today's z-score stage, its defaults, beside it).
# nab_results.py turns each output into NAB's results format (checking that record i is data line i), and
# NAB's run.py scores them. Detectors (NAB names must not contain '_'):
#   pipescopeAdaptive          default pipeline, anomaly_score = the output's score column: NAB optimises the
#                              threshold per profile (hindsight, as for every entry of NAB's scoreboard)
#   pipescopeAdaptiveDefaults  default pipeline, anomaly_score = the output's anomaly column as 0/1 (its flags
#                              with the shipped defaults), scored at the fixed threshold 0.5 (no optimisation)
#   pipescopeAnomaly           feature + anomaly, the score column (|z|/(|z|+2.5)): hindsight threshold
#   pipescopeAnomalyDefaults   feature + anomaly, its flags at the fixed threshold 0.5
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

if [ -z "${JAR:-}" ]; then
  cd "$ROOT"
  # shellcheck disable=SC2086
  mvn -B -q ${MVN_ARGS:-} -pl jmx -am package -DskipTests
  JAR="$ROOT/jmx/target/pipescope.jar"
fi

printf 'feature\nanomaly\n' > "$WORK/zscore.conf"
rm -rf "$WORK/outputs" "$WORK/results"
mkdir -p "$WORK/results"
# run DETECTOR_DIR [run options]: the program once per data file
run() {
  local dir=$1
  shift
  local n=0 file rel
  while IFS= read -r file; do
    rel=${file#"$NAB/data/"}
    mkdir -p "$WORK/outputs/$dir/$(dirname "$rel")" "$WORK/logs/$dir/$(dirname "$rel")"
    java -jar "$JAR" run --input "$file" --output "$WORK/outputs/$dir/$rel" --output-format csv \
      --timestamp-unit auto --log-file "$WORK/logs/$dir/${rel%.csv}.log" --no-jmx "$@"
    n=$((n + 1))
  done < <(find "$NAB/data" -name '*.csv' | sort)
  echo "$dir: the program ran on $n files"
}
run adaptive
run anomaly --config "$WORK/zscore.conf"

"$PY" "$HERE/nab_results.py" from-program "$NAB" "$WORK/outputs/adaptive" "$WORK/results" pipescopeAdaptive score
"$PY" "$HERE/nab_results.py" from-program "$NAB" "$WORK/outputs/adaptive" "$WORK/results" pipescopeAdaptiveDefaults flags
"$PY" "$HERE/nab_results.py" from-program "$NAB" "$WORK/outputs/anomaly" "$WORK/results" pipescopeAnomaly score
"$PY" "$HERE/nab_results.py" from-program "$NAB" "$WORK/outputs/anomaly" "$WORK/results" pipescopeAnomalyDefaults flags
# normalisation needs the null detector's scores, copied from NAB
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
