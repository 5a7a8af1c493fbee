#!/usr/bin/env bash
# Creates the Python virtual environment of the cassio peer tests (python-peer.test.ts) and prints its
# python. Idempotent: an environment already built from the same requirements.txt is reused; a
# changed file rebuilds it. Concurrent callers wait for each other (flock).
# PYTHON_PEER_VENV (default .python-peer/venv) and PYTHON (default python3, 3.9 or newer) override.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${PYTHON_PEER_VENV:-.python-peer/venv}
requirements=scripts/python-peer/requirements.txt
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9
want=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" = "$want" ]; then
  echo "$venv/bin/python"
  exit 0
fi
rm -rf "$venv"
"${PYTHON:-python3}" -m venv "$venv"
# The driver's Cython/C extensions take minutes to compile and are not needed for a test peer.
CASS_DRIVER_NO_CYTHON=1 CASS_DRIVER_NO_EXTENSIONS=1 \
  "$venv/bin/pip" install --disable-pip-version-check --no-input -q -r "$requirements" >&2
echo "$want" >"$venv/.requirements.sha256"
echo "$venv/bin/python"
