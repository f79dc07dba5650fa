#!/usr/bin/env python3
"""Markdown table of bench/scripts/side-by-side.sh's raw output: medians over runs, per-run values in
brackets, ratios per run. Reads the RESULT lines of OUT/<size>-run<r>-<label>.txt.
    python3 bench/scripts/side-by-side-table.py OUT"""
import glob
import os
import re
import statistics
import sys
from collections import defaultdict

out = sys.argv[1]
# data[label][size][run][system][key] = value
data = defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(dict))))
failed = []
for path in sorted(glob.glob(os.path.join(out, "*-run*-*.txt"))):
    m = re.match(r"(\d+)-run(\d+)-([a-z-]+)\.txt$", os.path.basename(path))
    if not m:
        continue
    size, run, label = int(m.group(1)), int(m.group(2)), m.group(3)
    text = open(path).read()
    status = re.search(r"^== exit (\d+)", text, re.M)
    if not status or status.group(1) not in ("0", "3"):
        failed.append(os.path.basename(path))
        continue
    for sysname, key, value in re.findall(r"^RESULT (\S+) (\S+) (\S+)$", text, re.M):
        target = data[label][size][run][sysname.replace("ours-launcher", "ours").replace("ours-plain", "ours")]
        # Solo sessions (one system each) share the "run" figures: feed rounds add up, query rounds the least.
        if label.startswith("solo-") and sysname == "run" and key in target:
            target[key] = min(target[key], float(value)) if key == "query_rounds" else target[key] + float(value)
        else:
            target[key] = float(value)
    if label.startswith("solo-"):
        data["solo"][size][run]  # the solo sessions of a (size, run) are folded below

main_label = "plain" if "plain" in data and "launcher" not in data else "launcher"
main = data[main_label]
for size, runs_ in data.get("solo", {}).items():
    for run in runs_:
        for label in [l for l in data if l.startswith("solo-")]:
            for sysname, figures in data[label][size][run].items():
                main[size][run][sysname].update(figures) if sysname != "run" else None
        late = [data[l][size][run]["run"] for l in data if l.startswith("solo-") and "run" in data[l][size][run]]
        main[size][run]["run"] = {"late_rounds": sum(r.get("late_rounds", 0) for r in late),
                                  "feed_rounds": sum(r.get("feed_rounds", 0) for r in late)}
systems = ["prometheus", "victoria-metrics", "ours"]


def fmt(v, digits=1):
    if v is None:
        return "—"
    return f"{v:,.{digits}f}"


def cell(values, digits=1):
    values = [v for v in values if v is not None]
    if not values:
        return "—"
    med = statistics.median(values)
    if len(values) == 1:
        return fmt(med, digits)
    return f"{fmt(med, digits)} ({', '.join(fmt(v, digits) for v in values)})"


def per_run(size, system, key, label=None):
    runs = (data[label] if label else main)[size]
    return [runs[r][system].get(key) for r in sorted(runs)]


def ratios(size, key, num="ours", den="victoria-metrics"):
    runs = main[size]
    out_ = []
    for r in sorted(runs):
        a, b = runs[r][num].get(key), runs[r][den].get(key)
        out_.append(a / b if a is not None and b else None)
    return out_


rows = []


def row(name, cells, ratio="—"):
    rows.append(f"| {name} | " + " | ".join(cells) + f" | {ratio} |")


sizes = sorted(main)
for size in sizes:
    series = int(statistics.median([v for v in per_run(size, "ours", "series") if v]))
    row(f"RSS at window full, {size:,} requested = {series:,} series (MiB)",
        [cell(per_run(size, s, "full_rss_mib")) for s in systems], cell(ratios(size, "full_rss_mib"), 2))
for a, b in zip(sizes, sizes[1:]):
    cells = []
    for s in systems:
        vals = []
        for r in sorted(main[b]):
            if r in main[a] and "full_rss_mib" in main[a][r][s] and "full_rss_mib" in main[b][r][s]:
                ds = main[b][r][s]["series"] - main[a][r][s]["series"]
                vals.append((main[b][r][s]["full_rss_mib"] - main[a][r][s]["full_rss_mib"]) * 1048576 / ds)
        cells.append(vals)
    ratio = [o / v for o, v in zip(cells[2], cells[1]) if v]
    row(f"extra RSS per added series, {a:,} → {b:,} (B)", [cell(c, 0) for c in cells], cell(ratio, 2))
