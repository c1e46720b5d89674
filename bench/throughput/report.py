#!/usr/bin/env python3
"""Markdown tables from bench/throughput/run.sh's JSON: usage report.py RESULTS.json > RESULTS.md"""
import json
import sys

r = json.load(open(sys.argv[1]))
epochs, train, val = r["epochs"], r["training_examples"], r["validation_examples"]
default = r["nd4j_default_threads"]
sgemm = r["sgemm_gflops"]
plain = r["plain_dl4j"]
networks = [p["network"] for p in plain if p["threads"] == default]
examples = len(networks) * epochs * train


def yes(ok):
    return "**yes**" if ok else "**no**"


def row(*cells):
    print("| " + " | ".join(str(c) for c in cells) + " |")


print(f"{r['cores']} cores ({r['cpu']}; {r.get('cpu_flags', 'flags not recorded')}), natives "
      f"{r.get('natives') or 'not recorded'}, Java {r['java']}, ND4J default threads {default}. Workload: "
      f"{len(networks)} networks x {epochs} epochs x {train:,} training + {val:,} validation examples "
      f"(`{r['space']}`).")
print()
print("Roofline, ND4J sgemm 1024x1024 float: " + ", ".join(
    f"{v:.1f} GFLOPS with {k.split('_')[0]} thread(s)" for k, v in sgemm.items()) + "."
      + (f" The same product through mmuli, the path DL4J's own dense layers take: {r['mmuli_gflops_1_thread']:.1f}"
         " GFLOPS on 1 thread." if "mmuli_gflops_1_thread" in r else ""))
print()
hp1 = next(h for h in r["hpsearch"] if h["workers"] == 1 and h["threads_per_worker"] == 1)
hp_by_net = {p["network"]: p for p in hp1["per_network"]}
row("network", f"plain DL4J, {default} threads: examples/s", "plain DL4J, 1 thread: examples/s",
    "plain DL4J, 1 thread: GFLOPS (of sgemm)", "hpsearch, 1 worker: GFLOPS (of sgemm)")
row(*["---"] * 5)
for net in networks:
    d = next(p for p in plain if p["network"] == net and p["threads"] == default)
    one = next(p for p in plain if p["network"] == net and p["threads"] == 1)
    h = hp_by_net[net]
    row(net, f"{d['examples_per_second']:,.0f}", f"{one['examples_per_second']:,.0f}",
        f"{one['gflops']:.1f} ({100 * one['fraction_of_sgemm']:.0f} %)",
        f"{h['gflops']:.1f} ({100 * h['fraction_of_sgemm']:.0f} %)")
print()
base = r["plain_dl4j_total_seconds"][str(default)]
row("contender (all six networks)", "workers x ND4J threads", "wall time", "training examples/s",
    "vs one default-threaded trial at a time", "overhead")
row(*["---"] * 6)
for threads, seconds in r["plain_dl4j_total_seconds"].items():
    row(f"plain DL4J loop, one network after another", f"1 x {threads}", f"{seconds:.1f} s",
        f"{examples / seconds:,.0f}", f"{base / seconds:.2f}x", "-")
for h in r["hpsearch"]:
    row("hpsearch", f"{h['workers']} x {h['threads_per_worker']}", f"{h['wall_seconds']:.1f} s",
        f"{h['examples_per_second']:,.0f}", f"{base / h['wall_seconds']:.2f}x", f"{100 * h['overhead']:.1f} %")
for a in r["arbiter"]:
    row("Arbiter LocalOptimizationRunner", f"{a['concurrent_tasks']} x {a['threads']}", f"{a['wall_seconds']:.1f} s",
        f"{a['examples_per_second']:,.0f}", f"{base / a['wall_seconds']:.2f}x", "-")
print()
hpn = next(h for h in r["hpsearch"] if h["workers"] == r["cores"] and h["threads_per_worker"] == 1)
arb = {(a["concurrent_tasks"], a["threads"]): a for a in r["arbiter"]}
# "The 512-unit configurations": networks whose every hidden layer has 512 units.
big = [p for n, p in hp_by_net.items() if set(n.split(": ")[1].split("-")) == {"512"}]
worst512 = min(p["fraction_of_sgemm"] for p in big)
print("Targets:")
print()
print(f"- Aggregate throughput >= 4x one default-threaded trial: {base / hpn['wall_seconds']:.2f}x "
      f"({hpn['workers']} workers x 1 thread against the plain loop with {default} threads): "
      f"{yes(base / hpn['wall_seconds'] >= 4)}")
