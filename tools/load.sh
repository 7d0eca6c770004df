#!/usr/bin/env bash
# Durable admin grants per second against the same server's /health per second (the HTTP
# ceiling), in one run on one machine, reported as a ratio. Needs wrk (apt-get install wrk).
#
#   tools/load.sh [seconds=10] [connections=64]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-64}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

swift build -c release --product grantledger >/dev/null
data=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
export GRANTLEDGER_ADMIN_TOKEN="load-test-admin-token-$(date +%s)"
.build/release/grantledger serve --data-dir "$data" --port "$port" --log-level warning > "$data/server.out" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  grep -q "listening on" "$data/server.out" 2>/dev/null && break
  sleep 0.1
done
base="http://127.0.0.1:$port"

rate() { awk '/Requests\/sec/ {print $2}'; }
echo "== /health, $connections connections, ${seconds}s"
health_out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "$base/health")
echo "$health_out" | grep -E "Requests/sec|99%"
echo "== POST /admin/connections (durable grant), $connections connections, ${seconds}s"
grant_out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s tools/grant.lua "$base")
echo "$grant_out" | grep -E "Requests/sec|99%|non-201"
health=$(echo "$health_out" | rate)
grants=$(echo "$grant_out" | rate)
echo "ratio grants/health: $(awk -v g="$grants" -v h="$health" 'BEGIN { printf "%.3f", g / h }')"
.build/release/grantledger verify --data-dir "$data" | head -1
