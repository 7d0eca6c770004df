#!/usr/bin/env bash
# Instructions per replayed event and per request, counted by valgrind (callgrind), beside the
# wall-clock ratios of tools/replay-ratio.sh and tools/load-payments.sh (issue 15). On this noisy
# 2-core VM seconds swing by tens of percent from one run to the next; instruction counts repeat,
# so they show what a change did. They do not show what runs on two cores at once, or waits.
#
#   tools/instructions.sh DATA_DIR [events=10000] [seconds=20]
#
# DATA_DIR holds a ledger.sqlite (copied, never changed); its first `events` events are copied
# into a ledger of their own with `replay --until`, and that copy is counted:
#   - opening it alone (`inspect` of no stream), subtracted from each of the phases below;
#   - `replay`, `verify --chain-only` and `verify` (chain + scratch replay + checksums);
#   - the read-and-SHA-256 baseline (Benchmarks/ReadAndHash) over the same rows.
# Then a server on a fresh data directory runs under callgrind, and wrk (1 thread, 4 connections,
# `seconds` each) sends GET /health, POST reserve + POST settle through /v1, and keysend
# payments; the counters are zeroed before each phase and dumped after it, and divided by the
# requests wrk saw answered. A request cut off at a phase's end is counted in instructions and
# not in requests: at most 4 per phase, a few in a thousand.
#
# INSTRUCTIONS_OUT=DIR keeps callgrind's files there (`callgrind_annotate --inclusive=yes FILE`
# names where the instructions went; cg.server.N are the request phases, in the order above).
# Needs valgrind, wrk, sqlite3 and objcopy (binutils). GRANTLEDGER_BINARY picks the binary
# (default: a release build into .build-bench). Takes about 6 minutes at the defaults.
# SERVER_ONLY=1 counts the requests only (the server phases; about 3 minutes).
#
# Every process runs with SWIFT_DETERMINISTIC_HASHING=1: Swift seeds its hashing per process, so
# the dictionaries a replay folds with probed a different number of keys each run, and two runs of
# the same build's `replay` differed by 1.3 % (2,622.8 and 2,655.8 million instructions); with the
# fixed seed, by 834 instructions. The seed changes nothing a run computes, only its cost.
set -euo pipefail
# A relative GRANTLEDGER_BINARY names a file from where the script was started.
[ -z "${GRANTLEDGER_BINARY:-}" ] || GRANTLEDGER_BINARY=$(realpath "$GRANTLEDGER_BINARY")
source=$(realpath "${1:?usage: tools/instructions.sh DATA_DIR [events=10000] [seconds=20]}")
events=${2:-10000}
seconds=${3:-20}
cd "$(dirname "$0")/.."
for tool in valgrind callgrind_control wrk sqlite3 objcopy curl bc; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install valgrind wrk sqlite3 binutils curl bc)" >&2; exit 1; }
done
fail() { echo "$*" >&2; exit 1; }
source tools/binary.sh
source tools/nwc-token.sh
source tools/budget-connections.sh
source tools/baseline-copy.sh
export SWIFT_DETERMINISTIC_HASHING=1

# Valgrind 3.19 (Debian 12) cannot read the DWARF 5 debug information Swift 6 writes, and stops;
# a copy without it keeps the symbol table, so functions are still named in the output files.
objcopy --strip-debug "$binary" "$work/grantledger"
counted="$work/grantledger"

mkdir "$work/cut"
"$binary" replay --until "$events" --out "$work/cut/ledger.sqlite" --data-dir "$work" > "$work/cut.out"
rows=$(sqlite3 "$work/cut/ledger.sqlite" "SELECT count(*) FROM events")
[ "$rows" -gt 0 ] || fail "no events to count in $source"
echo "ledger: the first $rows events of $source"

# Runs a command under callgrind on a fresh copy of the cut ledger and sets `counted_total` to
# the instructions it ran (all threads); fails unless its output matches `ok-pattern` (`inspect`
# of no stream exits 1 by design, so the exit status alone says nothing).
instructions() { # label, ok-pattern, command...
  local label=$1 ok=$2; shift 2
  rm -rf "$work/run"; cp -r "$work/cut" "$work/run"
  valgrind --tool=callgrind --callgrind-out-file="$work/cg.$label" "$@" > "$work/out.$label" 2>&1 || true
  grep -q "$ok" "$work/out.$label" || { cat "$work/out.$label" >&2; fail "$label failed under valgrind"; }
  counted_total=$(awk '/^summary:/ {print $2}' "$work/cg.$label" 2>/dev/null || true)
  [ -n "$counted_total" ] || fail "$label: callgrind wrote no summary ($work/cg.$label)"
}

if [ -z "${SERVER_ONLY:-}" ]; then
instructions open "no events in stream" "$counted" inspect no-such-stream --data-dir "$work/run" --limit 1
open=$counted_total
printf '%-34s %14d instructions\n' "open (subtracted below)" "$open"
per_event() { # label, ok-pattern, arguments...
  instructions "$@"
  local each=$(( (counted_total - open) / rows ))
  printf '%-34s %14d instructions  %10d per event\n' "$1" "$counted_total" "$each"
  echo "$each" > "$work/$1.each"
}
per_event replay "rebuilt the projections" "$counted" replay --data-dir "$work/run"
per_event verify-chain-only "^OK" "$counted" verify --chain-only --data-dir "$work/run"
per_event verify "^OK" "$counted" verify --data-dir "$work/run"
instructions baseline "rows in" .build-bench/read-and-hash "$work/run/ledger.sqlite"
baseline=$counted_total
baseline_each=$((baseline / rows))
printf '%-34s %14d instructions  %10d per row\n' "baseline read+sha256" "$baseline" "$baseline_each"
for phase in replay verify-chain-only verify; do
  printf '%-34s %.3f (baseline instructions / these, per event)\n' "$phase" \
    "$(echo "$baseline_each / $(cat "$work/$phase.each")" | bc -l)"
