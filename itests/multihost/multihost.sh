#!/usr/bin/env bash
# Multi-host scenario of issue 7: 5+ "hosts" (Linux network namespaces on one machine, joined by
# a bridge), one CQKD distribution container per host, the same port ranges (and port numbers)
# on every host, a bootstrap tier spread over the hosts and several hundred workers.
#
#   itests/multihost/multihost.sh [zip]
#
# Checks, each printing PASS/FAIL lines and figures:
#   1. formation: every node of every host READY (bin/cqkd-client 'dht:nodes --json' per host),
#      and routing tables hold contacts on other hosts;
#   2. put on host 1 / get on host 4, and a few random host pairs;
#   3. SIGKILL one host's container, cut another host off (its veth down on the switch), then:
#      lookups and put/get among the remaining hosts, and a NEW worker joining on a surviving
#      host (a .cfg file added to its config/);
#   4. heal the cut: the partitioned host's nodes find nodes of other hosts again (lookups) and
#      their routing tables hold contacts of other hosts, within a bounded time.
# Exit status: 0 all PASS (or SKIP: not root / no ip netns / no java / no zip: prints "SKIP: why"),
# 1 a FAIL, 2 usage. Bounded: every command has a timeout and a watchdog stops the whole run
# after CQKD_MH_MAX_SECONDS (default 420). The EXIT/INT/TERM trap kills every process it started
# and deletes every namespace it made (the bridge and the veths live in those namespaces, so
# nothing is added to the host's own network namespace).
#
# Environment (all optional):
#   CQKD_MH_HOSTS=5             hosts (>= 5)
#   CQKD_MH_WORKERS=60          workers per host
#   CQKD_MH_SUBNET=10.77.0      /24 prefix of the hosts' addresses (.1 ... .N)
#   CQKD_MH_HEAP=256m           -Xmx of each container
#   CQKD_MH_FORM_SECONDS=240    bound on formation (all nodes READY)
#   CQKD_MH_HEAL_SECONDS=90     bound on the rejoin after the cut heals
#   CQKD_MH_PARTITION_SECONDS=20 how long the cut lasts before the checks on the mainland end
#   CQKD_MH_MAX_SECONDS=420     watchdog for the whole run
#   CQKD_MH_LOGS=DIR            copy the containers' logs there at the end (kept on failure anyway)
set -u
set -o pipefail

