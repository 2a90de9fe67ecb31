#!/usr/bin/env bash
# Smoke test of the distribution zip, end to end, as an operator would use it:
#   unzip -> bin/cqkd headless in the background (from another working directory) -> wait until
#   bin/cqkd-client 'dht:nodes' shows every shipped node READY -> put via one node, get via
#   others, lookup, ping, delete -> bad input fails with one line and a non-zero status ->
#   idle CPU -> SIGTERM, and the JVM is gone within seconds.
# Usage: distribution/src/test/smoke.sh [zip]   (after mvn package; needs free ports 5600, 5678, 7000-7007)
# Prints the figures it measures; exits non-zero on the first failed check.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
zip="${1:-$(ls "$here"/../../target/cqkd-*.zip 2>/dev/null | head -1)}"
[ -f "$zip" ] || { echo "smoke: no zip (run mvn package first)"; exit 2; }
want_nodes=$(unzip -l "$zip" | grep -c 'config/io\.cqkd\.dht\.node-.*\.cfg$')
work="$(mktemp -d /tmp/cqkd-smoke.XXXXXX)"
unzip -q "$zip" -d "$work"
home="$(echo "$work"/cqkd-*)"
client="$home/bin/cqkd-client"
pid=
fail() { echo "FAIL: $*"; [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; echo "log: $work/out.log"; exit 1; }
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
check() { # check <expected status> <command line> : runs it, shows output, checks status
  local want=$1; shift
  out="$("$client" "$*" 2>&1)"; local got=$?
  printf "\$ cqkd-client '%s'\n%s\n" "$*" "$out" | sed 's/^/  /' | head -12
  [ "$got" = "$want" ] || fail "'$*' exited $got, expected $want"
}

cd / # bin/cqkd must not depend on the working directory
t0=$(date +%s%N)
"$home/bin/cqkd" </dev/null >"$work/out.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do "$client" lb >/dev/null 2>&1 && break; kill -0 $pid 2>/dev/null || fail "container exited"; sleep 0.1; done
echo "control channel answering after $(ms "$t0") ms"
ready=0
for _ in $(seq 1 600); do
  ready=$("$client" 'dht:nodes --json' 2>/dev/null | grep -c '"state" : "READY"')
  [ "$ready" -ge "$want_nodes" ] && break
  sleep 0.1
done
[ "$ready" -ge "$want_nodes" ] || fail "only $ready of $want_nodes nodes READY after $(ms "$t0") ms"
echo "all $want_nodes nodes READY after $(ms "$t0") ms (polled through cqkd-client)"
# the same from the log: launch -> the last node_ready line (log times are HH:MM:SS.mmm, local time)
last=$(grep 'node_ready' "$work/out.log" | tail -1 | cut -d' ' -f1)
if [ -n "$last" ]; then
  launch_ms=$(( $(date -d "@$((t0 / 1000000000))" +%s) * 1000 + (t0 / 1000000) % 1000 ))
  ready_ms=$(( $(date -d "$(date -d "@$((t0 / 1000000000))" +%F) ${last%.*}" +%s) * 1000 + 10#${last##*.} ))
  echo "launch -> last node_ready logged: $((ready_ms - launch_ms)) ms"
fi
inactive=$("$client" lb | awk -F'|' 'NR>2 && $2 !~ /Active/ && $4 !~ /Native\/Epoll/' | wc -l)
[ "$inactive" = 0 ] || fail "$inactive bundles not ACTIVE"
echo "all bundles ACTIVE (the epoll native fragment RESOLVED)"

check 0 'dht:nodes'
check 0 "dht:put --node worker-1 smoke '{\"hello\":\"world\",\"n\":1}'"
for n in worker-8 boot worker-4; do check 0 "dht:get --node $n smoke"; done
[ "$("$client" 'dht:get --json --node worker-6 smoke' | grep -c '"hello" : "world"')" = 1 ] || fail "get via worker-6 returned another value"
check 0 'dht:lookup --node worker-3 smoke'
check 0 'dht:ping --node worker-2 127.0.0.1:5678'
check 0 'dht:routes --json boot'
check 0 'dht:delete --node boot smoke'
check 1 'dht:get --node worker-5 smoke'
check 1 'dht:status no-such-node'
check 1 "dht:put k '{not json'"
check 1 'dht:ping localhost'
check 1 'no:such-command'
[ "$(printf '%s' "$out" | wc -l)" -le 1 ] || fail "an error took more than one line"

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
a=$(cpu $pid); sleep 10; b=$(cpu $pid)
awk -v t=$((b - a)) 'BEGIN { printf "idle CPU: %d clock ticks in 10 s = %.1f%% of one core\n", t, t / 10 }'
t1=$(date +%s%N)
kill -TERM $pid; wait $pid; rc=$?
echo "SIGTERM: JVM exited with $rc after $(ms "$t1") ms"
[ "$(ms "$t1")" -lt 10000 ] || fail "shutdown took too long"
grep -E 'Exception|FAILED TO STOP' "$work/out.log" | head -5
echo "smoke: OK ($work)"
