#!/usr/bin/env bash
# The spend invariants (Tests/LedgerStoreTests/SpendPropertyTests.swift) over more random histories
# than `make test` runs (300): every cycle's settled + held within its limit after every step, every
# accepted reservation within the current limit, a replay equal to the live projections.
#
#   tools/spend-properties.sh [cases=10000]
#
# A failure prints the shrunk history and a `.fixedSeed(...)` that replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-10000}
swift build --build-tests >/dev/null
start=$(date +%s)
GRANTLEDGER_PROPERTY_CASES=$cases swift test --skip-build --filter SpendPropertyTests 2>&1 \
  | grep -E "Failure occured|shrunk|fixedSeed|Expectation failed|passed|failed" || true
echo "$cases cases in $(( $(date +%s) - start )) s"
