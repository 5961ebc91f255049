#!/usr/bin/env bash
# The teacher training step with glibc's default malloc against ./magic's memory-reuse setting
# (docs/EVALUATION.md#native-memory). The setting is fixed at process start, so the two cannot
# share a JVM: this alternates whole `./magic bench teacher --only efficiency` runs, glibc then
# reuse, then reuse then glibc, ..., so both see the same machine load, for each thread count.
# Writes bench/results/native-memory-<preset>.{json,md}: per-run figures, medians, and the median
# of the per-round step-time ratios. Run it alone on the machine.
#
#   bash bench/tools/native-memory-ab.sh [--preset paper-v2] [--rounds 3] [--threads 1,2]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
preset=paper-v2 rounds=3 threads=1,2
args="$*"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --preset) preset="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    *) echo "native-memory-ab: unknown option '$1' (use --preset, --rounds, --threads)" >&2; exit 2 ;;
  esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "native-memory-ab: --rounds must be a positive whole number, not '$rounds'" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
runs="$work/runs.tsv"
: >"$runs"
for t in ${threads//,/ }; do
  for ((r = 0; r < rounds; r++)); do
    order="glibc reuse"
    ((r % 2 == 1)) && order="reuse glibc"
    for mode in $order; do
      out="$work/$t-$r-$mode"
      echo "native-memory-ab: threads $t, round $((r + 1))/$rounds, $mode" >&2
      env -u MALLOC_MMAP_MAX_ -u MALLOC_TRIM_THRESHOLD_ MAGIC_MALLOC="$mode" OMP_NUM_THREADS="$t" \
        "$ROOT/magic" bench teacher --preset "$preset" --only efficiency \
        --results "$out" --work "$work/data" >"$out.log" 2>&1 \
        || { tail -20 "$out.log" >&2; exit 1; }
      printf '%s\t%s\t%s\t%s\n' "$t" "$r" "$mode" "$out/teacher-$preset-efficiency.json" >>"$runs"
    done
  done
done
python3 - "$runs" "$preset" "$ROOT/bench/results" "$args" <<'PY'
import json, statistics, sys
runs_file, preset, results, args = sys.argv[1:5]
rows = []
for line in open(runs_file):
    t, r, mode, path = line.rstrip("\n").split("\t")
    d = json.load(open(path))
    e = d["efficiency"]
    ph = e["phases"]["teacher"]
    rows.append({"threads": int(t), "round": int(r), "mode": mode,
                 "ms_per_step": ph["ms_per_step"], "mfu": ph["mfu"],
                 "gemm_peak_gflops": e["gemm_peak"]["gflops"],
                 "native_allocator": e.get("native_allocator"),
                 "profile_ms_per_step": e.get("profile_ms_per_step"),
                 "load_average_at_start": d.get("load_average_at_start")})
summary = []
for t in sorted({x["threads"] for x in rows}):
    s = {"threads": t}
    for mode in ("glibc", "reuse"):
        sel = [x for x in rows if x["threads"] == t and x["mode"] == mode]
        s[mode] = {"median_ms_per_step": statistics.median(x["ms_per_step"] for x in sel),
                   "median_mfu": statistics.median(x["mfu"] for x in sel)}
    ratios = []
    for r in sorted({x["round"] for x in rows if x["threads"] == t}):
        by = {x["mode"]: x for x in rows if x["threads"] == t and x["round"] == r}
        ratios.append(by["reuse"]["ms_per_step"] / by["glibc"]["ms_per_step"])
    s["reuse_over_glibc_step_time"] = ratios
    s["median_ratio"] = statistics.median(ratios)
    summary.append(s)
command = "bash bench/tools/native-memory-ab.sh" + (" " + args if args else "")
json.dump({"preset": preset, "command": command, "summary": summary, "runs": rows},
          open(f"{results}/native-memory-{preset}.json", "w"), indent=2)
with open(f"{results}/native-memory-{preset}.md", "w") as f:
    f.write(f"# Native memory: glibc defaults vs reuse, preset `{preset}`\n\n")
    f.write(f"Command: `{command}`. Each run is `./magic bench teacher --preset {preset} --only efficiency`"
            " (the teacher's training step, median of 15 after 3 warm-up, on a fresh model) with"
            " `MAGIC_MALLOC=glibc` or `reuse`, alternated; MFU against the GEMM peak measured in the"
            " same run (docs/EVALUATION.md#native-memory).\n\n")
    f.write("| threads | glibc ms/step | reuse ms/step | reuse / glibc (median of rounds) | glibc MFU | reuse MFU |\n")
    f.write("|---|---|---|---|---|---|\n")
    for s in summary:
        f.write(f"| {s['threads']} | {s['glibc']['median_ms_per_step']:.0f} | {s['reuse']['median_ms_per_step']:.0f} |"
                f" {s['median_ratio']:.3f} | {100*s['glibc']['median_mfu']:.1f}% | {100*s['reuse']['median_mfu']:.1f}% |\n")
    f.write("\n| threads | round | mode | ms/step | MFU | GEMM peak GFLOP/s | load at start |\n|---|---|---|---|---|---|---|\n")
    for x in rows:
        f.write(f"| {x['threads']} | {x['round']} | {x['mode']} | {x['ms_per_step']:.0f} | {100*x['mfu']:.1f}% |"
                f" {x['gemm_peak_gflops']:.1f} | {x['load_average_at_start']:.1f} |\n")
print(open(f"{results}/native-memory-{preset}.md").read())
PY