HOSTS=${CQKD_MH_HOSTS:-5}
WORKERS=${CQKD_MH_WORKERS:-60}
SUBNET=${CQKD_MH_SUBNET:-10.77.0}
HEAP=${CQKD_MH_HEAP:-256m}
FORM_SECONDS=${CQKD_MH_FORM_SECONDS:-240}
HEAL_SECONDS=${CQKD_MH_HEAL_SECONDS:-90}
PARTITION_SECONDS=${CQKD_MH_PARTITION_SECONDS:-20}
MAX_SECONDS=${CQKD_MH_MAX_SECONDS:-420}
LOGS=${CQKD_MH_LOGS:-}
KILL_HOST=5    # its container gets SIGKILL
CUT_HOST=4     # cut off, then healed
JOIN_HOST=2    # a new worker joins here while KILL_HOST is dead and CUT_HOST is cut off

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
skip() { echo "SKIP: $*"; echo "MULTIHOST-RESULT: SKIP"; exit 0; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
T0=$(now_ms)
el() { echo $(( ($(now_ms) - T0) / 1000 ))s; }   # elapsed since the start, for the log lines
log() { echo "[$(el)] $*"; }

# ---------------------------------------------------------------- preconditions (else SKIP)
[ "$HOSTS" -ge 5 ] 2>/dev/null || { echo "usage: CQKD_MH_HOSTS must be >= 5"; exit 2; }
[ "$WORKERS" -ge 20 ] 2>/dev/null || { echo "usage: CQKD_MH_WORKERS must be >= 20 (the checks name workers up to 20)"; exit 2; }
[ "$(id -u)" = 0 ] || skip "not root (network namespaces need CAP_NET_ADMIN/CAP_SYS_ADMIN)"
command -v ip >/dev/null || skip "no 'ip' command (iproute2)"
ip netns list >/dev/null 2>&1 || skip "'ip netns' not available"
for c in java unzip timeout; do command -v $c >/dev/null || skip "no '$c' command"; done
zip="${1:-$(ls "$here"/../../distribution/target/cqkd-*.zip 2>/dev/null | head -1)}"
[ -n "$zip" ] && [ -f "$zip" ] || skip "no distribution zip (build it: mvn -B -o -q -pl distribution package)"
zip="$(cd "$(dirname "$zip")" && pwd)/$(basename "$zip")"

TAG="cqmh$(( $$ % 100000 ))"   # names of everything this run makes: namespaces, veths
SW="$TAG-sw"                   # the switch namespace, holding the bridge
ns() { echo "$TAG-h$1"; }
addr() { echo "$SUBNET.$1"; }
work="$(mktemp -d /tmp/cqkd-multihost.XXXXXX)"
declare -A PID=()
made_ns=()
fails=0
passes=0
watchdog=

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$watchdog" ]; then pkill -KILL -P "$watchdog" 2>/dev/null; kill -KILL "$watchdog" 2>/dev/null; fi
  # every process in our namespaces, then the ones we started (by pid), then anything still
  # running from our temp dir (a java whose command line names $work)
  for n in "${made_ns[@]}"; do
    for p in $(ip netns pids "$n" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
  done
  for p in "${PID[@]}"; do kill -KILL "$p" 2>/dev/null; done
  for p in $(pgrep -f -- "-Dapp.home=$work/" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
  sleep 0.3
  for n in "${made_ns[@]}"; do ip netns delete "$n" 2>/dev/null; done
  local left
  left=$(ip netns list 2>/dev/null | grep -c "^$TAG-")
  [ "$left" = 0 ] || echo "cleanup: WARNING: $left namespaces of $TAG left"
  if [ -n "$LOGS" ]; then
    mkdir -p "$LOGS" && for h in "$work"/h*; do [ -f "$h/cqkd.log" ] && cp "$h/cqkd.log" "$LOGS/$(basename "$h").log"; done
  fi
  if [ "$rc" = 0 ]; then rm -rf "$work"; else
    # keep only the logs
    for h in "$work"/dist "$work"/h*; do [ -d "$h" ] && find "$h" -mindepth 1 -maxdepth 1 ! -name cqkd.log -exec rm -rf {} +; done
    echo "logs kept in $work/h*/cqkd.log"
  fi
  echo "cleanup: done ($(el))"
  exit "$rc"
}
trap cleanup EXIT
trap 'echo "interrupted"; exit 1' INT TERM
# watchdog: the whole run is bounded
# (only a sleep that ran to its end fires it: cleanup kills the sleep, which must not count as time up)
( sleep "$MAX_SECONDS" && { echo "WATCHDOG: run exceeded ${MAX_SECONDS}s, stopping"; kill -TERM $$; } ) &
watchdog=$!
disown "$watchdog" 2>/dev/null

pass() { passes=$((passes + 1)); echo "PASS: $*"; }
fail() { fails=$((fails + 1)); echo "FAIL: $*"; }
# cli <host> <command...>: one Gogo command in host's container, bounded
cli() { local h=$1; shift; timeout 25 ip netns exec "$(ns "$h")" "$work/h$h/bin/cqkd-client" "$*"; }

# ---------------------------------------------------------------- network: namespaces + bridge
if ip route show 2>/dev/null | grep -q "^$SUBNET\."; then
  log "note: the host has a route into $SUBNET.0/24; no conflict, since the bridge lives in its own namespace"
fi
ip netns add "$SW" 2>/dev/null || skip "cannot create a network namespace (ip netns add failed: no privilege?)"
made_ns+=("$SW")
ip -n "$SW" link set lo up
ip -n "$SW" link add br0 type bridge || { fail "bridge"; exit 1; }
ip -n "$SW" link set br0 up
for h in $(seq 1 "$HOSTS"); do
  n=$(ns "$h")
  ip netns add "$n" || { fail "netns $n"; exit 1; }
  made_ns+=("$n")
  ip -n "$n" link set lo up
  # veth pair made inside the host namespace: eth0 there, p$h moved to the switch
  ip -n "$n" link add eth0 type veth peer name "p$h" netns "$SW" || { fail "veth for $n"; exit 1; }
  ip -n "$n" addr add "$(addr "$h")/24" dev eth0
  ip -n "$n" link set eth0 up
  ip -n "$SW" link set "p$h" master br0
  ip -n "$SW" link set "p$h" up
done
# reach <from> <to>: a TCP connect to a closed port answers "refused" when the host is reachable
# (no ping needed); a cut host makes it time out
reach() {
  local out
  out=$(timeout 3 ip netns exec "$(ns "$1")" bash -c "exec 3<>/dev/tcp/$(addr "$2")/9" 2>&1)
  grep -q refused <<<"$out"
}
ok=1
for h in $(seq 2 "$HOSTS"); do
  r=0; for _ in 1 2 3; do reach 1 "$h" && { r=1; break; }; sleep 1; done
  [ $r = 1 ] || ok=0
done
[ $ok = 1 ] && pass "network: $HOSTS namespaces $(ns 1)..$(ns "$HOSTS") on bridge br0 in $SW, $SUBNET.1-$HOSTS/24, host 1 reaches every other host" \
  || { fail "network: host 1 cannot reach every other host"; exit 1; }

# ---------------------------------------------------------------- distribution, one copy per host
unzip -q "$zip" -d "$work/dist" || { fail "unzip $zip"; exit 1; }
dist="$(echo "$work"/dist/cqkd-*)"
[ -x "$dist/bin/cqkd" ] || { fail "no bin/cqkd in $zip"; exit 1; }

# The tier, spread over the hosts. Every host uses the same ranges and the same numbers:
# super 5678, regional 5682, local 5698, workers 7000.. (sequential strategy, workerId).
SUPER_PORT=5678; REGIONAL_PORT=5682; LOCAL_PORT=5698
declare -A REGION=([1]=east [2]=west [3]=east [4]=west)
region_of() { echo "${REGION[$1]:-east}"; }
cfg() { # cfg <host> <name> <key=value>...
  local h=$1 name=$2; shift 2
  { echo "# written by itests/multihost/multihost.sh"; echo "name=$name"
    echo "bindHost=$(addr "$h")"; echo "advertisedHost=$(addr "$h")"; printf '%s\n' "$@"; } \
    > "$work/h$h/config/io.cqkd.dht.node-$name.cfg"
}
worker_cfg() { # worker_cfg <host> <i> : worker i of host h, its local first, then the next host's local
  local h=$1 i=$2 other=$(( $1 % HOSTS + 1 ))
  # port=-1: the sequential strategy gives 7000 + workerId - 1, the same range on every host
  cfg "$h" "w$h-$i" role=worker "region=$(region_of "$h")" "port=-1" "workerId=$i" \
    "bootstrap=$(addr "$h"):$LOCAL_PORT,$(addr "$other"):$LOCAL_PORT"
}
S1="$(addr 1):$SUPER_PORT"; S2="$(addr 2):$SUPER_PORT"
R_EAST="$(addr 3):$REGIONAL_PORT"; R_WEST="$(addr 4):$REGIONAL_PORT"
expected=()
for h in $(seq 1 "$HOSTS"); do
  cp -r "$dist" "$work/h$h"
  # no shipped demo network: neither node files nor the embedded network (its nodes would
  # clash with these names and ports)
  rm -f "$work/h$h"/config/io.cqkd.dht.node-*.cfg
  printf '# disabled by itests/multihost/multihost.sh\nenabled=false\n' > "$work/h$h/config/io.cqkd.dht.embedded.cfg"
  count=0
  case $h in
    1) cfg 1 sb-primary role=super port=$SUPER_PORT maxConnections=500; count=$((count + 1)) ;;
    2) cfg 2 sb-secondary role=super port=$SUPER_PORT maxConnections=500 "bootstrap=$S1"; count=$((count + 1)) ;;
    3) cfg 3 rb-east-1 role=regional region=east port=$REGIONAL_PORT maxConnections=250 "bootstrap=$S1,$S2"; count=$((count + 1)) ;;
    4) cfg 4 rb-west-1 role=regional region=west port=$REGIONAL_PORT maxConnections=250 "bootstrap=$S2,$S1"; count=$((count + 1)) ;;
  esac
  reg=$(region_of "$h")
  if [ "$reg" = east ]; then parents="$R_EAST,$R_WEST,$S1,$S2"; else parents="$R_WEST,$R_EAST,$S2,$S1"; fi
  cfg "$h" "lb-00$h" role=local "region=$reg" port=$LOCAL_PORT maxConnections=100 "bootstrap=$parents"
  count=$((count + 1))
  for i in $(seq 1 "$WORKERS"); do worker_cfg "$h" "$i"; done
  count=$((count + WORKERS))
  expected[$h]=$count
