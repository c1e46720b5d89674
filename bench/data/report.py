#!/usr/bin/env python3
"""Writes the table-loading benchmark's results, as JSON and markdown, from what bench/data/run.sh collected.

Usage: report.py WORK_DIR OUT_JSON OUT_MD

WORK_DIR holds `context` (machine and invocation, key=value lines) and one `ROWS-CONTENDER-REPEAT.json` per JVM
that CsvLoadBench measured. Each contender's fastest repeat is reported (on a shared machine the fastest run is the
least disturbed one); every repeat's time stays in the JSON.
"""
import json
import sys
from pathlib import Path

CONTENDERS = {
    "hpsearch": "hpsearch: CsvDataset.load, then fit + encode the training part",
    "hpsearch-prepare": "hpsearch: CsvDataset.load, then TrainingData.prepare (validation 0.2), as a run does",
    "plain": "baseline: BufferedReader.readLine + String.split + Float.parseFloat",
    "datavec": "baseline: DataVec CSVRecordReader (1.0.0-M2.1)",
}
MIB = 1048576


def read_kv(path):
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if line)
    return {key: value for key, value in pairs}


def step_seconds(run, prefix):
    return sum(s["seconds"] for s in run["steps"] if s["step"].startswith(prefix))


def same_data(runs):
    """Whether every contender read the same numbers: equal label sums and feature sums (doubles summed in other
    orders, and parsers that may round a cell differently in its last bit, so within a relative 1e-9)."""
    runs = list(runs)
    labels = {r["label_sum"] for r in runs}
    sums = [r["feature_sum"] for r in runs]
    spread = (max(sums) - min(sums)) / max(1.0, max(abs(s) for s in sums))
    return {"label_sums_equal": len(labels) == 1, "feature_sum_relative_spread": spread,
            "equal": len(labels) == 1 and spread <= 1e-9}


def size_result(runs):
    """The fastest repeat of each contender at one table size, with ratios to the baselines."""
    best = {}
    for contender in CONTENDERS:
        mine = [r for r in runs if r["contender"] == contender]
        if mine:
            fastest = min(mine, key=lambda r: r["seconds"])
            best[contender] = dict(fastest, repeats_seconds=[round(r["seconds"], 3) for r in mine])
    first = next(iter(best.values()))
    cells = first["rows"] * first["features"]
    result = {"rows": first["rows"], "features": first["features"], "cells": cells,
              "file_bytes": first["file_bytes"], "same_data": same_data(best.values()), "contenders": best,
              "ratios": {}}
    hp, prep = best.get("hpsearch"), best.get("hpsearch-prepare")
    for base in ("plain", "datavec"):
        b = best.get(base)
        if not (b and hp):
            continue
        # Loading alone against reading alone: both end with the same float and int arrays.
        result["ratios"][f"load_vs_{base}"] = {
            "time": step_seconds(hp, "load") / b["seconds"],
            "live_heap": hp["steps"][0]["live_heap_bytes"] / b["live_heap_bytes"],
            "peak_live_heap": hp["steps"][0]["peak_live_heap_bytes_so_far"] / b["peak_live_heap_bytes"],
            "peak_rss": hp["steps"][0]["peak_rss_bytes_so_far"] / b["peak_rss_bytes"],
        }
        if prep:
            result["ratios"][f"prepare_path_vs_{base}"] = {
                "time": prep["seconds"] / b["seconds"],
                "live_heap": prep["live_heap_bytes"] / b["live_heap_bytes"],
                "peak_rss": prep["peak_rss_bytes"] / b["peak_rss_bytes"],
            }
    if hp:
        load_s = step_seconds(hp, "load")
        result["rule_of_thumb"] = {
            "load_seconds_per_million_cells": load_s / cells * 1e6,
            "loaded_bytes_per_cell": hp["steps"][0]["live_heap_bytes"] / cells,
        }
        if prep:
            result["rule_of_thumb"].update(
                prepare_path_seconds_per_million_cells=prep["seconds"] / cells * 1e6,
                prepared_bytes_per_cell=prep["live_heap_bytes"] / cells,
                prepare_peak_live_bytes_per_cell=prep["peak_live_heap_bytes"] / cells,
                prepare_peak_rss_bytes_per_cell=prep["peak_rss_bytes"] / cells,
            )
    return result


def build_report(work):
    context = read_kv(work / "context")
    runs = [json.loads(p.read_text()) for p in sorted(work.glob("*-*-*.json"))]
    by_rows = {}
    for r in runs:
        by_rows.setdefault(r["rows"], []).append(r)
    return {
        "machine": {"cores": int(context["cores"]), "cpu": context["cpu"], "memory_gib": int(context["memory_gib"]),
                    "java": context["java"]},
        "date": context["date"],
        "git_commit": context["commit"],
        "uncommitted_changes": context["uncommitted_changes"] == "yes",
        "smoke": context["smoke"] == "1",
        "heap": context["heap"],
        "repeats": int(context["repeats"]),
        "load_average": {"start": context["load_average_start"], "end": context.get("load_average_end")},
        "reproduce": context["reproduce"],
        "sizes": [size_result(by_rows[rows]) for rows in sorted(by_rows, reverse=True)],
    }


# --- markdown ---

