#!/usr/bin/env python3
"""Plots the steady-load series written by `TableStore.Bench ... compaction` (sorted runs, files, write amplification).

Usage: python3 bench/plot_compaction.py docs/images/compaction-steady.csv docs/images/compaction-steady.png
Needs matplotlib (apt-get install python3-matplotlib); not part of CI.
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

source, target = sys.argv[1], sys.argv[2]
with open(source, newline="") as f:
    rows = list(csv.DictReader(f))
commit = [int(r["commit"]) for r in rows]

fig, (runs, amp) = plt.subplots(2, 1, figsize=(9, 6.5), sharex=True)
runs.plot(commit, [int(r["max_runs"]) for r in rows], label="sorted runs, busiest bucket", drawstyle="steps-post")
runs.plot(commit, [float(r["avg_runs"]) for r in rows], label="sorted runs, bucket average")
runs.plot(commit, [int(r["files"]) for r in rows], label="live data files (4 buckets)", alpha=0.7)
runs.axhline(5, color="grey", linestyle="--", linewidth=0.8, label="compaction trigger (5)")
runs.set_ylabel("count")
runs.legend(loc="upper left", fontsize=8)
runs.set_title("Steady upserts: 5,000 rows per commit over 200,000 keys, default universal compaction")

amp.plot(commit, [float(r["write_amplification"]) for r in rows], color="tab:red", label="write amplification (cumulative)")
amp.set_ylabel("bytes written / bytes flushed")
amp.set_xlabel("commit")
amp2 = amp.twinx()
amp2.plot(commit, [float(r["live_mb"]) for r in rows], color="tab:green", alpha=0.6, label="live data (MB)")
amp2.set_ylabel("MB")
lines = amp.get_legend_handles_labels()[0] + amp2.get_legend_handles_labels()[0]
amp.legend(lines, [l.get_label() for l in lines], loc="lower right", fontsize=8)
fig.tight_layout()
fig.savefig(target, dpi=110)
