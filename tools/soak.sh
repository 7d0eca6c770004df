#!/usr/bin/env bash
# A long soak (issue 15): keysend payments against the real server for MINUTES, reporting each
# interval's payments/s, p99, the server's resident memory and the ledger's files, so anything that
# grows and should not (memory, the WAL) shows in the table. Needs wrk.
#
#   tools/soak.sh [minutes=10] [interval_seconds=60] [connections=16]
#
# The log grows with every payment (that is expected: two events each); the WAL should stay
# bounded by checkpoints, and RSS should level off. GRANTLEDGER_BINARY picks the binary (default: a
# release build into .build-bench). KEEP_DATA=1 keeps the data directory.
set -euo pipefail
# A relative GRANTLEDGER_BINARY names a file from where the script was started.
[ -z "${GRANTLEDGER_BINARY:-}" ] || GRANTLEDGER_BINARY=$(realpath "$GRANTLEDGER_BINARY")
cd "$(dirname "$0")/.."
minutes=${1:-10}
interval=${2:-60}
connections=${3:-16}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
source tools/binary.sh
source tools/nwc-token.sh
data=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
export GRANTLEDGER_ADMIN_TOKEN="soak-admin-token-$(date +%s)"
"$binary" serve --data-dir "$data" --port "$port" --log-level warning --dev-login \
  --demo-balance-msat 1000000000000000 > "$data/server.out" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  if [ -n "${KEEP_DATA:-}" ]; then echo "data kept in $data"; else rm -rf "$data"; fi
}
trap cleanup EXIT
for _ in $(seq 1 100); do
  grep -q "listening on" "$data/server.out" 2>/dev/null && break
  sleep 0.1
done
grep -q "listening on" "$data/server.out" || { echo "the server did not start:" >&2; cat "$data/server.out" >&2; exit 1; }
base="http://127.0.0.1:$port"
token=$(nwc_token "$data" "$base" soak-payer)
export LOAD_NWC_TOKEN=$token
size() { stat -c %s "$1" 2>/dev/null || echo 0; }
printf '%6s %10s %10s %10s %9s %12s %10s\n' "minute" "payments/s" "p50 ms" "p99 ms" "RSS MB" "sqlite MB" "wal MB"
end=$(( $(date +%s) + minutes * 60 ))
while [ "$(date +%s)" -lt "$end" ]; do
  out=$(wrk -t2 -c"$connections" -d"${interval}s" -s tools/keysend.lua "$base")
  rate=$(echo "$out" | awk -F': ' '/^payments\/s/ {print $2}')
  p50=$(echo "$out" | awk '/^p50/ {print $2}')
  p99=$(echo "$out" | awk '/^p50/ {print $5}')
  kill -0 "$server" 2>/dev/null || { echo "the server died; see $data/server.out" >&2; KEEP_DATA=1; exit 1; }
  rss=$(( $(ps -o rss= -p "$server") / 1024 ))
  elapsed=$(( minutes * 60 - (end - $(date +%s)) ))
  printf '%6.1f %10s %10s %10s %9d %12.1f %10.1f\n' "$(echo "$elapsed / 60" | bc -l)" "$rate" "$p50" "$p99" "$rss" \
    "$(echo "$(size "$data/ledger.sqlite") / 1048576" | bc -l)" "$(echo "$(size "$data/ledger.sqlite-wal") / 1048576" | bc -l)"
done
kill "$server"; wait "$server" 2>/dev/null || true
verified=$("$binary" verify --data-dir "$data" 2>&1) || { echo "verify FAILED: $verified" >&2; exit 1; }
echo "verify: $(echo "$verified" | grep '^OK' | head -1)"
