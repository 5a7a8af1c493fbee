#!/usr/bin/env bash
# Sends a signal to the local node this project started (by its pid file), for the reliability tests:
#   signal.sh STOP   freeze the JVM (connections stay open, nothing answers: client timeouts)
#   signal.sh CONT   thaw it
#   signal.sh KILL   kill -9 (no shutdown hook, no flush; the commitlog is all that survives), waits
#                    for the process to be gone and removes the pid file so start.sh starts it again
# Refuses the default node unless LOCAL_CASSANDRA_NAME is set explicitly: the shared node is not a toy.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

signal="${1:-}"
case "$signal" in
  STOP | CONT | KILL) ;;
  *) log "usage: signal.sh STOP|CONT|KILL"; exit 2 ;;
esac
if [ "$LOCAL_CASSANDRA_NAME" = node1 ] && [ "${LOCAL_CASSANDRA_ALLOW_SIGNAL_DEFAULT:-0}" != 1 ]; then
  log "refusing to signal the default node (set LOCAL_CASSANDRA_NAME to one of your own nodes)"
  exit 2
fi
if ! pid="$(node_pid)"; then
  log "no node of ours is running"
  exit 1
fi
kill "-$signal" "$pid"
log "sent SIG$signal to pid $pid"
if [ "$signal" = KILL ]; then
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$NODE_PID"
fi
