#!/usr/bin/env python3
"""Writes the tables' accuracy results, as JSON and markdown, from what bench/accuracy/tables.sh collected.

Usage: tables_report.py WORK_DIR OUT_JSON OUT_MD
       tables_report.py --render REPORT_JSON OUT_MD   (the markdown again from a results file; adds derived figures)

WORK_DIR holds `context` (machine and invocation) and a folder per table (digits, breast-cancer) with `meta`
(space, command, exit code, wall seconds, load average), as key=value lines, `show.json` and `trials.json`: the
output of `hpsearch show RUN --format json` and `hpsearch trials RUN --format json --top 1`.
"""
import json
import re
import sys
from pathlib import Path

from report import decimal, duration, markdown_table, percent, read_kv

LABELS = {"digits": "Digits (8x8, 10 classes)", "breast-cancer": "Breast cancer (30 features, 2 classes)"}

# Published test accuracies (percent), as the data's READMEs in ../shared/data give them.
PUBLISHED = {"digits": "MLPs 96-98 %", "breast-cancer": "linear models and MLPs 95-98 %"}

# Test accuracy (percent) each table must reach, from a search of at most this many minutes on 2 cores.
TARGETS = {"digits": 97.0, "breast-cancer": 96.0}
MAX_MINUTES = 10


def best_val_accuracy(run, best, log):
    """The best trial's validation accuracy: the run's best score under val_accuracy; under another objective
    (val_loss), the accuracy the run printed for the trial's best epoch, the one its saved network comes from."""
    if run.get("objective", "val_accuracy") == "val_accuracy":
        return run.get("bestScore")
    line = re.compile(rf"^trial {best.get('number')} epoch {best.get('bestEpoch')}/\d+: .*val_accuracy ([0-9.]+)")
    for text in log.splitlines():
        match = line.match(text)
        if match:
            return float(match.group(1))
    return None


def macro_f1(class_f1):
    return sum(class_f1.values()) / len(class_f1) if class_f1 else None


def table_result(table, folder):
    meta = read_kv(folder / "meta")
    show = json.loads((folder / "show.json").read_text())
    trials = json.loads((folder / "trials.json").read_text())
    run, test = show["run"], show.get("test") or {}
    best = trials[0] if trials else {}
    wall = float(meta["wall_seconds"])
    test_accuracy = test.get("accuracy")
    class_f1 = {c["name"]: c["f1"] for c in sorted(test.get("classes", []), key=lambda c: c["index"])}
    met = None if test_accuracy is None else 100 * test_accuracy >= TARGETS[table] and wall <= 60 * MAX_MINUTES
    return {
        "space": meta["space"],
        "command": meta["command"],
        "status": run["status"],
        "run_id": run["id"],
        "exit_code": int(meta["exit_code"]),
        "wall_seconds": wall,
        "load_average": {"before": meta["load_average_before"], "after": meta["load_average_after"]},
        "objective": run.get("objective"),
        "best_score": run.get("bestScore"),
        "trials": {key: run[key] for key in ("completed", "failed", "total")},
        "max_trials": run.get("maxTrials"),
        "best_val_accuracy": best_val_accuracy(run, best, (folder / "log").read_text()),
        "test_accuracy": test_accuracy,
        "test_examples": sum(map(sum, test.get("confusion", []))) or None,
        "macro_f1": macro_f1(class_f1),
        # For 2 classes DL4J's Evaluation.f1(Macro), which hpsearch reports, is the second class's F1, not the mean.
        "hpsearch_macro_f1": test.get("macroF1"),
        "class_f1": class_f1,
        "best_trial": {"number": best.get("number"), "epochs": best.get("epochs"), "best_epoch": best.get("bestEpoch"),
                       "params": best.get("params")},
        "provenance": show.get("provenance"),
        "published": PUBLISHED[table],
        "target": {"min_test_percent": TARGETS[table], "max_minutes": MAX_MINUTES, "met": met},
    }


def build_report(work):
    context = read_kv(work / "context")
    return {
        "machine": {"cores": int(context["cores"]), "cpu": context["cpu"], "java": context["java"]},
        "date": context["date"],
        "git_commit": context["commit"],
        "uncommitted_changes": context["uncommitted_changes"] == "yes",
        "smoke": context["smoke"] == "1",
        "reproduce": context["reproduce"],
        "tables": {t: table_result(t, work / t) for t in context["tables"].split() if (work / t / "meta").exists()},
    }


