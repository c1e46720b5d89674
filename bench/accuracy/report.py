#!/usr/bin/env python3
"""Writes the accuracy benchmark's results, as JSON and markdown, from what bench/accuracy/run.sh collected.

Usage: report.py WORK_DIR OUT_JSON OUT_MD

WORK_DIR holds `context` (machine and invocation) and a folder per model (mlp, cnn) with `meta` (command, budget,
whether it ran, exit code, wall seconds), all as key=value lines, and for a model that ran `show.json` and
`trials.json`: the output of `hpsearch show RUN --format json` and `hpsearch trials RUN --format json --top 1`.
"""
import json
import sys
from pathlib import Path

LABELS = {"mlp": "MLP (random search, {space})", "cnn": "CNN (reference, {space})"}

# Published test accuracies (percent) the table is compared with.
PUBLISHED = {
    "mlp": [{"percent": 88.11}, {"percent": 88.93}, {"percent": 89.56}, {"percent": 90.0, "model": "MLP 256-128-64"}],
    "cnn": [{"percent": 91.35}, {"percent": 91.85}, {"percent": 94.25}, {"percent": 94.72}],
}

# Test accuracy (percent) each model must reach; the MLP also has a higher figure to aim for.
TARGETS = {"mlp": {"min_percent": 90.0, "aim_percent": 90.5}, "cnn": {"min_percent": 93.5}}


def read_kv(path):
    """key=value lines as a dict; a value may itself contain '='."""
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if line)
    return {key: value for key, value in pairs}


def optional_int(value):
    return None if value in (None, "") else int(value)


def budget(meta, run):
    reduced = meta.get("reduced") or None
    return {
        # The CNN's trial count is its space file's; the script sets the MLP's.
        "trials": optional_int(meta.get("trials")) or (run or {}).get("maxTrials"),
        "epochs": int(meta["epochs"]),
        "workers": int(meta["workers"]),
        "threads": int(meta["threads"]),
        "train_examples": int(meta["train_examples"]),
        "reduced": reduced is not None,
        "reduced_because": reduced,
    }


def target(model, test_accuracy):
    goal = dict(TARGETS[model], metric="test_accuracy")
    percent = None if test_accuracy is None else 100 * test_accuracy
    goal["met"] = None if percent is None else percent >= goal["min_percent"]
    if "aim_percent" in goal:
        goal["aim_met"] = None if percent is None else percent >= goal["aim_percent"]
    return goal


def full_budget_estimate(meta, epochs_run, wall_seconds):
    """Seconds the full budget would take, scaled from the measured seconds per epoch, when fewer epochs ran.

    The per-epoch figure includes start-up and the test evaluation, so the estimate errs on the long side.
    """
    full = optional_int(meta.get("full_epochs"))
    if full is None or not epochs_run or int(meta["epochs"]) >= full:
        return None
    per_epoch = wall_seconds / epochs_run
    return {"epochs": full, "epochs_run": epochs_run, "train_examples": int(meta["train_examples"]),
            "seconds_per_epoch": round(per_epoch, 1), "seconds": round(per_epoch * full)}


def model_result(model, folder):
    meta = read_kv(folder / "meta")
    result = {"command": meta["command"], "space": meta["space"]}
    if meta.get("ran") != "yes":
        return dict(result, budget=budget(meta, None), status="not run", not_run_because=meta.get("reason"),
                    published_percent=PUBLISHED[model], target=target(model, None))
    show = json.loads((folder / "show.json").read_text())
    trials = json.loads((folder / "trials.json").read_text())
    run, test = show["run"], show.get("test") or {}
    best = trials[0] if trials else {}
    wall = float(meta["wall_seconds"])
    result.update(
        budget=budget(meta, run),
        status=run["status"],
        run_id=run["id"],
        exit_code=int(meta["exit_code"]),
        wall_seconds=wall,
        trials={key: run[key] for key in ("completed", "failed", "total")},
        # bestScore is the objective's value; it is a validation accuracy only under that objective.
        best_val_accuracy=run.get("bestScore") if run.get("objective", "val_accuracy") == "val_accuracy" else None,
        test_accuracy=test.get("accuracy"),
        macro_f1=test.get("macroF1"),
        class_f1={c["name"]: c["f1"] for c in sorted(test.get("classes", []), key=lambda c: c["index"])},
        best_trial={"number": best.get("number"), "epochs": best.get("epochs"), "params": best.get("params")},
        provenance=show.get("provenance"),
        published_percent=PUBLISHED[model],
        target=target(model, test.get("accuracy")),
    )
    estimate = full_budget_estimate(meta, best.get("epochs") or int(meta["epochs"]), wall)
    if estimate:
        result["full_budget_estimate"] = estimate
    return result


def build_report(work):
    context = read_kv(work / "context")
    return {
        "machine": {"cores": int(context["cores"]), "cpu": context["cpu"], "java": context["java"]},
        "date": context["date"],
        "git_commit": context["commit"],
        "uncommitted_changes": context["uncommitted_changes"] == "yes",
        "smoke": context["smoke"] == "1",
        "reproduce": context["reproduce"],
        "models": {model: model_result(model, work / model) for model in LABELS},
    }


# --- markdown ---

def percent(fraction):
    return "n/a" if fraction is None else f"{100 * fraction:.2f} %"


def decimal(value):
    return "n/a" if value is None else f"{value:.4f}"


