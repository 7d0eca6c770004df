#!/usr/bin/env bash
# Durable payments per second against the same server's /health per second (the HTTP ceiling),
# in one run on one machine, reported as ratios (issue 15's goal 3): a reserve or a settle
# through /v1 per request (goal: at least 0.5; DESIGN §10) and a whole keysend payment (goal: at
# least 0.25). Needs wrk (apt-get install wrk).
#
#   tools/load-payments.sh [seconds=10] [connections=64] [budget_rows=connections]
#
# TURNS=N measures in N rounds instead of one pass: each round loads /health, then keysend, then
# reserve + settle, for `seconds` each, on the same server, and its ratios divide by that round's
# /health. This VM's speed drifts over minutes (/health alone swung 32,000-40,000/s between whole
# runs), so one /health figure a minute before the payments can move a ratio more than a change
# does; rounds of a few seconds see the same drift. Prints every round, then the median and the
# lowest of each ratio.
#
# budget_rows is how many ledger connections (budgets) the spends are spread over: the default
# gives one per wrk connection; 1 sends every spend to the same budget row.
# Builds into .build-bench (gitignored), so it never takes the lock of a debug build in .build.
# Set KEEP_DATA=1 to keep the data directory (its path is printed).
set -euo pipefail
# A relative GRANTLEDGER_BINARY names a file from where the script was started.
[ -z "${GRANTLEDGER_BINARY:-}" ] || GRANTLEDGER_BINARY=$(realpath "$GRANTLEDGER_BINARY")
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-64}
rows=${3:-$connections}
threads=2
[ -z "${TURNS:-}" ] || [[ $TURNS =~ ^[1-9][0-9]*$ ]] || { echo "TURNS is a number of rounds, 1 or more: $TURNS" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is missing" >&2; exit 1; }

source tools/binary.sh
source tools/nwc-token.sh
source tools/budget-connections.sh
data=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
export GRANTLEDGER_ADMIN_TOKEN="load-test-admin-token-$(date +%s)"
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
echo "server pid $server, $base, data $data"

# Budgets to spend from, granted through the admin API.
ids="$data/connection-ids"
grant_budget_connections "$base" "$rows" "$ids"
echo "granted $(wc -l < "$ids") connections (budget 1000000000 sat, never renews)"
export LOAD_CONNECTION_IDS="$ids" LOAD_THREADS="$threads"

# Each load below sets the figures it measured (`health`, `auths`, `payments`, and their p99s)
# and prints what wrk said when `verbose` is set.
health_turn() {
  local out
  out=$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$base/health")
  # wrk counts every answer and error in Requests/sec: a failing /health would look fast.
  if echo "$out" | grep -qE "Non-2xx|Socket errors"; then echo "$out" >&2; exit 1; fi
  [ -z "$verbose" ] || echo "$out" | grep -E "Requests/sec|^ +50%|^ +99%" | sed 's/^ */  /'
  health=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  health_p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
}
# A load driven by a wrk script: sets `rate` to the figure the script prints after `rate_key`
# and `p99` to its p99, and prints the script's report from `report_start` when `verbose` is set.
scripted_turn() {
  local script=$1 report_start=$2 rate_key=$3 out
  out=$(wrk -t"$threads" -c"$connections" -d"${seconds}s" -s "$script" "$base")
  [ -z "$verbose" ] || echo "$out" | sed -n "/^$report_start/,\$p" | sed 's/^/  /'
  rate=$(echo "$out" | awk -F': ' -v key="$rate_key" '$1 == key {print $2}')
  p99=$(echo "$out" | grep -o 'p99 [0-9.]* ms' | head -1)
}
spends_turn() {
  scripted_turn tools/spend.lua "http requests" "authorizations/s"
  auths=$rate spends_p99=$p99
}
keysend_turn() {
  scripted_turn tools/keysend.lua "payments answered" "payments/s"
  payments=$rate keysend_p99=$p99
}

# The same authorization as one request: a keysend through the UMA Auth API with a long-lived
# token from the seed-000 exchange (the dev login key stands in for the operator's login system).
LOAD_NWC_TOKEN=$(nwc_token "$data" "$base" load-payer)
export LOAD_NWC_TOKEN

# The median and the lowest of column `column` of the rounds' ratios, against its goal.
median_and_lowest() {
  local column=$1 label=$2 goal=$3
  sort -n -k"$column,$column" "$ratios" | awk -v c="$column" -v label="$label" -v goal="$goal" '{ v[NR] = $c } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "  %s: median %.3f, lowest %.3f (goal >= %s)\n", label, m, v[1], goal }'
}

if [ -n "${TURNS:-}" ]; then
  verbose=
  echo "== $TURNS rounds of ${seconds}s turns: /health, keysend, reserve + settle; $connections connections"
  # In the data directory, which the exit trap removes whatever ends the run.
  ratios="$data/ratios"
  for round in $(seq 1 "$TURNS"); do
    health_turn
    keysend_turn
    spends_turn
    awk -v r="$round" -v h="$health" -v hp="$health_p99" -v k="$payments" -v kp="$keysend_p99" -v a="$auths" \
      -v ap="$spends_p99" 'BEGIN {
        printf "  round %d: /health %.1f/s (p99 %s); keysend %.1f/s = %.3f (%s); reserve + settle %.1f/s = %.3f per request (%s)\n",
          r, h, hp, k, k / h, kp, a, 2 * a / h, ap }'
    awk -v h="$health" -v k="$payments" -v a="$auths" 'BEGIN { printf "%.4f %.4f\n", k / h, 2 * a / h }' >> "$ratios"
  done
  echo "== result ($TURNS rounds)"
  median_and_lowest 1 "keysend payments / /health" 0.25
  median_and_lowest 2 "a reserve or a settle / /health, per request" 0.5
else
  verbose=1
  echo "== GET /health, $connections connections, ${seconds}s"
  health_turn
  echo "== authorizations (POST reserve + POST settle), $connections connections over $rows budget rows, ${seconds}s"
  spends_turn
  echo "== payments (POST /umanwc/v1/payments/keysend: token check, reserve, demo wallet, settle), $connections connections, ${seconds}s"
  keysend_turn

  echo "== result"
  echo "  /health req/s:      $health"
  echo "  authorizations/s:   $auths   (each = 2 durable commands: reserve + settle)"
  echo "  ratio authorizations/health: $(awk -v a="$auths" -v h="$health" 'BEGIN { printf "%.3f", a / h }')"
  echo "  ratio durable commands/health: $(awk -v a="$auths" -v h="$health" 'BEGIN { printf "%.3f", 2 * a / h }') (a reserve or a settle per request; goal >= 0.5)"
  echo "  keysend payments/s: $payments   (one request each: token check + reserve + pay + settle)"
  echo "  ratio payments/health: $(awk -v a="$payments" -v h="$health" 'BEGIN { printf "%.3f", a / h }') (goal >= 0.25)"
fi

if grep -qiE "error|critical" "$data/server.out"; then
  echo "== server log (errors)"; grep -iE "error|critical" "$data/server.out" | sort | uniq -c | head -10
fi
kill "$server"; wait "$server" 2>/dev/null || true
echo "== verify"
"$binary" verify --data-dir "$data" | head -1
