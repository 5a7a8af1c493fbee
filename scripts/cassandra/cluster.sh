#!/usr/bin/env bash
# A local 3-node Cassandra cluster built from the same jars and scripts as the single node, laid out
# as ccm does it: nodes cluster1..cluster3 on 127.0.1.1..3 (ports 9042/7000 each on its own
# address), one data center (datacenter1, SimpleSnitch), all seeds, auto_bootstrap false, one token
# each, evenly spaced. Every node runs through start.sh / stop.sh / signal.sh with env knobs, so
# the single node's behaviour is untouched.
#
#   cluster.sh start            start the nodes that are not running, wait until every node sees
#                               all of them UP/NORMAL; prints "started" or "reused" (idempotent)
#   cluster.sh stop             stop every node cleanly
#   cluster.sh status           per node: process, RSS, CQL, and the ring as that node sees it
#   cluster.sh wait-up          wait until every node sees all nodes UP/NORMAL
#   cluster.sh kill9 N          kill -9 of node N (returns once the process is gone)
#   cluster.sh stop-node N      clean stop of node N (drain on SIGTERM)
#   cluster.sh start-node N     start node N and wait until every node sees all nodes UP/NORMAL
#   cluster.sh restart N        stop-node N, then start-node N
#   cluster.sh nodetool N ARGS  nodetool against node N's JMX port (e.g. `nodetool 1 repair ks`)
#   cluster.sh env N            the LOCAL_CASSANDRA_* settings of node N (for debugging)
set -euo pipefail
CLUSTER_SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

LOCAL_CLUSTER_SIZE=3
LOCAL_CLUSTER_NAME="${LOCAL_CLUSTER_NAME:-cassandra-chat-history-cluster}"
LOCAL_CLUSTER_ADDRESS_PREFIX="${LOCAL_CLUSTER_ADDRESS_PREFIX:-127.0.1.}"
# 2 cores and 24 GiB shared with other test nodes: small heaps, enough for the test workloads.
LOCAL_CLUSTER_HEAP="${LOCAL_CLUSTER_HEAP:-640M}"
# JMX (only for nodetool: ring view, repair) binds the loopback address, so each node needs its own port.
LOCAL_CLUSTER_JMX_BASE="${LOCAL_CLUSTER_JMX_BASE:-7300}"
LOCAL_CLUSTER_WAIT_TIMEOUT="${LOCAL_CLUSTER_WAIT_TIMEOUT:-180}"
# Murmur3 ring split in three equal ranges (what ccm computes for three nodes).
TOKENS=(-9223372036854775808 -3074457345618258603 3074457345618258602)

clog() { printf '[cassandra:cluster] %s\n' "$*" >&2; }

node_address() { echo "${LOCAL_CLUSTER_ADDRESS_PREFIX}$1"; }

seeds() {
  local i list=()
  for i in $(seq 1 "$LOCAL_CLUSTER_SIZE"); do list+=("$(node_address "$i"):7000"); done
  (IFS=,; echo "${list[*]}")
}

check_index() {
  [[ "${1:-}" =~ ^[1-3]$ ]] || { clog "node number must be 1..$LOCAL_CLUSTER_SIZE, got '${1:-}'"; exit 2; }
}

# Runs a script of this folder as node N: its name, address, token, seeds, heap and JMX port.
as_node() {
  local n="$1"
  shift
  env -u CASSANDRA_CONTACT_POINTS -u CASSANDRA_PORT -u CASSANDRA_USERNAME -u CASSANDRA_PASSWORD \
    LOCAL_CASSANDRA_NAME="cluster$n" \
    LOCAL_CASSANDRA_ADDRESS="$(node_address "$n")" \
    LOCAL_CASSANDRA_PORT=9042 \
    LOCAL_CASSANDRA_STORAGE_PORT=7000 \
    LOCAL_CASSANDRA_CLUSTER_NAME="$LOCAL_CLUSTER_NAME" \
    LOCAL_CASSANDRA_SEEDS="$(seeds)" \
    LOCAL_CASSANDRA_INITIAL_TOKEN="${TOKENS[$((n - 1))]}" \
    LOCAL_CASSANDRA_HEAP="$LOCAL_CLUSTER_HEAP" \
    LOCAL_CASSANDRA_JMX_PORT="$((LOCAL_CLUSTER_JMX_BASE + n))" \
    LOCAL_CASSANDRA_AUTH=0 \
    "$@"
}

nodetool() {
  local n="$1"
  shift
  as_node "$n" bash -c '
    source "$0/common.sh"
    java17="$(find_java17)"
    # A quiet logback config: without one the tool logs DEBUG lines into its own output.
    quiet="$LOCAL_CASSANDRA_HOME/nodetool-logback.xml"
    [ -f "$quiet" ] || printf "%s\n" "<configuration><root level=\"ERROR\"/></configuration>" >"$quiet"
    exec "$java17" "${JVM17_MODULE_FLAGS[@]}" -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
      "-Dlogback.configurationFile=file://$quiet" -cp "$LOCAL_CASSANDRA_LIB/*" \
      org.apache.cassandra.tools.NodeTool -h 127.0.0.1 -p "$LOCAL_CASSANDRA_JMX_PORT" "${@}"
  ' "$CLUSTER_SCRIPTS" "$@"
}

