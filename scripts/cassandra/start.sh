#!/usr/bin/env bash
# Makes sure a Cassandra node answers CQL, starting the project's local node only when needed.
#  - CASSANDRA_CONTACT_POINTS set: that cluster is used; nothing is started, we only wait for it.
#  - a node already answers on LOCAL_CASSANDRA_ADDRESS:PORT: it is reused (idempotent).
#  - otherwise: provision the jars, write the config, start CassandraDaemon on Java 17, wait for CQL.
# Exit 0 when CQL answers; non-zero (with the log tail) when it does not within the timeout.
# Prints "started" on stdout when this call started the node, "reused" otherwise.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [ -n "${CASSANDRA_CONTACT_POINTS:-}" ]; then
  log "using the cluster at $CASSANDRA_CONTACT_POINTS (CASSANDRA_CONTACT_POINTS is set; nothing is started)"
  if cql_probe "$CASSANDRA_CONTACT_POINTS" "${CASSANDRA_PORT:-9042}" "$LOCAL_CASSANDRA_START_TIMEOUT" >/dev/null; then
    echo reused
    exit 0
  fi
  log "no CQL answer from $CASSANDRA_CONTACT_POINTS:${CASSANDRA_PORT:-9042}"
  exit 1
fi

if cql_probe "$LOCAL_CASSANDRA_ADDRESS" "$LOCAL_CASSANDRA_PORT" 0 >/dev/null 2>&1; then
  log "a node already answers on $LOCAL_CASSANDRA_ADDRESS:$LOCAL_CASSANDRA_PORT: reusing it"
  echo reused
  exit 0
fi

if pid="$(node_pid)"; then
  log "our node (pid $pid) is running but not answering yet: waiting for it"
else
  bash "$CCH_SCRIPTS/provision.sh"
  java17="$(find_java17)" || { log "no Java 17 runtime found (set CASSANDRA_JAVA to its java binary)"; exit 1; }
  mkdir -p "$NODE_CONF" "$NODE_LOGS" "$NODE_DATA"
  bash "$CCH_SCRIPTS/write-config.sh"

  jvm_tuning=("-Xms$LOCAL_CASSANDRA_HEAP" "-Xmx$LOCAL_CASSANDRA_HEAP" -XX:+UseG1GC
    -XX:+ParallelRefProcEnabled -XX:MaxGCPauseMillis=300 -Xss256k -XX:+ExitOnOutOfMemoryError "-XX:HeapDumpPath=$NODE_DIR")
  jamm=( "$LOCAL_CASSANDRA_LIB"/jamm-*.jar )
  [ -f "${jamm[0]}" ] && jvm_tuning+=("-javaagent:${jamm[0]}")

  cassandra_props=(
    "-Dcassandra.config=file://$NODE_CONF/cassandra.yaml"
    "-Dlogback.configurationFile=file://$NODE_CONF/logback.xml"
    "-Dcassandra.logdir=$NODE_LOGS"
    "-Dcassandra.storagedir=$NODE_DATA"
    -Dcassandra-foreground=yes
    # As ccm starts test clusters: a dev node (or a fresh cluster of non-bootstrapping seeds with
    # fixed tokens) has no gossip worth settling; these cut start-up from minutes to seconds.
    -Dcassandra.skip_wait_for_gossip_to_settle=0
    -Dcassandra.ring_delay_ms=1000
    -Dcassandra.superuser_setup_delay_ms=0
    -Djava.net.preferIPv4Stack=true
  )
  # No JMX unless asked for: nothing here needs nodetool, and it saves a port per node.
  [ -n "${LOCAL_CASSANDRA_JMX_PORT:-}" ] && cassandra_props+=("-Dcassandra.jmx.local.port=$LOCAL_CASSANDRA_JMX_PORT")

  log "starting Cassandra $CASSANDRA_VERSION on $LOCAL_CASSANDRA_ADDRESS:$LOCAL_CASSANDRA_PORT (heap $LOCAL_CASSANDRA_HEAP, log $NODE_LOGS/system.log)"
  started_at=$(date +%s)
  # setsid: the node outlives this script and the npm/jest process that called it.
  setsid "$java17" "${JVM17_MODULE_FLAGS[@]}" "${jvm_tuning[@]}" "${cassandra_props[@]}" \
    -cp "$NODE_CONF:$LOCAL_CASSANDRA_LIB/*" org.apache.cassandra.service.CassandraDaemon \
    >"$NODE_OUT" 2>&1 < /dev/null &
  echo $! >"$NODE_PID"
  started_by_us=1
fi

if cql_probe "$LOCAL_CASSANDRA_ADDRESS" "$LOCAL_CASSANDRA_PORT" "$LOCAL_CASSANDRA_START_TIMEOUT" >/dev/null 2>&1; then
  [ -n "${started_at:-}" ] && log "CQL ready after $(( $(date +%s) - started_at ))s (pid $(cat "$NODE_PID"))"
  if [ -n "${started_by_us:-}" ]; then echo started; else echo reused; fi
  exit 0
fi

log "Cassandra did not answer CQL within ${LOCAL_CASSANDRA_START_TIMEOUT}s. Last 40 log lines:"
tail -n 40 "$NODE_LOGS/system.log" >&2 2>/dev/null || true
tail -n 40 "$NODE_OUT" >&2 2>/dev/null || true
if pid="$(node_pid)"; then kill "$pid" 2>/dev/null || true; fi
exit 1
