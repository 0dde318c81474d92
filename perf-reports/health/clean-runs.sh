#!/usr/bin/env bash
# Issue 15's longer check: the packaged program with no fault, for MINUTES each at --rate 100, --rate 500 and full
# speed; prints how many pipeline_health reports were not HEALTHY (the answer must be 0) and which context
# findings (HOST_SLOWDOWN, SOURCE_BOUND) appeared. Usage: perf-reports/health/clean-runs.sh [MINUTES] [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes=${1:-5}
out=${2:-$(mktemp -d)}
jar=jmx/target/pipescope.jar
[ -f "$jar" ] || mvn -B -q -pl core,jmx -am -DskipTests package
for mode in "rate100:--rate 100" "rate500:--rate 500" "full:"; do
  name=${mode%%:*}; args=${mode#*:}
  # shellcheck disable=SC2086
  java -jar "$jar" run $args --duration "${minutes}m" --stage-log-every 1000000 > "$out/$name.jsonl"
done
python3 - "$out" <<'PY'
import json, sys, collections
out = sys.argv[1]
for name in ("rate100", "rate500", "full"):
    lines = [json.loads(l) for l in open(f"{out}/{name}.jsonl")]
    reports = [l for l in lines if l["event"] == "pipeline_health"]
    done = [l for l in lines if l["event"] == "run_completed"][0]
    bad = [r for r in reports if r["status"] != "HEALTHY"]
    context = collections.Counter(x["code"] for r in reports for x in r["reasons"])
    print(f"{name}: {len(reports)} reports, {len(bad)} not HEALTHY, context {dict(context)},"
          f" {done['batches']} batches, {done['throughputRps']:.0f} records/s")
    for r in bad:
        print("   ", r["batchCount"], r["status"], [x["message"] for x in r["reasons"]])
PY