def plural(n, word):
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def duration(seconds):
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def budget_cell(b):
    # A CNN that did not run has no trial count: that comes from its space file, read by hpsearch.
    trials = "" if b["trials"] is None else plural(b["trials"], "trial") + " x "
    text = (f"{trials}{plural(b['epochs'], 'epoch')}, {plural(b['workers'], 'worker')} x "
            f"{plural(b['threads'], 'thread')}, {b['train_examples']:,} training examples")
    return f"**reduced**: {text}" if b["reduced"] else text


def published_cell(model):
    return ", ".join(f"{p['percent']} %" + (f" ({p['model']})" if "model" in p else "") for p in PUBLISHED[model])


def target_cell(t):
    if t["met"] is None:
        return "n/a"
    text = f"{'yes' if t['met'] else 'no'} (>= {t['min_percent']} %)"
    if "aim_percent" in t:
        text += f"; aim {t['aim_percent']} %: {'yes' if t['aim_met'] else 'no'}"
    return text


def table_row(model, r):
    if r["status"] == "not run":
        return [LABELS[model].format(space=r["space"]), budget_cell(r["budget"])] + ["not run"] * 5 + [published_cell(model), "not run"]
    trials = r["trials"]
    return [LABELS[model].format(space=r["space"]) + ("" if r["status"] == "COMPLETED" else f" ({r['status']})"),
            budget_cell(r["budget"]), percent(r["best_val_accuracy"]), percent(r["test_accuracy"]),
            decimal(r["macro_f1"]), duration(r["wall_seconds"]),
            f"{trials['completed']} completed, {trials['failed']} failed, of {trials['total']}",
            published_cell(model), target_cell(r["target"])]


def markdown_table(header, rows):
    lines = [header, ["---"] * len(header)] + rows
    return ["| " + " | ".join(cells) + " |" for cells in lines]


def class_rows(models):
    names = []
    for r in models.values():
        names += [name for name in r.get("class_f1", {}) if name not in names]
    return [[name] + [decimal(r.get("class_f1", {}).get(name)) if r["status"] != "not run" else "not run"
                      for r in models.values()] for name in names]


def estimate_line(model, r):
    e = r.get("full_budget_estimate")
    if not e:
        return None
    return (f"{model.upper()} at its full budget of {e['epochs']} epochs: about {duration(e['seconds'])} on this "
            f"machine ({e['seconds_per_epoch']} s per epoch measured over {plural(e['epochs_run'], 'epoch')} on "
            f"{e['train_examples']:,} training examples, start-up included).")


def render_markdown(report):
    models = report["models"]
    m = report["machine"]
    lines = ["# Fashion-MNIST accuracy" + (": smoke run" if report["smoke"] else ""), ""]
    if report["smoke"]:
        lines += ["**Smoke run**: tiny budgets that check the benchmark script. These figures are not results.", ""]
    lines += [f"Machine: {m['cores']} cores, {m['cpu']}, {m['java']}. Commit {report['git_commit']}"
              + (" with uncommitted changes" if report["uncommitted_changes"] else "") + f", {report['date']}.", ""]
    lines += markdown_table(["model", "budget", "best val acc", "test acc", "macro-F1", "wall time", "trials",
                             "published (test acc)", "target met? (test acc)"],
                            [table_row(model, r) for model, r in models.items()])
    notes = [f"- {model.upper()} ran with a reduced budget: {r['budget']['reduced_because']}."
             for model, r in models.items() if r["budget"]["reduced"] and r["status"] != "not run"]
    notes += [f"- {model.upper()} was not run: {r['not_run_because']}."
              for model, r in models.items() if r["status"] == "not run"]
    notes += [f"- {line}" for line in (estimate_line(model, r) for model, r in models.items()) if line]
    if notes:
        lines += [""] + notes
    lines += ["", "## Per-class F1 (test set)", ""]
    lines += markdown_table(["class"] + [f"{model.upper()} F1" for model in models], class_rows(models))
    lines += ["", "## Best trials", ""]
    lines += [f"- {model.upper()}: trial {r['best_trial']['number']}, {json.dumps(r['best_trial']['params'])}"
              for model, r in models.items() if r["status"] != "not run" and r["best_trial"]["number"] is not None]
    lines += ["", "## Reproducing", "", "Every figure, from the repository root:", "",
              "```", report["reproduce"], "```"]
    for model, r in models.items():
        lines += ["", f"{model.upper()} row" + (" (not run)" if r["status"] == "not run" else "") + ":", "",
                  "```", r["command"], "```"]
    return "\n".join(lines) + "\n"


def summary(report):
    """A few lines for the terminal: each model's outcome and any full-budget estimate."""
    for model, r in report["models"].items():
        if r["status"] == "not run":
            yield f"{model}: not run ({r['not_run_because']})"
            continue
        reduced = " [reduced budget]" if r["budget"]["reduced"] else ""
        yield (f"{model}: {r['status']}, test accuracy {percent(r['test_accuracy'])}, target "
               f"{target_cell(r['target'])}, {duration(r['wall_seconds'])}{reduced}")
        line = estimate_line(model, r)
        if line:
            yield "  " + line


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__)
    work, out_json, out_md = (Path(a) for a in argv[1:])
    report = build_report(work)
    out_json.write_text(json.dumps(report, indent=2) + "\n")
    out_md.write_text(render_markdown(report))
    print()
    print("\n".join(summary(report)))
    print(f"Wrote {out_json} and {out_md}")


if __name__ == "__main__":
    main(sys.argv)