def mib(b):
    return f"{b / MIB:,.0f} MiB"


def seconds(s):
    return f"{s:.2f} s"


def ratio(x):
    return f"{x:.2f}x"


def contender_rows(size):
    plain = size["contenders"].get("plain")
    rows = []
    for name, run in size["contenders"].items():
        steps = "; ".join(f"{s['step']} {seconds(s['seconds'])}" for s in run["steps"])
        loads = sorted({run["load_average_before"].split()[0], run["load_average_after"].split()[0]})
        rows.append([CONTENDERS[name], steps, seconds(run["seconds"]),
                     ", ".join(seconds(s) for s in run["repeats_seconds"]),
                     mib(run["live_heap_bytes"]), mib(run["peak_live_heap_bytes"]), mib(run["peak_heap_bytes"]),
                     mib(run["peak_rss_bytes"]),
                     ratio(run["seconds"] / plain["seconds"]) if plain else "n/a",
                     " - ".join(loads)])
    return rows


def markdown_table(header, rows):
    lines = [header, ["---"] * len(header)] + rows
    return ["| " + " | ".join(cells) + " |" for cells in lines]


def render_markdown(report):
    m = report["machine"]
    lines = ["# Loading a large table" + (": smoke run" if report["smoke"] else ""), ""]
    if report["smoke"]:
        lines += ["**Smoke run**: small tables that check the benchmark script. These figures are not results.", ""]
    lines += [f"Machine: {m['cores']} cores, {m['cpu']}, {m['memory_gib']} GiB, {m['java']}. Commit "
              f"{report['git_commit']}" + (" with uncommitted changes" if report["uncommitted_changes"] else "")
              + f", {report['date']}. Every JVM ran with -Xmx{report['heap']}; each contender's fastest of "
              f"{report['repeats']} repeat(s). Load average (1 min) {report['load_average']['start']} at the start, "
              f"{report['load_average']['end']} at the end: this contender alone makes about 1 on 2 cores; more "
              "means the other core was busy.", ""]
    lines += ["Live heap: in use after a full collection at the end (the data the contender keeps). Peak live heap: "
              "the most in use after any collection during the run (about the smallest heap that works). Peak heap: "
              "the most in use before any collection (depends on how lazily the collector runs). Peak RSS: the "
              "process's VmHWM (heap, JIT, natives). Memory figures leave out the empty JVM's heap.", ""]
    for size in report["sizes"]:
        lines += [f"## {size['rows']:,} rows x {size['features']} features ({size['cells'] / 1e6:,.1f} M cells, "
                  f"file {size['file_bytes'] / 1e6:,.0f} MB)", ""]
        lines += markdown_table(["contender", "steps", "total", "all repeats", "live heap", "peak live heap",
                                 "peak heap", "peak RSS", "total vs plain", "load average before - after"],
                                contender_rows(size))
        same = size["same_data"]
        lines += ["", "Every contender read the same numbers (label sums equal, feature sums within "
                      f"{same['feature_sum_relative_spread']:.1e} of each other): "
                      f"**{'yes' if same['equal'] else 'no'}**.", ""]
        for key, r in size["ratios"].items():
            what, base = key.split("_vs_")
            label = "CsvDataset.load" if what == "load" else "load + TrainingData.prepare"
            parts = [f"time {ratio(r['time'])}", f"live heap {ratio(r['live_heap'])}"]
            if "peak_live_heap" in r:
                parts.append(f"peak live heap {ratio(r['peak_live_heap'])}")
            parts.append(f"peak RSS {ratio(r['peak_rss'])}")
            lines.append(f"- hpsearch {label} / {base}: " + ", ".join(parts))
        t = size.get("rule_of_thumb")
        if t:
            lines += ["", f"Rule of thumb at this size: loading takes {t['load_seconds_per_million_cells']:.2f} s "
                          f"per million cells and keeps {t['loaded_bytes_per_cell']:.1f} bytes per cell"]
            if "prepared_bytes_per_cell" in t:
                lines[-1] += (f"; a run's whole preparation (load + split + fit + encode) takes "
                              f"{t['prepare_path_seconds_per_million_cells']:.2f} s per million cells, keeps "
                              f"{t['prepared_bytes_per_cell']:.1f} bytes per cell and peaks at "
                              f"{t['prepare_peak_live_bytes_per_cell']:.1f} bytes per cell of live heap "
                              f"({t['prepare_peak_rss_bytes_per_cell']:.1f} of resident memory, the JVM's own "
                              f"included): each GiB of heap holds about "
                              f"{2 ** 30 / t['prepare_peak_live_bytes_per_cell'] / 1e6:,.0f} million numeric cells "
                              "through a run's preparation.")
            else:
                lines[-1] += "."
        lines += [""]
    lines += ["## Reproducing", "", "From the repository root:", "", "```", report["reproduce"], "```"]
    return "\n".join(lines) + "\n"


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__)
    work, out_json, out_md = (Path(a) for a in argv[1:])
    report = build_report(work)
    out_json.write_text(json.dumps(report, indent=2) + "\n")
    out_md.write_text(render_markdown(report))
    print(f"Wrote {out_json} and {out_md}")


if __name__ == "__main__":
    main(sys.argv)