print(f"- >= 40 % of the 1-thread sgemm roofline on the 512-unit networks (every hidden layer 512 units; "
      f"hpsearch, 1 worker): lowest {100 * worst512:.0f} %: {yes(worst512 >= 0.4)}")
print(f"- Overhead <= 3 % of wall time: {100 * hp1['overhead']:.1f} % with 1 worker, "
      f"{100 * hpn['overhead']:.1f} % with {hpn['workers']}; against the plain 1-thread loop, 1 worker: "
      f"{100 * hp1['overhead_vs_plain_loop']:.1f} %: {yes(max(hp1['overhead'], hpn['overhead']) <= 0.03)}"
      + (f" (of the {100 * hpn['overhead']:.1f} %, the busiest worker's own time outside its epochs: "
         f"{100 * hpn['overhead_busiest_worker']:.1f} %; the rest is the other workers idle at the end, with no "
         f"trial left)" if "overhead_busiest_worker" in hpn else ""))
ratio1 = arb[(1, 1)]["wall_seconds"] / hp1["wall_seconds"]
ration = arb[(r["cores"], 1)]["wall_seconds"] / hpn["wall_seconds"]
print(f"- >= 1.5x Arbiter's runner at the same concurrency and threads: {ratio1:.2f}x with 1 worker, "
      f"{ration:.2f}x with {hpn['workers']}: {yes(min(ratio1, ration) >= 1.5)}")
m = r.get("memory")
if m:
    t = m["trials"]
    print(f"- Peak RSS of a {t}-trial run <= 10 % above its peak after 10 trials: "
          f"{m['peak_rss_mib_after_10']:.0f} MiB after 10, {m[f'peak_rss_mib_after_{t}']:.0f} MiB after {t} "
          f"({100 * m['growth']:+.1f} %; {m['space']}, {m['workers']} workers): {yes(m['growth'] <= 0.10)}")
c = r.get("hpsearch_chosen")
one = r.get("one_network")
if c and one:
    fixed6 = [(f"hpsearch {h['workers']} x {h['threads_per_worker']}", h["wall_seconds"]) for h in r["hpsearch"]
              if h["workers"] > 1 or h["threads_per_worker"] > 1]
    fixed6 += [(f"Arbiter {a['concurrent_tasks']} x {a['threads']}", a["wall_seconds"]) for a in r["arbiter"]
               if a["concurrent_tasks"] > 1 or a["threads"] > 1]
    best6 = min(fixed6, key=lambda x: x[1])
    fixed1 = [(f"{'hpsearch' if f['contender'] == 'hpsearch' else 'Arbiter'} 1 x {f['threads']}", f["wall_seconds"])
              for f in one["fixed"]]
    best1 = min(fixed1, key=lambda x: x[1])
    ch1 = one["chosen"]
    print(f"- hpsearch's own choice within 5 % of the fastest of 1 x N, N x 1 and Arbiter's runner: six networks "
          f"{c['workers']} x {c['threads_per_worker']} in {c['wall_seconds']:.1f} s against {best6[0]} "
          f"{best6[1]:.1f} s ({100 * (c['wall_seconds'] / best6[1] - 1):+.1f} %); one network ({one['network']}) "
          f"{ch1['workers']} x {ch1['threads_per_worker']} in {ch1['wall_seconds']:.1f} s against {best1[0]} "
          f"{best1[1]:.1f} s ({100 * (ch1['wall_seconds'] / best1[1] - 1):+.1f} %): "
          f"{yes(c['wall_seconds'] <= 1.05 * best6[1] and ch1['wall_seconds'] <= 1.05 * best1[1])}")
    print()
    row("one network: contender", "workers x ND4J threads", "wall time")
    row(*["---"] * 3)
    for name, seconds in fixed1:
        row(name.rsplit(" 1 x ", 1)[0], "1 x " + name.rsplit(" 1 x ", 1)[1], f"{seconds:.1f} s")
    row("hpsearch, chosen by measuring (measuring included)", f"{ch1['workers']} x {ch1['threads_per_worker']}",
        f"{ch1['wall_seconds']:.1f} s")
