#!/usr/bin/env bash
# Stops the local node this project started (by its pid file), cleanly, and waits for it to exit.
# A node we did not start (another process, CASSANDRA_CONTACT_POINTS) is never touched.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if ! pid="$(node_pid)"; then
  log "no node of ours is running"
  rm -f "$NODE_PID"
  exit 0
fi
log "stopping pid $pid"
kill -TERM "$pid" 2>/dev/null || true
# SIGTERM runs Cassandra's shutdown hook (drains and flushes); give it time before forcing.
for _ in $(seq 1 60); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 1
done
if kill -0 "$pid" 2>/dev/null; then
  log "pid $pid still alive after 60s: killing"
  kill -KILL "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
fi
rm -f "$NODE_PID"
log "stopped"