done
total=0; for h in $(seq 1 "$HOSTS"); do total=$((total + expected[h])); done
log "topology: $HOSTS hosts, $total nodes: 2 supers (h1, h2 :$SUPER_PORT), 2 regionals (h3 east, h4 west :$REGIONAL_PORT)," \
    "1 local per host (:$LOCAL_PORT), $WORKERS workers per host (:7000-$((7000 + WORKERS - 1))), $((HOSTS * WORKERS)) workers in all"

# ---------------------------------------------------------------- start the containers
JOPTS="-Xms32m -Xmx$HEAP -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Dio.netty.allocator.numDirectArenas=2 -Dio.netty.allocator.numHeapArenas=2"
start_host() {
  local h=$1
  ( cd / && JAVA_OPTS="$JOPTS" exec ip netns exec "$(ns "$h")" "$work/h$h/bin/cqkd" --headless \
      </dev/null >>"$work/h$h/cqkd.log" 2>&1 ) &
  PID[$h]=$!
  disown "${PID[$h]}" 2>/dev/null
}
t_start=$(now_ms)
for h in $(seq 1 "$HOSTS"); do start_host "$h"; done
log "started $HOSTS containers (JAVA_OPTS=$JOPTS)"

ready_of() { cli "$1" 'dht:nodes --json' 2>/dev/null | grep -c '"state" : "READY"'; }
declare -A READY=()
deadline=$(( $(now_ms) + FORM_SECONDS * 1000 ))
all=0
while [ "$(now_ms)" -lt "$deadline" ]; do
  sum=0; all=1
  for h in $(seq 1 "$HOSTS"); do
    if [ "${READY[$h]:-0}" -lt "${expected[$h]}" ]; then READY[$h]=$(ready_of "$h"); fi
    sum=$((sum + READY[$h]))
    [ "${READY[$h]}" -ge "${expected[$h]}" ] || all=0
    kill -0 "${PID[$h]}" 2>/dev/null || { fail "container of host $h exited"; all=0; deadline=0; }
  done
  [ $all = 1 ] && break
  if [ "$sum" -gt "${last_sum:--1}" ]; then last_sum=$sum; last_progress=$(now_ms)
  elif [ $(( $(now_ms) - last_progress )) -gt 60000 ]; then
    log "no progress for 60 s ($sum READY); nodes not READY:"
    for h in $(seq 1 "$HOSTS"); do cli "$h" 'dht:nodes' 2>/dev/null | grep -v READY | head -5 | sed "s/^/  h$h: /"; done
    break
  fi
  sleep 2
