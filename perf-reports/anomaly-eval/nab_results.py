"""Helpers of run-nab.sh around NAB's scorer (standard library only).

  nab_results.py label NAB RESULTS DETECTOR...   add NAB's label column to the detectors' results CSVs
  nab_results.py thresholds NAB FILE DETECTOR... fixed threshold 0.5 for every profile of these detectors
  nab_results.py summary NAB WORK OUT.md         Markdown table: our scores beside NAB's published scoreboard
"""
import csv
import json
import os
import subprocess
import sys

PROFILES = ("standard", "reward_low_FP_rate", "reward_low_FN_rate")


def label(nab, results, detectors):
    with open(os.path.join(nab, "labels", "combined_windows.json")) as f:
        windows = json.load(f)
    for det in detectors:
        n = 0
        for rel, wins in windows.items():
            category, name = os.path.split(rel)
            path = os.path.join(results, det, category, det + "_" + name)
            spans = [(a[:19], b[:19]) for a, b in wins]
            with open(path, newline="") as f:
                rows = list(csv.reader(f))
            header, body = rows[0], rows[1:]
            if header[-1] == "label":
                continue
            with open(path, "w", newline="") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(header + ["label"])
                for row in body:
                    t = row[0][:19]
                    w.writerow(row + [1 if any(a <= t <= b for a, b in spans) else 0])
            n += 1
        print("%s: labelled %d files" % (det, n))


def thresholds(nab, path, detectors):
    with open(os.path.join(nab, "config", "profiles.json")) as f:
        profiles = json.load(f)
    old = {}
    if os.path.exists(path):
        with open(path) as f:
            old = json.load(f)
    for det in detectors:
        old[det] = {p: {"threshold": 0.5, "score": None} for p in profiles}
    with open(path, "w") as f:
        json.dump(old, f, indent=2, sort_keys=True)


def totals(work, det, profile):
    path = os.path.join(work, "results", det, "%s_%s_scores.csv" % (det, profile))
    with open(path) as f:
        rows = list(csv.DictReader(f))
    t = rows[-1]
    return float(rows[0]["Threshold"]), int(float(t["TP"])), int(float(t["FP"]))


def summary(nab, work, out):
    with open(os.path.join(work, "results", "final_results.json")) as f:
        ours = json.load(f)
    with open(os.path.join(nab, "results", "final_results.json")) as f:
        board = json.load(f)
    rev = subprocess.run(["git", "-C", nab, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    lines = ["NAB revision `%s`, scored by NAB's own `run.py` (normalised: null detector = 0, perfect = 100)." % (rev or "unknown"), ""]
    lines.append("| detector | threshold | standard | reward_low_FP_rate | reward_low_FN_rate | flagged records (standard) |")
    lines.append("| --- | --- | ---: | ---: | ---: | ---: |")
    described = {
        "pipescopeAdaptive": "pipescope `adaptive`, hindsight threshold on its score",
        "pipescopeAdaptiveDefaults": "pipescope `adaptive`, shipped defaults (its flags)",
        "pipescopeAnomaly": "pipescope `anomaly` (z-score), hindsight threshold on abs(z)/(1+abs(z))",
        "pipescopeAnomalyDefaults": "pipescope `anomaly`, shipped defaults (its flags)",
    }
    for det in described:
        if det not in ours:
            continue
        th = [totals(work, det, p) for p in PROFILES]
        kind = "fixed 0.5" if det.endswith("Defaults") else "optimised: " + " / ".join("%.4g" % t[0] for t in th)
        lines.append("| %s | %s | %.1f | %.1f | %.1f | %d |" % (
            described[det], kind, ours[det]["standard"], ours[det]["reward_low_FP_rate"],
            ours[det]["reward_low_FN_rate"], th[0][1] + th[0][2]))
    lines += ["", "NAB's published scoreboard (`results/final_results.json` of that revision; hindsight thresholds):", ""]
    lines.append("| detector | standard | reward_low_FP_rate | reward_low_FN_rate |")
    lines.append("| --- | ---: | ---: | ---: |")
    for det, s in sorted(board.items(), key=lambda kv: -kv[1]["standard"]):
        lines.append("| %s | %.1f | %.1f | %.1f |" % (det, s["standard"], s["reward_low_FP_rate"], s["reward_low_FN_rate"]))
    text = "\n".join(lines) + "\n"
    with open(out, "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "label":
        label(args[0], args[1], args[2:])
    elif cmd == "thresholds":
        thresholds(args[0], args[1], args[2:])
    elif cmd == "summary":
        summary(args[0], args[1], args[2])
    else:
        sys.exit(__doc__)
