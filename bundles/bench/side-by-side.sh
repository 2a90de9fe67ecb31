#!/usr/bin/env bash
# Side by side: the peers' harnesses (../shared/peers: OpenDHT, bittorrent-dht, dht-rpc) and cqkd-bench on
# the same workload, in one session on this machine, then one table. See docs/benchmarks.md.
#
#   bundles/bench/side-by-side.sh                 # N=1000, every peer whose prerequisites are present
#   bundles/bench/side-by-side.sh 1000 2000       # several N
#   PEERS="btdht cqkd" bundles/bench/side-by-side.sh 1000
#
# Prerequisites (a missing one skips that peer with the reason):
#   bittorrent-dht, dht-rpc: node + npm, then `npm ci` in ../shared/peers (package-lock pins the versions)
#   OpenDHT:                 apt-get install -y python3-opendht   (Debian's /usr/bin/python3 binding)
#   seed counters:           nftables + root for kernel counts (else the harness's in-process counts)
#   cqkd:                    bin/cqkd-bench of an unzipped distribution (CQKD_BENCH=/path/to/bin/cqkd-bench),
#                            or the development tree: mvn -B -q -o -pl bundles/core install -DskipTests &&
#                            mvn -B -q -pl bundles/bench package
# The peers' harness runs in a private copy under $OUT (results never land in ../shared/peers/results).
# Environment: PEERS (default "opendht btdht dhtrpc cqkd"), RUN (rng seed, default 1), OUT (default
# target/side-by-side-<time> under bundles/bench).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
peers_dir="${PEERS_DIR:-$root/../shared/peers}"
[ -d "$peers_dir" ] || peers_dir="$(cd "$root/.." && pwd)/shared/peers"
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1000)
want="${PEERS:-opendht btdht dhtrpc cqkd}"
run="${RUN:-1}"
out="${OUT:-$here/target/side-by-side-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out/results"
skipped=()

# ---- prerequisites ----------------------------------------------------------------------------
have_node=1
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  have_node=0; node_reason="node/npm not installed (apt-get install nodejs npm)"
elif [ ! -d "$peers_dir/node_modules/bittorrent-dht" ] || [ ! -d "$peers_dir/node_modules/dht-rpc" ]; then
  have_node=0; node_reason="node_modules missing: run 'npm ci' in $peers_dir"
fi
have_opendht=1
if ! /usr/bin/python3 -c 'import opendht' 2>/dev/null; then
  have_opendht=0; opendht_reason="python3-opendht missing: apt-get install -y python3-opendht"
fi
source "$here/cqkd-bench-cmd.sh"

# private copy of the harness (so its results/ and logs/ stay under $out)
if [ $have_node = 1 ] || [ $have_opendht = 1 ]; then
  mkdir -p "$out/peers"
  for f in bench_node.mjs bench_opendht.py finish_run.py nftcount.sh run.sh package.json; do
    cp "$peers_dir/$f" "$out/peers/"
  done
  [ -d "$peers_dir/node_modules" ] && ln -sfn "$peers_dir/node_modules" "$out/peers/node_modules"
fi

echo "side-by-side: N=${sizes[*]} peers=[$want] run=$run out=$out load=$(cut -d' ' -f1-3 /proc/loadavg)" >&2
for n in "${sizes[@]}"; do
  for p in $want; do
    case $p in
      btdht|dhtrpc)
        if [ $have_node = 0 ]; then skipped+=("$p N=$n: $node_reason"); continue; fi
        echo "== $p N=$n (load $(cut -d' ' -f1 /proc/loadavg))" >&2
        (cd "$out/peers" && ./run.sh "$p" "$n" "$run") && cp "$out/peers/results/${p}_n${n}_run${run}.json" "$out/results/" ;;
      opendht|opendht-perip)
        if [ $have_opendht = 0 ]; then skipped+=("$p N=$n: $opendht_reason"); continue; fi
        echo "== $p N=$n (load $(cut -d' ' -f1 /proc/loadavg))" >&2
        (cd "$out/peers" && ./run.sh "$p" "$n" "$run") && cp "$out/peers/results/${p}_n${n}_run${run}.json" "$out/results/" ;;
      cqkd)
        if [ ${#cqkd_cmd[@]} = 0 ]; then skipped+=("cqkd N=$n: no bin/cqkd-bench (set CQKD_BENCH) and bundles/bench not built"); continue; fi
        echo "== cqkd N=$n (load $(cut -d' ' -f1 /proc/loadavg))" >&2
        "${cqkd_cmd[@]}" --nodes "$n" --seed-random "$run" --no-progress --json "$out/results/cqkd_n${n}_run${run}.json" \
          > "$out/results/cqkd_n${n}_run${run}.log" 2>&1 || echo "cqkd run failed, see $out/results/cqkd_n${n}_run${run}.log" >&2 ;;
      *) skipped+=("$p: unknown peer") ;;
    esac
  done
done

/usr/bin/env python3 - "$out/results" <<'PY'
import json, os, sys, glob
d = sys.argv[1]
rows = []
def f(v, nd=1):
    return "-" if v is None else f"{v:.{nd}f}"
for path in sorted(glob.glob(os.path.join(d, "*.json"))):
    j = json.load(open(path))
    name = os.path.basename(path)
    if name.startswith("cqkd_"):
        b = j["bootstrap_load"]
        rows.append(["cqkd (this JVM)", j["nodes"], f(j["join"]["wall_s"]), f(j["join"]["node_ready_ms_p50"], 0),
                     str(b.get("inbound_join_total")), f"{f(j['puts']['ms_p50'])} ({f(j['puts']['ms_p99'])})",
                     f(100.0 * j["gets"]["ok"] / max(1, j["gets"]["attempted"])),
                     f"{f(j['gets']['ms_p50'])} ({f(j['gets']['ms_p99'])})", f(j["cpu_s"]), f(j["peak_rss_mb"], 0)])
    else:
        si = j.get("seed_inbound", {})
        seeds = si.get("kernel_udp_datagrams_join") or si.get("lib_datagrams_join")
        proc = j.get("process", {})
        cpu = (proc.get("cpu_user_s") or 0) + (proc.get("cpu_sys_s") or 0)
        g, pu = j["get"], j["put"]
        rows.append([j["peer"], j["n"], f(j["join"]["wall_s"]), f(j["join"]["per_node_ready_ms"]["median_ms"], 0),
                     str(sum(seeds)) if seeds else "-", f"{f(pu['median_ms'])} ({f(pu['p99_ms'])})",
                     f(100.0 * g["ok"] / max(1, g["n"])), f"{f(g['median_ms'])} ({f(g['p99_ms'])})", f(cpu),
                     f(proc.get("peak_rss_mb"), 0)])
head = ["peer", "N", "join wall s", "per-node ready p50 ms", "seed inbound join", "put p50 (p99) ms", "get ok %",
        "get p50 (p99) ms", "CPU s", "peak RSS MB"]
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for r in rows:
    print("| " + " | ".join(str(c) for c in r) + " |")
PY
for s in "${skipped[@]}"; do echo "skipped: $s"; done
echo "raw results: $out/results"