done
t_form=$(( $(now_ms) - t_start ))
detail=""; for h in $(seq 1 "$HOSTS"); do detail+=" h$h=${READY[$h]}/${expected[$h]}"; done
if [ $all = 1 ]; then pass "formation: all $total nodes READY on $HOSTS hosts after $((t_form / 1000)).$(( t_form % 1000 / 100 )) s ($detail )"
else fail "formation: not all nodes READY after $((t_form / 1000)) s ($detail )"; fi
[ $all = 1 ] || exit 1

# foreign <host> <node>: contacts in node's routing table that are on other hosts / all contacts
foreign() {
  local h=$1 node=$2 out
  out=$(cli "$h" "dht:routes --json $node" 2>/dev/null) || { echo "0/0"; return; }
  local all_c own
  all_c=$(grep -c '"address" :' <<<"$out")
  own=$(grep -c "\"address\" : \"$(addr "$h"):" <<<"$out")
  echo "$((all_c - own))/$all_c"
}
# lookup_hosts <host> <node> <key>: which hosts the closest nodes of a lookup are on (e.g. "1 3 4"), "" on failure
lookup_hosts() {
  cli "$1" "dht:lookup --json --node $2 $3" 2>/dev/null | grep -o "\"address\" : \"$SUBNET\.[0-9]*" \
    | sed 's/.*\.//' | sort -un | tr '\n' ' '
}
# let the tables settle a little (the join lookups of the last workers)
sleep 3
for h in $(seq 1 "$HOSTS"); do
  f=$(foreign "$h" "w$h-$((WORKERS / 2))")
  if [ "${f%/*}" -gt 0 ]; then pass "routes: w$h-$((WORKERS / 2)) on host $h knows $f contacts on other hosts"
  else fail "routes: w$h-$((WORKERS / 2)) on host $h knows no contact on another host ($f)"; fi
