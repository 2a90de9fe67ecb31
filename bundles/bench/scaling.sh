#!/usr/bin/env bash
# Scaling series: cqkd-bench at several network sizes and topologies in one session, then one table
# with the cost per node and the cost relative to N log2 N (1.00 = grows exactly like N log N from the
# smallest N of the series; below 1 = slower than that). See docs/benchmarks.md.
#
#   bundles/bench/scaling.sh                        # N = 1000 2000 5000 10000, flat and three-level
#   TOPOLOGIES=three-level bundles/bench/scaling.sh 1000 10000
#   CQKD_BENCH=/path/to/unzipped/bin/cqkd-bench bundles/bench/scaling.sh
#
# cqkd-bench is taken from CQKD_BENCH, else from the development tree (bundles/bench built, see
# side-by-side.sh). Environment: TOPOLOGIES (default "flat three-level"), RUN (--seed-random, default 1),
# BENCH_ARGS (extra cqkd-bench options), OUT (default target/scaling-<time> under bundles/bench).
# Every run is bounded by cqkd-bench's own phase bounds and watchdog.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1000 2000 5000 10000)
topologies="${TOPOLOGIES:-flat three-level}"
run="${RUN:-1}"
out="${OUT:-$here/target/scaling-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out/results"
source "$here/cqkd-bench-cmd.sh"
if [ ${#cqkd_cmd[@]} = 0 ]; then
  echo "scaling: no cqkd-bench: set CQKD_BENCH=/path/to/bin/cqkd-bench or build bundles/bench" >&2
  exit 2
fi

echo "scaling: N=${sizes[*]} topologies=[$topologies] run=$run out=$out load=$(cut -d' ' -f1-3 /proc/loadavg)" >&2
for t in $topologies; do
  for n in "${sizes[@]}"; do
    name="${t}_n${n}_run${run}"
    echo "== $t N=$n (load $(cut -d' ' -f1 /proc/loadavg))" >&2
    # shellcheck disable=SC2086
    "${cqkd_cmd[@]}" --nodes "$n" --topology "$t" --seed-random "$run" --no-progress ${BENCH_ARGS:-} \
      --json "$out/results/$name.json" > "$out/results/$name.log" 2>&1 \
      || echo "cqkd-bench $t N=$n exited $?, see $out/results/$name.log" >&2
  done
done

/usr/bin/env python3 - "$out/results" $topologies <<'PY'
import json, math, os, sys
d, topologies = sys.argv[1], sys.argv[2:]
def f(v, nd=1):
    return "-" if v is None else f"{v:.{nd}f}"
head = ["topology", "N", "ready", "join wall s (start window)", "node ready p50 / p99 ms", "join datagrams per node",
        "CPU s", "CPU ms per node", "CPU / N log N (rel.)", "datagrams / N log N (rel.)", "peak RSS MB",
        "heap MB per 1000", "gets ok, p50 / p99 ms", "lookups correct", "busiest bootstrap inbound (join)"]
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for t in topologies:
    runs = []
    for name in os.listdir(d):
        if name.startswith(t + "_n") and name.endswith(".json"):
            runs.append(json.load(open(os.path.join(d, name))))
    runs.sort(key=lambda j: j["nodes"])
    base_cpu = base_dg = None
    for j in runs:
        n, jo = j["nodes"], j["join"]
        dg = (jo.get("traffic") or {}).get("datagrams_in")
        nlogn = n * math.log2(n)
        cpu_rel = dg_rel = None
        if base_cpu is None:
            base_cpu, base_dg = j["cpu_s"] / nlogn, (dg or 0) / nlogn
        cpu_rel = (j["cpu_s"] / nlogn) / base_cpu if base_cpu else None
        dg_rel = (dg / nlogn) / base_dg if dg and base_dg else None
        b = j["bootstrap_load"]
        g, l = j["gets"], j["lookups"]
        print("| " + " | ".join(str(c) for c in [
            t, n, f"{jo['ready']}/{n}", f"{f(jo['wall_s'])} ({f(jo.get('start_window_s'))})",
            f"{f(jo['node_ready_ms_p50'], 0)} / {f(jo['node_ready_ms_p99'], 0)}",
            f(dg / n if dg else None, 0), f(j["cpu_s"]), f(1000 * j["cpu_s"] / n, 2), f(cpu_rel, 2), f(dg_rel, 2),
            f(j["peak_rss_mb"], 0), f(j["heap_used_mb_per_1000_nodes"]),
            f"{g['ok']}/{g['attempted']}, {f(g['ms_p50'])} / {f(g['ms_p99'])}", f"{l['correct']}/{l['count']}",
            max(b.get("inbound_join") or [0])]) + " |")
PY
echo "raw results: $out/results"