done
fi

# The server under callgrind: about fifty times slower, so few connections and generous waits.
data="$work/serve"
mkdir "$data"
port=$((20000 + RANDOM % 20000))
export GRANTLEDGER_ADMIN_TOKEN="instructions-admin-token-$(date +%s)"
valgrind --tool=callgrind --callgrind-out-file="$work/cg.server" "$counted" serve --data-dir "$data" \
  --port "$port" --log-level warning --dev-login --demo-balance-msat 1000000000000000 > "$data/server.out" 2>&1 &
server=$!
finish() {
  kill "$server" 2>/dev/null || true
  # A graceful stop under valgrind takes seconds; one that hangs is killed after a minute.
  for _ in $(seq 1 120); do kill -0 "$server" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  if [ -n "${INSTRUCTIONS_OUT:-}" ]; then
    mkdir -p "$INSTRUCTIONS_OUT" && cp "$work"/cg.* "$INSTRUCTIONS_OUT"/ || echo "could not keep the files in $INSTRUCTIONS_OUT" >&2
  fi
  rm -rf "$work"
}
trap finish EXIT
for _ in $(seq 1 600); do
  grep -q "listening on" "$data/server.out" 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.5
done
grep -q "listening on" "$data/server.out" || { echo "the server did not start:" >&2; cat "$data/server.out" >&2; exit 1; }
base="http://127.0.0.1:$port"

ids="$data/connection-ids"
grant_budget_connections "$base" 4 "$ids"
export LOAD_CONNECTION_IDS="$ids" LOAD_THREADS=1
LOAD_NWC_TOKEN=$(nwc_token "$data" "$base" load-payer)
export LOAD_NWC_TOKEN
# Warm: the first requests compile statements, fill caches and start threads.
wrk -t1 -c4 -d5s "$base/health" > /dev/null
wrk -t1 -c4 -d5s -s tools/spend.lua "$base" > /dev/null
wrk -t1 -c4 -d5s -s tools/keysend.lua "$base" > /dev/null

# Commands and batches the writer has committed so far (its /metrics histogram's sum and count):
# under valgrind threads take turns, so batches are smaller than at full speed, and each
# command carries more of a batch's cost.
batches() {
  curl -sS -H "Authorization: Bearer $GRANTLEDGER_ADMIN_TOKEN" "$base/metrics" |
    awk '/^ledger_batch_size_sum/ {sum = $2} /^ledger_batch_size_count/ {count = $2} END {printf "%d %d", sum, count}'
}
dumps=0
per_request() { # key, label, wrk arguments...: instructions per answered request
  local key=$1 label=$2; shift 2
  local before after
  before=$(batches)
  callgrind_control -z "$server" > "$work/control.out" 2>&1 || { cat "$work/control.out" >&2; fail "callgrind_control -z failed"; }
  wrk -t1 -c4 -d"${seconds}s" "$@" > "$work/wrk.$key"
  sleep 2 # let a request cut off at the end finish before the dump
  callgrind_control --dump="$key" "$server" > "$work/control.out" 2>&1 ||
    { cat "$work/control.out" >&2; fail "callgrind_control --dump failed"; }
  after=$(batches)
  dumps=$((dumps + 1))
  local file="$work/cg.server.$dumps"
  for _ in $(seq 1 60); do [ -s "$file" ] && grep -q "^totals:" "$file" && break; sleep 0.5; done
  local total requests
  total=$(awk '/^(summary|totals):/ {print $2; exit}' "$file" 2>/dev/null || true)
  requests=$(awk '/requests in/ {print $1}' "$work/wrk.$key")
  [ -n "$total" ] || fail "$label: callgrind wrote no dump ($file)"
  [ "${requests:-0}" -gt 0 ] || { cat "$work/wrk.$key" >&2; fail "$label: no request was answered"; }
  printf '%-34s %8d requests  %12d instructions per request  (%s)\n' "$label" "$requests" "$((total / requests))" \
    "$(echo "$before $after" | awk '$4 > $2 {printf "%d commands in %d batches", $3 - $1, $4 - $2; exit} {print "no commands"}')"
  echo "$((total / requests))" > "$work/$key.each"
}
per_request health "GET /health" "$base/health"
per_request spend "reserve or settle (/v1)" -s tools/spend.lua "$base"
grep -E "^non-2xx answers: 0" "$work/wrk.spend" > /dev/null ||
  { echo "reserves or settles were refused:" >&2; cat "$work/wrk.spend" >&2; exit 1; }
per_request keysend "keysend payment" -s tools/keysend.lua "$base"
grep -E "other answers: 0" "$work/wrk.keysend" > /dev/null ||
  { echo "payments were refused:" >&2; cat "$work/wrk.keysend" >&2; exit 1; }
health_each=$(cat "$work/health.each")
printf '%-34s %.3f (/health instructions / these, per request)\n' "reserve or settle (/v1)" \
  "$(echo "$health_each / $(cat "$work/spend.each")" | bc -l)"
printf '%-34s %.3f (/health instructions / these, per request)\n' "keysend payment" \
  "$(echo "$health_each / $(cat "$work/keysend.each")" | bc -l)"
