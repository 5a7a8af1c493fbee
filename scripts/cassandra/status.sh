#!/usr/bin/env bash
# Tells whether a node answers CQL, and whether it is the one this project started.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

contact="${CASSANDRA_CONTACT_POINTS:-$LOCAL_CASSANDRA_ADDRESS}"
port="${CASSANDRA_PORT:-$LOCAL_CASSANDRA_PORT}"
if pid="$(node_pid)"; then
  rss_kb="$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)"
  echo "local node $LOCAL_CASSANDRA_NAME: running, pid $pid, RSS $(( rss_kb / 1024 )) MiB, folder $NODE_DIR"
else
  echo "local node $LOCAL_CASSANDRA_NAME: not running"
fi
if version="$(cql_probe "$contact" "$port" 0 2>/dev/null)"; then
  echo "CQL at $contact:$port: answering, Cassandra $version"
else
  echo "CQL at $contact:$port: not answering"
  exit 1
fi