done
hl=$(lookup_hosts 1 w1-1 probe-key)
[ "$(wc -w <<<"$hl")" -ge 2 ] && pass "lookup from host 1 finds closest nodes on hosts: $hl" \
  || fail "lookup from host 1 finds closest nodes on hosts: '$hl' only"

# ---------------------------------------------------------------- put / get between hosts
# putget <from host> <from node> <to host> <to node> <key>
putget() {
  local fh=$1 fn=$2 th=$3 tn=$4 key=$5 val out t
  val="{\"from\":\"$fn\",\"host\":$fh,\"t\":$(now_ms)}"
  t=$(now_ms)
  out=$(cli "$fh" "dht:put --node $fn $key '$val'" 2>&1) || { fail "put $key on host $fh ($fn): $(tail -1 <<<"$out")"; return 1; }
  local tp=$(( $(now_ms) - t )); t=$(now_ms)
  out=$(cli "$th" "dht:get --json --node $tn $key" 2>&1)
  local rc=$? tg=$(( $(now_ms) - t ))
  if [ $rc = 0 ] && grep -q "\"t\" : $(grep -o '"t":[0-9]*' <<<"$val" | cut -d: -f2)" <<<"$out"; then
    pass "put $key on host $fh ($fn, ${tp} ms) -> get on host $th ($tn, ${tg} ms): same value"
  else
    fail "put $key on host $fh ($fn) -> get on host $th ($tn): $(tr '\n' ' ' <<<"$out" | cut -c1-200)"
    # what each side sees now, so a failure in CI can be told apart (no peers known, lookups that
    # do not converge, timeouts)
    log "  $fn routes: $(cli "$fh" "dht:routes $fn" 2>&1 | head -1)"
    log "  $tn routes: $(cli "$th" "dht:routes $tn" 2>&1 | head -1)"
    log "  lookup via $fn: $(cli "$fh" "dht:lookup --node $fn $key" 2>&1 | head -1)"
    log "  lookup via $tn: $(cli "$th" "dht:lookup --node $tn $key" 2>&1 | head -1)"
    return 1
  fi
}
putget 1 w1-1 4 w4-7 mh-key-1-4
RANDOM=4242   # the same "random" pairs every run
for k in 1 2 3 4; do
  a=$((RANDOM % HOSTS + 1)); b=$((RANDOM % HOSTS + 1)); [ $a = $b ] && b=$((a % HOSTS + 1))
  putget $a "w$a-$((RANDOM % WORKERS + 1))" $b "w$b-$((RANDOM % WORKERS + 1))" "mh-pair-$k"
done
putget 3 rb-east-1 2 sb-secondary mh-key-tier

# ---------------------------------------------------------------- kill one host, cut another off
# on_host <host> <node> <target host>: contacts of node (on host) that are on the target host
on_host() { cli "$1" "dht:routes --json $2" 2>/dev/null | grep -c "\"address\" : \"$(addr "$3"):"; }
before_cut=$(foreign $CUT_HOST "w$CUT_HOST-3")
ml_before=$(on_host 1 w1-30 $CUT_HOST)
log "SIGKILL: container of host $KILL_HOST (pid ${PID[$KILL_HOST]}); cut: host $CUT_HOST (its veth p$CUT_HOST down on the switch); w$CUT_HOST-3 knew $before_cut foreign contacts"
kill -KILL "${PID[$KILL_HOST]}"
t_cut=$(now_ms)
ip -n "$SW" link set "p$CUT_HOST" down
reach 1 $CUT_HOST && fail "cut: host 1 still reaches host $CUT_HOST" || pass "cut: host $CUT_HOST unreachable from host 1"
sleep 1
kill -0 "${PID[$KILL_HOST]}" 2>/dev/null && fail "kill: host $KILL_HOST container still alive" || pass "kill: host $KILL_HOST container gone"

