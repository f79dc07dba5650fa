#!/usr/bin/env python3
"""Summarises a JMH JSON result file (-rf json): per benchmark and params, the median over forks of
each fork's mean score, min/max over forks, and the allocation per op from -prof gc.
   python3 bench/scripts/jmh-summary.py results.json"""
import json
import statistics
import sys

for r in json.load(open(sys.argv[1])):
    name = r["benchmark"].split(".")[-2] + "." + r["benchmark"].split(".")[-1]
    params = ",".join(f"{k}={v}" for k, v in (r.get("params") or {}).items())
    pm = r["primaryMetric"]
    forks = [statistics.mean(f) for f in pm["rawData"]]
    alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
    print(f"{name:38s} {params:70s} median {statistics.median(forks):10.3f} {pm['scoreUnit']:6s}"
          f" (forks {min(forks):.3f}..{max(forks):.3f}, n={len(forks)})"
          + (f"  alloc {alloc:.3f} B/op" if alloc is not None else ""))
