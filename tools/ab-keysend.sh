#!/usr/bin/env bash
# Keysend payments per second of two builds, measured in turns (issue 15): both servers run at
# once, idle but for the one wrk is loading, and wrk alternates between them every `seconds`. On
# this noisy 2-core VM the speed drifts over minutes, so two builds measured one whole run after
# the other (tools/load-payments.sh) can differ by more than a change does; turns of a few
# seconds see the same drift. Run it twice with the builds swapped to cancel the order in a turn.
#
#   tools/ab-keysend.sh BINARY_A BINARY_B [rounds=6] [seconds=5] [connections=64]
#
# Prints each turn's payments/s and p99, then each build's mean and B's mean over A's.
# AB_TARGET=health loads GET /health instead (the HTTP ceiling the payment goals divide by), in
# the same turns: a change that speeds every request up shows there too. AB_TARGET=spends loads
# reserves and settles through the budget service (/v1, tools/spend.lua, over one budget per
# connection) and reports their requests/s. Needs wrk and curl.
set -euo pipefail
a=$(realpath "${1:?usage: tools/ab-keysend.sh BINARY_A BINARY_B [rounds] [seconds] [connections]}")
b=$(realpath "${2:?usage: tools/ab-keysend.sh BINARY_A BINARY_B [rounds] [seconds] [connections]}")
rounds=${3:-6}
seconds=${4:-5}
connections=${5:-64}
target=${AB_TARGET:-keysend}
case $target in keysend | health | spends) ;; *) echo "AB_TARGET is keysend, health or spends" >&2; exit 1 ;; esac
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
source tools/nwc-token.sh
source tools/budget-connections.sh
export GRANTLEDGER_ADMIN_TOKEN="ab-keysend-admin-$(date +%s)"

pids=()
dirs=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for dir in "${dirs[@]}"; do rm -rf "$dir"; done
}
trap cleanup EXIT

# Starts a server of `binary` on a fresh data directory; sets `base` and `token`.
start() {
  binary=$1
  local data port
  data=$(mktemp -d)
  port=$((20000 + RANDOM % 20000))
  "$binary" serve --data-dir "$data" --port "$port" --log-level warning --dev-login \
    --demo-balance-msat 1000000000000000 > "$data/server.out" 2>&1 &
  pids+=($!)
  dirs+=("$data")
  for _ in $(seq 1 100); do
    grep -q "listening on" "$data/server.out" 2>/dev/null && break
    sleep 0.1
  done
  grep -q "listening on" "$data/server.out" || { cat "$data/server.out" >&2; exit 1; }
  base="http://127.0.0.1:$port"
  token=$(nwc_token "$data" "$base" load-payer)
  ids="$data/connection-ids"
  : > "$ids"
  if [ "$target" = spends ]; then grant_budget_connections "$base" "$connections" "$ids"; fi
}
start "$a"; base_a=$base; token_a=$token; ids_a=$ids
start "$b"; base_b=$base; token_b=$token; ids_b=$ids

sum_a=0
sum_b=0
for round in $(seq 1 "$rounds"); do
  for side in A B; do
    if [ "$side" = A ]; then url=$base_a; token=$token_a; ids=$ids_a; else url=$base_b; token=$token_b; ids=$ids_b; fi
    if [ "$target" = spends ]; then
      out=$(LOAD_CONNECTION_IDS=$ids LOAD_THREADS=2 wrk -t2 -c"$connections" -d"${seconds}s" -s tools/spend.lua "$url")
      rate=$(echo "$out" | awk '/^http requests/ {print $(NF - 1)}')
      # Every answer a reserve's 201 or a settle's 200, and no socket error: a failing server
      # would look fast otherwise.
      [ -n "$rate" ] && echo "$out" | grep -q "^non-2xx answers: 0$" && echo "$out" | grep -q "^other 2xx (no spend id): 0$" \
        && echo "$out" | grep -q "^socket errors: connect 0, read 0, write 0, timeout 0$" || { echo "$out" >&2; exit 1; }
      echo "round $round $side $rate requests/s, $(echo "$out" | grep -o 'p99 [0-9.]* ms' | head -1)"
    elif [ "$target" = health ]; then
      out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "$url/health")
      rate=$(echo "$out" | awk '/^Requests\/sec:/ {print $2}')
      # wrk counts every answer and error in Requests/sec: a failing /health would look fast.
      if [ -z "$rate" ] || echo "$out" | grep -qE "Non-2xx|Socket errors"; then echo "$out" >&2; exit 1; fi
      echo "round $round $side $rate requests/s, p99 $(echo "$out" | awk '$1 == "99%" {sub(/ms$/, " ms", $2); print $2}')"
    else
      out=$(LOAD_NWC_TOKEN=$token LOAD_THREADS=2 wrk -t2 -c"$connections" -d"${seconds}s" -s tools/keysend.lua "$url")
      rate=$(echo "$out" | awk -F': ' '/^payments\/s/ {print $2}')
      [ -n "$rate" ] || { echo "$out" >&2; exit 1; }
      echo "round $round $side $rate payments/s, $(echo "$out" | grep -o 'p99 [0-9.]* ms' | head -1)"
    fi
    if [ "$side" = A ]; then sum_a=$(echo "$sum_a + $rate" | bc); else sum_b=$(echo "$sum_b + $rate" | bc); fi
  done
done
awk -v a="$sum_a" -v b="$sum_b" -v n="$rounds" \
  -v unit="$([ "$target" = keysend ] && echo payments/s || echo requests/s)" \
  'BEGIN { printf "mean A %.1f, B %.1f %s: B/A %.3f\n", a / n, b / n, unit, b / a }'