mainland=()
for h in $(seq 1 "$HOSTS"); do [ $h != $KILL_HOST ] && [ $h != $CUT_HOST ] && mainland+=("$h"); done
# lookups among the remaining hosts: they answer and their closest nodes are on live hosts
for h in "${mainland[@]}"; do
  t=$(now_ms); hl=$(lookup_hosts "$h" "w$h-2" "after-cut-$h"); t=$(( $(now_ms) - t ))
  if [ -n "$hl" ]; then pass "lookup from host $h after kill+cut: ${t} ms, closest nodes on hosts: $hl"
  else fail "lookup from host $h after kill+cut failed (${t} ms)"; fi
done
i=0
for a in "${mainland[@]}"; do
  b=${mainland[$(( (i + 1) % ${#mainland[@]} ))]}; i=$((i + 1))
  putget "$a" "w$a-4" "$b" "w$b-9" "mh-after-cut-$a-$b"
done
# an old key, stored before the kill, still readable on the mainland
out=$(cli 2 "dht:get --node w2-11 mh-key-1-4" 2>&1) && pass "get of a key stored before the kill, on host 2: ok" \
  || fail "get of a key stored before the kill, on host 2: $(tail -1 <<<"$out")"

# a new worker joins on a surviving host
NEW=$((WORKERS + 1))
worker_cfg $JOIN_HOST $NEW
t=$(now_ms); joined=0
while [ $(( $(now_ms) - t )) -lt 60000 ]; do
  if cli $JOIN_HOST "dht:nodes --json" 2>/dev/null | tr -d '\n ' | grep -q "\"name\":\"w$JOIN_HOST-$NEW\"[^}]*\"state\":\"READY\""; then joined=1; break; fi
  sleep 1
done
tj=$(( $(now_ms) - t ))
if [ $joined = 1 ]; then
  pass "join: new worker w$JOIN_HOST-$NEW (config file added on host $JOIN_HOST) READY after $tj ms, knows $(foreign $JOIN_HOST "w$JOIN_HOST-$NEW") contacts on other hosts"
  putget $JOIN_HOST "w$JOIN_HOST-$NEW" 1 w1-5 mh-new-worker
else fail "join: new worker w$JOIN_HOST-$NEW not READY after $tj ms"; fi

# the cut host, meanwhile: an island (its lookups reach only itself); drives its contacts' failures
rest=$(( PARTITION_SECONDS * 1000 - ($(now_ms) - t_cut) ))
[ $rest -gt 0 ] && sleep $((rest / 1000))
hl=$(lookup_hosts $CUT_HOST "w$CUT_HOST-3" during-cut)
during_cut=$(foreign $CUT_HOST "w$CUT_HOST-3")
ml_during=$(on_host 1 w1-30 $CUT_HOST)
log "during the cut ($(( ($(now_ms) - t_cut) / 1000 )) s): lookup from host $CUT_HOST sees hosts '$hl'; w$CUT_HOST-3 knows $during_cut foreign contacts (before: $before_cut); w1-30 on host 1 knows $ml_during contacts on host $CUT_HOST (before: $ml_before)"
if [ "$(tr -d ' ' <<<"$hl")" = "$CUT_HOST" ] || [ -z "$hl" ]; then pass "cut: lookups from host $CUT_HOST reach only its own nodes ('$hl')"
else fail "cut: a lookup from host $CUT_HOST reached other hosts during the cut ('$hl')"; fi
cli $CUT_HOST "dht:ping --node w$CUT_HOST-3 $S1" >/dev/null 2>&1 && fail "cut: w$CUT_HOST-3 still pings $S1" \
  || pass "cut: w$CUT_HOST-3 cannot ping $S1"

# ---------------------------------------------------------------- heal
ip -n "$SW" link set "p$CUT_HOST" up
t_heal=$(now_ms)
log "healed: p$CUT_HOST up after $(( (t_heal - t_cut) / 1000 )) s of cut"
deadline=$(( t_heal + HEAL_SECONDS * 1000 ))
rejoined=0; n=0
while [ "$(now_ms)" -lt "$deadline" ]; do
  n=$((n + 1))
  hl=$(lookup_hosts $CUT_HOST "w$CUT_HOST-3" "heal-probe-$n")
  others=$(tr ' ' '\n' <<<"$hl" | grep -v "^$CUT_HOST\$" | grep -v "^$KILL_HOST\$" | grep -c .)
  if [ "$others" -ge 1 ]; then rejoined=1; break; fi
  sleep 2
done
th=$(( $(now_ms) - t_heal ))
if [ $rejoined = 1 ]; then pass "heal: a lookup from host $CUT_HOST finds nodes on other live hosts ($hl) $th ms after the heal"
else fail "heal: lookups from host $CUT_HOST still find no node on another live host after $th ms (last: '$hl')"; fi
# routing tables of several nodes of the cut host regain contacts of live hosts
ok=0; checked=0; figs=""
for node in "w$CUT_HOST-3" "w$CUT_HOST-20" "w$CUT_HOST-$WORKERS" "lb-00$CUT_HOST"; do
  checked=$((checked + 1))
  out=$(cli $CUT_HOST "dht:routes --json $node" 2>/dev/null)
  live=$(grep -o "\"address\" : \"$SUBNET\.[0-9]*" <<<"$out" | sed 's/.*\.//' | grep -v "^$CUT_HOST\$" | grep -v "^$KILL_HOST\$" | grep -c .)
  figs+=" $node=$live"
  [ "$live" -gt 0 ] && ok=$((ok + 1))
done
[ $ok = $checked ] && pass "heal: routing tables on host $CUT_HOST hold contacts of live hosts ($figs )" \
  || fail "heal: routing tables on host $CUT_HOST without contacts of live hosts ($figs )"
out=$(cli $CUT_HOST "dht:ping --json --node w$CUT_HOST-3 $S1" 2>&1) \
  && pass "heal: w$CUT_HOST-3 pings $S1 again ($(grep -o '"rttMillis" : [0-9.]*' <<<"$out" | cut -d: -f2 | cut -c1-6) ms)" \
  || fail "heal: w$CUT_HOST-3 cannot ping $S1: $(tail -1 <<<"$out")"
# the other way round: lookups from the mainland find the cut host's nodes again
t=$(now_ms); back=0; n=0
while [ $(( $(now_ms) - t_heal )) -lt $(( HEAL_SECONDS * 1000 )) ]; do
  n=$((n + 1))
  hl=$(lookup_hosts 1 "w1-$(( (n * 7) % WORKERS + 1 ))" "heal-back-$n")
  grep -qw "$CUT_HOST" <<<"$hl" && { back=1; break; }
  sleep 1
done
if [ $back = 1 ]; then pass "heal: lookups from host 1 find nodes on host $CUT_HOST again ($hl; $n lookups, $(( $(now_ms) - t_heal )) ms after the heal)"
else fail "heal: no lookup from host 1 found a node on host $CUT_HOST within ${HEAL_SECONDS} s ($n lookups)"; fi
log "after the heal: w1-30 on host 1 knows $(on_host 1 w1-30 $CUT_HOST) contacts on host $CUT_HOST"
putget $CUT_HOST "w$CUT_HOST-12" 1 w1-13 mh-after-heal-4-1
putget 2 w2-14 $CUT_HOST "w$CUT_HOST-15" mh-after-heal-2-4
# every node of the cut host still READY
r=$(ready_of $CUT_HOST)
[ "$r" -ge "${expected[$CUT_HOST]}" ] && pass "heal: all $r nodes of host $CUT_HOST READY" \
  || fail "heal: $r of ${expected[$CUT_HOST]} nodes of host $CUT_HOST READY"

# ---------------------------------------------------------------- stop
for h in $(seq 1 "$HOSTS"); do [ $h != $KILL_HOST ] && kill -TERM "${PID[$h]}" 2>/dev/null; done
for h in $(seq 1 "$HOSTS"); do
  [ $h = $KILL_HOST ] && continue
  for _ in $(seq 1 100); do kill -0 "${PID[$h]}" 2>/dev/null || break; sleep 0.1; done
done
echo "figures: hosts=$HOSTS nodes=$total workers=$((HOSTS * WORKERS + 1)) formation_ms=$t_form heal_ms=$th total_s=$(( ($(now_ms) - T0) / 1000 ))"
echo "summary: $passes PASS, $fails FAIL"
if [ $fails = 0 ]; then echo "MULTIHOST-RESULT: PASS"; exit 0; else echo "MULTIHOST-RESULT: FAIL"; exit 1; fi
