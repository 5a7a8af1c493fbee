#!/usr/bin/env bash
# Resolves org.apache.cassandra:cassandra-all (version pinned in pom.xml) and its runtime dependencies
# from Maven Central into a git-ignored folder. Reused on later runs: a marker file is written last.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
mkdir -p "$LOCAL_CASSANDRA_HOME"

marker="$LOCAL_CASSANDRA_LIB/.complete"
if [ -f "$marker" ]; then
  exit 0
fi
command -v mvn >/dev/null || { log "Maven (mvn) is required to provision Cassandra"; exit 1; }
log "resolving cassandra-all $CASSANDRA_VERSION and its runtime dependencies with Maven (first run only)"
tmp="$LOCAL_CASSANDRA_LIB.partial"
rm -rf "$tmp"
mkdir -p "$tmp"
started=$(date +%s)
# Maven itself must run on a JDK it supports; Java 17 is fine for both.
if java17="$(find_java17)"; then export JAVA_HOME="$(dirname "$(dirname "$java17")")"; fi
mvn -B -q -f "$CCH_SCRIPTS/pom.xml" dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$tmp" >"$LOCAL_CASSANDRA_HOME/provision.log" 2>&1 || {
  log "Maven resolution failed; last lines of $LOCAL_CASSANDRA_HOME/provision.log:"
  tail -n 40 "$LOCAL_CASSANDRA_HOME/provision.log" >&2
  exit 1
}
ls "$tmp"/cassandra-all-*.jar >/dev/null 2>&1 || { log "cassandra-all jar missing after resolution"; exit 1; }
rm -rf "$LOCAL_CASSANDRA_LIB"
mv "$tmp" "$LOCAL_CASSANDRA_LIB"
touch "$marker"
log "provisioned $(ls "$LOCAL_CASSANDRA_LIB"/*.jar | wc -l) jars in $(( $(date +%s) - started ))s"
