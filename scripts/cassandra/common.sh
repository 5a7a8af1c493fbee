#!/usr/bin/env bash
# Shared settings for the local Apache Cassandra node scripts (provision, start, stop, status).
# Sourced, never run. Every setting can be overridden from the environment.
set -euo pipefail

CCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CCH_SCRIPTS="$CCH_ROOT/scripts/cassandra"

# The pinned server version lives in pom.xml only, so there is one place to bump it.
CASSANDRA_VERSION="$(sed -n 's:.*<cassandra.version>\(.*\)</cassandra.version>.*:\1:p' "$CCH_SCRIPTS/pom.xml")"

# Git-ignored home for everything the node needs: jars (shared by all nodes), one folder per node.
LOCAL_CASSANDRA_HOME="${LOCAL_CASSANDRA_HOME:-$CCH_ROOT/.cassandra}"
LOCAL_CASSANDRA_LIB="$LOCAL_CASSANDRA_HOME/lib-$CASSANDRA_VERSION"
# Several nodes can live side by side (the auth tests start a second one): each gets a name and a
# loopback address of its own; ports stay the defaults, as ccm does.
LOCAL_CASSANDRA_NAME="${LOCAL_CASSANDRA_NAME:-node1}"
LOCAL_CASSANDRA_ADDRESS="${LOCAL_CASSANDRA_ADDRESS:-127.0.0.1}"
LOCAL_CASSANDRA_PORT="${LOCAL_CASSANDRA_PORT:-${CASSANDRA_PORT:-9042}}"
LOCAL_CASSANDRA_STORAGE_PORT="${LOCAL_CASSANDRA_STORAGE_PORT:-7000}"
LOCAL_CASSANDRA_HEAP="${LOCAL_CASSANDRA_HEAP:-1G}"
# 1 = PasswordAuthenticator + CassandraAuthorizer (default superuser cassandra/cassandra).
LOCAL_CASSANDRA_AUTH="${LOCAL_CASSANDRA_AUTH:-0}"
LOCAL_CASSANDRA_START_TIMEOUT="${LOCAL_CASSANDRA_START_TIMEOUT:-240}"
# commitlog_sync: periodic (Cassandra's default: acknowledges before the commitlog is synced, so a
# kill -9 can lose the last moments of acknowledged writes) or batch (fsync before acknowledging).
LOCAL_CASSANDRA_COMMITLOG_SYNC="${LOCAL_CASSANDRA_COMMITLOG_SYNC:-periodic}"
# Cluster membership (scripts/cassandra/cluster.sh sets these for its nodes). The defaults make a
# node its own one-node cluster: its own name, its own address as the only seed, the whole ring.
LOCAL_CASSANDRA_CLUSTER_NAME="${LOCAL_CASSANDRA_CLUSTER_NAME:-cassandra-chat-history-$LOCAL_CASSANDRA_NAME}"
LOCAL_CASSANDRA_SEEDS="${LOCAL_CASSANDRA_SEEDS:-$LOCAL_CASSANDRA_ADDRESS:$LOCAL_CASSANDRA_STORAGE_PORT}"
LOCAL_CASSANDRA_INITIAL_TOKEN="${LOCAL_CASSANDRA_INITIAL_TOKEN:-0}"

NODE_DIR="$LOCAL_CASSANDRA_HOME/$LOCAL_CASSANDRA_NAME"
NODE_CONF="$NODE_DIR/conf"
NODE_LOGS="$NODE_DIR/logs"
NODE_DATA="$NODE_DIR/data"
NODE_PID="$NODE_DIR/cassandra.pid"
NODE_OUT="$NODE_LOGS/stdout.log"

# Cassandra 5.0 calls System.setSecurityManager during start-up, which throws on JDK 24+, so the
# node must run on a Java 17 runtime even when the default `java` is newer.
find_java17() {
  local candidate
  for candidate in "${CASSANDRA_JAVA:-}" "${JAVA17_HOME:+$JAVA17_HOME/bin/java}" \
    /usr/lib/jvm/java-17-openjdk-amd64/bin/java /usr/lib/jvm/java-17-openjdk*/bin/java \
    /usr/lib/jvm/temurin-17*/bin/java /usr/lib/jvm/*17*/bin/java; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    if "$candidate" -version 2>&1 | head -1 | grep -q '"17\.'; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

# Module flags from Cassandra 5.0's conf/jvm17-server.options: without them start-up (and nodetool,
# which loads the same classes) dies with InaccessibleObjectException / IllegalAccessError.
JVM17_MODULE_FLAGS=(
  -Djdk.attach.allowAttachSelf=true
  --add-exports java.base/jdk.internal.misc=ALL-UNNAMED
  --add-exports java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED
  --add-exports java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports java.rmi/sun.rmi.server=ALL-UNNAMED
  --add-exports java.sql/java.sql=ALL-UNNAMED
  --add-exports java.base/java.lang.ref=ALL-UNNAMED
  --add-exports jdk.unsupported/sun.misc=ALL-UNNAMED
  --add-exports jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports jdk.attach/sun.tools.attach=ALL-UNNAMED
  --add-opens java.base/java.lang.module=ALL-UNNAMED
  --add-opens java.base/jdk.internal.loader=ALL-UNNAMED
  --add-opens java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens java.base/jdk.internal.reflect=ALL-UNNAMED
  --add-opens java.base/jdk.internal.math=ALL-UNNAMED
  --add-opens java.base/jdk.internal.module=ALL-UNNAMED
  --add-opens java.base/jdk.internal.util.jar=ALL-UNNAMED
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens java.base/java.io=ALL-UNNAMED
  --add-opens java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens jdk.compiler/com.sun.tools.javac=ALL-UNNAMED
  --add-opens java.base/java.lang=ALL-UNNAMED
  --add-opens java.base/java.util=ALL-UNNAMED
  -Dio.netty.tryReflectionSetAccessible=true
  -Dio.netty.allocator.useCacheForAllThreads=true
  -Dio.netty.allocator.maxOrder=11
)

log() { printf '[cassandra:%s] %s\n' "$LOCAL_CASSANDRA_NAME" "$*" >&2; }

# Answers 0 when a real CQL query succeeds against ADDRESS:PORT within TIMEOUT seconds.
cql_probe() {
  local contact="$1" port="$2" timeout="$3"
  node "$CCH_SCRIPTS/probe.js" --contact-points "$contact" --port "$port" --timeout "$timeout"
}

node_pid() {
  [ -f "$NODE_PID" ] || return 1
  local pid
  pid="$(cat "$NODE_PID")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}
