"""Helpers of run-nab.sh around NAB's scorer (standard library only).

  nab_results.py from-program NAB OUTPUTS RESULTS DETECTOR score|flags
                                                 the program's record output (--output-format csv) of every
                                                 NAB data file, OUTPUTS/<category>/<file>.csv, as NAB's
                                                 results files of DETECTOR, label column included
  nab_results.py thresholds NAB FILE DETECTOR... fixed threshold 0.5 for every profile of these detectors
  nab_results.py summary NAB WORK OUT.md         Markdown table: our scores beside NAB's published scoreboard
"""
import csv
import json
import os
import subprocess
import sys

PROFILES = ("standard", "reward_low_FP_rate", "reward_low_FN_rate")


def windows_by_file(nab):
    with open(os.path.join(nab, "labels", "combined_windows.json")) as f:
        windows = json.load(f)
    return {rel: [(a[:19], b[:19]) for a, b in wins] for rel, wins in windows.items()}


def from_program(nab, outputs, results, det, mode):
    """One NAB results file per data file, from the program's record output of that file.

    Every output record must be the data file's line of the same number (the output's sequence column is the
    input line, its timestamp the reading's), in order and none missing, or this fails: the scores NAB gets
    are the program's, record for record. anomaly_score is the score column (mode score: NAB's optimiser
    picks the threshold) or the anomaly column as 0/1 (mode flags: the detector's own decisions).
    """
    if mode not in ("score", "flags"):
        sys.exit("mode must be score or flags, was %r" % mode)
    files = records = flagged = 0
    for rel, spans in sorted(windows_by_file(nab).items()):
        category, name = os.path.split(rel)
        with open(os.path.join(nab, "data", rel), newline="") as f:
            data = list(csv.reader(f))
        if [h.strip() for h in data[0]] != ["timestamp", "value"]:
            sys.exit("%s: unexpected NAB header %r" % (rel, data[0]))
        with open(os.path.join(outputs, rel), newline="") as f:
            out = list(csv.DictReader(f))
        body = data[1:]
        if len(out) != len(body):
            sys.exit("%s: %d output records for %d data lines" % (rel, len(out), len(body)))
        target = os.path.join(results, det, category, det + "_" + name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["timestamp", "value", "anomaly_score", "label"])
            for i, (row, rec) in enumerate(zip(body, out)):
                t = row[0].strip()[:19]
                # the output's ISO instant (2013-12-02T21:15:00.000Z) is the NAB timestamp read as UTC
                if int(rec["sequence"]) != i + 2 or rec["timestamp"][:19].replace("T", " ") != t:
                    sys.exit("%s: output record %d (line %s, %s) is not data line %d (%s)"
                             % (rel, i + 1, rec["sequence"], rec["timestamp"], i + 2, t))
                if float(rec["raw"]) != float(row[1]):
                    sys.exit("%s line %d: raw %s is not the reading %s" % (rel, i + 2, rec["raw"], row[1]))
                is_anomaly = rec["anomaly"] == "true"
                if mode == "flags":
                    score = 1.0 if is_anomaly else 0.0
                else:
                    score = float(rec["score"]) if rec["score"] else 0.0  # empty: no score (an invalid reading)
                flagged += is_anomaly
                w.writerow([row[0], row[1], repr(score), 1 if any(a <= t <= b for a, b in spans) else 0])
        files += 1
        records += len(body)
    print("%s: %d files, %d records, %d flagged (anomaly_score from the %s column)"
          % (det, files, records, flagged, "score" if mode == "score" else "anomaly"))


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
    here = os.path.dirname(os.path.abspath(__file__))
    ours_rev = subprocess.run(["git", "-C", here, "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True).stdout.strip()
    lines = ["NAB revision `%s`, scored by NAB's own `run.py` (normalised: null detector = 0, perfect = 100)." % (rev or "unknown"),
             "",
             "Every data file went through the program, pipescope revision `%s`, one run per file:" % (ours_rev or "unknown"),
             "`java -jar jmx/target/pipescope.jar run --input FILE.csv --output OUT.csv --output-format csv"
             " --timestamp-unit auto` (the `--input` default pipeline: `feature`, `adaptive`), and the same with"
             " `--config` holding `feature` and `anomaly`; `anomaly_score` is the output's `score` column"
             " (hindsight rows) or its `anomaly` column as 0/1 (flags rows).", ""]
    lines.append("| detector | threshold | standard | reward_low_FP_rate | reward_low_FN_rate | flagged records (standard) |")
    lines.append("| --- | --- | ---: | ---: | ---: | ---: |")
    described = {
        "pipescopeAdaptive": "pipescope `adaptive` (the program's default), hindsight threshold on its score column",
        "pipescopeAdaptiveDefaults": "pipescope `adaptive` (the program's default), its flags (shipped defaults)",
        "pipescopeAnomaly": "pipescope `anomaly` (z-score), hindsight threshold on its score column, abs(z)/(abs(z)+2.5)",
        "pipescopeAnomalyDefaults": "pipescope `anomaly` (zThreshold 2.5), its flags (shipped defaults)",
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
    if cmd == "from-program":
        from_program(args[0], args[1], args[2], args[3], args[4])
    elif cmd == "thresholds":
        thresholds(args[0], args[1], args[2:])
    elif cmd == "summary":
        summary(args[0], args[1], args[2])
    else:
        sys.exit(__doc__)
