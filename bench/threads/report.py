#!/usr/bin/env python3
"""Markdown table from bench/threads/probe.sh's JSON lines: report.py RESULTS.jsonl OUT.md"""
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
flags = next((l.split(":", 1)[1].split() for l in open("/proc/cpuinfo") if l.startswith("flags")), [])
simd = " ".join(f for f in flags if f.startswith("avx") or f == "fma")
md = [f"{cpu}, {len([l for l in open('/proc/cpuinfo') if l.startswith('processor')])} cores ({simd}).", "",
      "| network | natives | workers | OpenBLAS threads | OpenMP threads | OMP_WAIT_POLICY | examples/s | vs 1 worker x 1 thread | CPU seconds per wall second | threads busy > 10 % |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
base = {}
for r in rows:
    if r["natives"] == "-onednn" and r["workers"] == 1 and r["blas_threads"] == 1 and r["omp_threads"] == 1:
        base[r["network"]] = r["examples_per_second"]
for r in rows:
    b = base.get(r["network"])
    if b:
        md.append(f"| {r['network']} | {r['natives']} | {r['workers']} | {r['blas_threads']} | {r['omp_threads']} | "
                  f"{r['omp_wait_policy']} | {r['examples_per_second']:,.0f} | "
                  f"{r['examples_per_second'] / b:.2f}x | {r['cpu_per_wall']:.2f} | {r['busy_threads']} |")
open(sys.argv[2], "w").write("\n".join(md) + "\n")
print("\n".join(md))
