#!/usr/bin/env bash
# kill -9 of the local node named by LOCAL_CASSANDRA_NAME (never the default node): see signal.sh.
exec bash "$(dirname "${BASH_SOURCE[0]}")/signal.sh" KILL