for size in sizes:
    row(f"RSS after the query workload, {size:,} (MiB)", [cell(per_run(size, s, "after_rss_mib")) for s in systems],
        cell(ratios(size, "after_rss_mib"), 2))
    after_before = [[(x / y if x is not None and y else None) for x, y in
                     zip(per_run(size, s, "after_rss_mib"), per_run(size, s, "full_rss_mib"))] for s in systems]
    row(f"RSS after / before the query workload, {size:,}", [cell(c, 3) for c in after_before])
for size in sizes:
    row(f"ours: heap used / committed at window full, {size:,} (MiB; jcmd GC.heap_info)", ["", "",
        cell(per_run(size, "ours", "heap_used_mib_full")) + " / " + cell(per_run(size, "ours", "heap_committed_mib_full"))])
for size in sorted(data.get("plain-only", {})):
    plain = per_run(size, "ours", "full_rss_mib", "plain-only")
    vm = per_run(size, "victoria-metrics", "full_rss_mib")
    row(f"ours started plain (`java -jar`, no flags), window full {size:,} (MiB; launcher: row above)", ["", "", cell(plain)],
        cell([p / v for p, v in zip(plain, vm) if p is not None and v], 2))
    row(f"ours started plain, after the query workload {size:,} (MiB)", ["", "", cell(per_run(size, "ours", "after_rss_mib", "plain-only"))])
all_runs = [(sz, r) for sz in sizes for r in sorted(main[sz])]
row("idle RSS (MiB), every session", [cell([main[sz][r][s].get("idle_rss_mib") for sz, r in all_runs]) for s in systems],
    cell([main[sz][r]["ours"].get("idle_rss_mib") / main[sz][r]["victoria-metrics"]["idle_rss_mib"] for sz, r in all_runs
          if main[sz][r]["victoria-metrics"].get("idle_rss_mib")], 2))
row("start to ready (ms), every session", [cell([main[sz][r][s].get("start_to_ready_ms") for sz, r in all_runs], 0) for s in systems])
if "plain-only" in data:
    pr = [(sz, r) for sz in sorted(data["plain-only"]) for r in sorted(data["plain-only"][sz])]
    row("ours started plain: idle RSS (MiB) / start to ready (ms)", ["", "",
        cell([data["plain-only"][sz][r]["ours"].get("idle_rss_mib") for sz, r in pr]) + " / "
        + cell([data["plain-only"][sz][r]["ours"].get("start_to_ready_ms") for sz, r in pr], 0)])
for size in sizes:
    for q in range(1, 6):
        row(f"q{q} p50 / p99 (ms), {size:,}", [cell(per_run(size, s, f"q{q}_p50_ms"), 2) + " / " + cell(per_run(size, s, f"q{q}_p99_ms"), 2)
                                            for s in systems])
    compared = any(per_run(size, s, "q1_disagree") != [None] * len(main[size]) for s in systems[1:])
    row(f"answers differing from Prometheus' (q1..q5, all runs), {size:,}", ["reference"] + [
        " / ".join(str(int(sum(v for v in per_run(size, s, f"q{q}_disagree") if v))) for q in range(1, 6))
        if compared else "not compared (solo)" for s in systems[1:]])
    errors = [" / ".join(str(int(sum(v for v in per_run(size, s, f"q{q}_errors") if v))) for q in range(1, 6)) for s in systems]
    if any(e != "0 / 0 / 0 / 0 / 0" for e in errors):
        row(f"queries refused (q1..q5, all runs), {size:,}", errors)
    row(f"feed: worst delivery of a round after its tick (ms), {size:,}", [cell(per_run(size, s, "max_delivery_ms"), 0) for s in systems])
    late = [main[size][r]["run"].get("late_rounds") for r in sorted(main[size])]
    rounds_ = [main[size][r]["run"].get("feed_rounds") for r in sorted(main[size])]
    row(f"feed: rounds late (over 5 s) / rounds, {size:,}", ["", "", " ".join(f"{int(l)}/{int(n)}" for l, n in zip(late, rounds_))])

print("| figure | Prometheus 2.42 | VictoriaMetrics 1.79 | ours | ours/VM |")
print("|---|---|---|---|---|")
print("\n".join(rows))
print()
print(f"Medians over runs, per-run values in brackets; ratios per run (ours from the `{main_label}` sessions). Raw output: {out}")
if "solo" in data:
    print("Sizes " + ", ".join(f"{sz:,}" for sz in sorted(data["solo"])) + " ran one system per session (solo): no answers compared there.")
if failed:
    print("Sessions that failed and are left out: " + ", ".join(failed))
