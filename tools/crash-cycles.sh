#!/usr/bin/env bash
# Kill -9 the real server N times under a mixed load (payments, OAuth grants, admin writes, audit
# records, malformed requests) and check after every restart that the log holds every request
# answered 2xx, nothing of one answered 5xx or refused before a decision, and only the denial of a
# 4xx decision; then that `verify` passes. See tools/crash_cycles.py.
#
#   tools/crash-cycles.sh [cycles=3] [--seed S] [--seconds-max 3] [--threads 8] [--data-dir DIR]
#
# Builds a release binary into .build-bench (gitignored) unless GRANTLEDGER_BINARY names one
# (`make test` passes its debug build).
set -euo pipefail
cd "$(dirname "$0")/.."
cycles=3
if [[ ${1:-} =~ ^[0-9]+$ ]]; then cycles=$1; shift; fi
binary=${GRANTLEDGER_BINARY:-}
if [ -z "$binary" ]; then
  build_log=$(swift build -c release --product grantledger --scratch-path .build-bench 2>&1) || {
    echo "$build_log" >&2; exit 1; }
  binary=.build-bench/release/grantledger
fi
exec python3 tools/crash_cycles.py --binary "$binary" --cycles "$cycles" "$@"