# How many nodes node N sees as UN (up, normal); 0 when it cannot be asked.
up_normal_seen_by() {
  nodetool "$1" status 2>/dev/null | grep -cE '^UN +[0-9]' || true
}

wait_up() {
  local deadline=$(( $(date +%s) + LOCAL_CLUSTER_WAIT_TIMEOUT )) n seen pending
  for (( ; ; )); do
    pending=""
    for n in $(seq 1 "$LOCAL_CLUSTER_SIZE"); do
      seen="$(up_normal_seen_by "$n")"
      [ "$seen" = "$LOCAL_CLUSTER_SIZE" ] || pending+=" cluster$n:$seen/$LOCAL_CLUSTER_SIZE"
    done
    [ -z "$pending" ] && return 0
    if [ "$(date +%s)" -ge "$deadline" ]; then
      clog "not every node sees all nodes UP/NORMAL after ${LOCAL_CLUSTER_WAIT_TIMEOUT}s (UN seen by:$pending)"
      return 1
    fi
    sleep 1
  done
}

start_nodes() {
  local n tmp started=0 failed=0 t0
  t0=$(date +%s)
  tmp="$(mktemp -d)"
  # In parallel: none of them bootstraps (auto_bootstrap false, fixed tokens, all seeds), so there
  # is no range movement to serialise, and the JVMs' start-up overlaps on the two cores.
  for n in "$@"; do
    as_node "$n" bash "$CLUSTER_SCRIPTS/start.sh" >"$tmp/$n.out" 2>"$tmp/$n.err" &
    echo $! >"$tmp/$n.pid"
  done
  for n in "$@"; do
    if wait "$(cat "$tmp/$n.pid")"; then
      grep -q started "$tmp/$n.out" && started=1
    else
      failed=1
      clog "cluster$n did not start:"
      cat "$tmp/$n.err" >&2
    fi
  done
  rm -rf "$tmp"
  [ "$failed" = 0 ] || return 1
  wait_up || return 1
  clog "all $LOCAL_CLUSTER_SIZE nodes UP/NORMAL in every node's view after $(( $(date +%s) - t0 ))s"
  if [ "$started" = 1 ]; then echo started; else echo reused; fi
}

status() {
  local n rc=0 address
  for n in $(seq 1 "$LOCAL_CLUSTER_SIZE"); do
    address="$(node_address "$n")"
    as_node "$n" bash "$CLUSTER_SCRIPTS/status.sh" || rc=1
    if [ "$(as_node "$n" bash -c 'source "$0/common.sh"; node_pid >/dev/null && echo yes || echo no' "$CLUSTER_SCRIPTS")" = yes ]; then
      echo "ring as cluster$n ($address) sees it:"
      nodetool "$n" status 2>/dev/null | grep -E '^[UD][NLJM] ' | awk '{
        s = substr($1,1,1) == "U" ? "UP" : "DOWN"
        t = substr($1,2,1); st = t == "N" ? "NORMAL" : t == "J" ? "JOINING" : t == "L" ? "LEAVING" : "MOVING"
        printf "  %-12s %-5s %s\n", $2, s, st }' || echo "  (no answer over JMX)"
    fi
  done
  return "$rc"
}

command="${1:-}"
shift || true
case "$command" in
  start) start_nodes $(seq 1 "$LOCAL_CLUSTER_SIZE") ;;
  stop)
    pids=()
    for n in $(seq 1 "$LOCAL_CLUSTER_SIZE"); do as_node "$n" bash "$CLUSTER_SCRIPTS/stop.sh" & pids+=($!); done
    for pid in "${pids[@]}"; do wait "$pid"; done
    ;;
  status) status ;;
  wait-up) wait_up ;;
  kill9) check_index "${1:-}"; as_node "$1" bash "$CLUSTER_SCRIPTS/signal.sh" KILL ;;
  stop-node) check_index "${1:-}"; as_node "$1" bash "$CLUSTER_SCRIPTS/stop.sh" ;;
  start-node) check_index "${1:-}"; start_nodes "$1" ;;
  restart) check_index "${1:-}"; as_node "$1" bash "$CLUSTER_SCRIPTS/stop.sh"; start_nodes "$1" ;;
  nodetool) check_index "${1:-}"; n="$1"; shift; nodetool "$n" "$@" ;;
  env) check_index "${1:-}"; as_node "$1" env | grep '^LOCAL_CASSANDRA_' | sort ;;
  *)
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