def target_cell(r):
    t = r["target"]
    if t["met"] is None:
        return "n/a"
    return (f"{'yes' if t['met'] else 'no'} (>= {t['min_test_percent']} % in <= {t['max_minutes']} min: "
            f"{percent(r['test_accuracy'])} in {duration(r['wall_seconds'])})")


def render_markdown(report):
    m = report["machine"]
    lines = ["# Accuracy on two real tables" + (": smoke run" if report["smoke"] else ""), ""]
    if report["smoke"]:
        lines += ["**Smoke run**: tiny budgets that check the benchmark script. These figures are not results.", ""]
    lines += [f"Machine: {m['cores']} cores, {m['cpu']}, {m['java']}. Commit {report['git_commit']}"
              + (" with uncommitted changes" if report["uncommitted_changes"] else "") + f", {report['date']}.",
              "", "Test accuracy: the best trial's network evaluated once on a stratified 20 % of the table held out "
              "with a fixed seed before the search (the same rows in every run). Validation: 20 % of the rest.", ""]
    rows = []
    for table, r in report["tables"].items():
        status = "" if r["status"] == "COMPLETED" else f" ({r['status']})"
        rows.append([LABELS[table] + status, f"`{r['space']}`",
                     f"{r['trials']['completed']} of {r['max_trials']} trials ({r['trials']['failed']} failed)",
                     percent(r["best_val_accuracy"]), percent(r["test_accuracy"]), decimal(r["macro_f1"]),
                     duration(r["wall_seconds"]), r["published"], target_cell(r),
                     f"{r['load_average']['before'].split()[0]} - {r['load_average']['after'].split()[0]}"])
    lines += markdown_table(["table", "space", "trials", "best val acc", "test acc", "macro-F1", "wall time",
                             "published (test acc)", "target met?", "load average before - after"], rows)
    lines += ["", "Macro-F1: the mean of the classes' F1 on the test set. (`hpsearch show` reports DL4J's "
              "`Evaluation.f1(Macro)`, which for 2 classes is the second class's F1: "
              + ", ".join(f"{decimal(r['hpsearch_macro_f1'])} for {t}" for t, r in report["tables"].items()
                          if len(r["class_f1"]) == 2) + ".)",
              "", "Per-class F1: " + "; ".join(f"{t}: " + ", ".join(f"{k} {decimal(v)}" for k, v in r["class_f1"].items())
                                            for t, r in report["tables"].items()) + ".",
              "", "Load average (1 min): a search with 2 workers makes about 2 on this machine; more means other work "
              "shared the cores.", "", "## Best trials", ""]
    lines += [f"- {LABELS[t]}: trial {r['best_trial']['number']} ({r['best_trial']['epochs']} epochs, best "
              f"{r['best_trial']['best_epoch']}; {r['test_examples']} test examples), "
              f"{json.dumps(r['best_trial']['params'])}" for t, r in report["tables"].items()]
    lines += ["", "## Reproducing", "", "Every figure, from the repository root:", "", "```", report["reproduce"],
              "```", "", "Each search, as the script ran it (DB: the script's database):", ""]
    for table, r in report["tables"].items():
        lines += ["```", r["command"], "```"]
    return "\n".join(lines) + "\n"


def rerender(report):
    """A report written by an earlier version of this script, with the figures this one derives added."""
    for r in report["tables"].values():
        r.setdefault("hpsearch_macro_f1", r["macro_f1"])
        r["macro_f1"] = macro_f1(r["class_f1"])
    return report


def main(argv):
    if len(argv) == 4 and argv[1] == "--render":
        # --render REPORT.json OUT.md: the markdown again from a results file, e.g. after this script changed.
        report = rerender(json.loads(Path(argv[2]).read_text()))
        Path(argv[2]).write_text(json.dumps(report, indent=2) + "\n")
        Path(argv[3]).write_text(render_markdown(report))
        print(f"Wrote {argv[2]} and {argv[3]}")
        return
    if len(argv) != 4:
        sys.exit(__doc__)
    work, out_json, out_md = (Path(a) for a in argv[1:])
    report = build_report(work)
    out_json.write_text(json.dumps(report, indent=2) + "\n")
    out_md.write_text(render_markdown(report))
    print()
    for table, r in report["tables"].items():
        print(f"{table}: {r['status']}, test accuracy {percent(r['test_accuracy'])}, "
              f"{duration(r['wall_seconds'])}, target {target_cell(r)}")
    print(f"Wrote {out_json} and {out_md}")


if __name__ == "__main__":
    main(sys.argv)
