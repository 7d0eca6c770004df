#!/usr/bin/env bash
# Does a payment slow down as the log grows (issue 15, goal 4)? Keysend payments against two
# servers of the same binary, one on an empty ledger and one on a copy of a big one, taking turns
# in one run, so the machine's drift hits both alike. Reports each turn's payments/s and p99 and
# the big ledger's p99 over the empty one's. Needs wrk and sqlite3.
#
#   tools/p99-growth.sh DATA_DIR [seconds=10] [connections=64] [rounds=2]
#
# DATA_DIR is a data directory with a big log (e.g. one tools/soak.sh kept with KEEP_DATA=1); it
# is copied, never changed. GRANTLEDGER_BINARY picks the binary (default: a release build into
# .build-bench). SERVE_OPTIONS adds options to both servers (e.g. "--synchronous normal").
set -euo pipefail
# A relative GRANTLEDGER_BINARY names a file from where the script was started.
[ -z "${GRANTLEDGER_BINARY:-}" ] || GRANTLEDGER_BINARY=$(realpath "$GRANTLEDGER_BINARY")
cd "$(dirname "$0")/.."
source=${1:?usage: tools/p99-growth.sh DATA_DIR [seconds] [connections] [rounds]}
seconds=${2:-10}
connections=${3:-64}
rounds=${4:-2}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
source tools/binary.sh
source tools/nwc-token.sh
work=$(mktemp -d)
cleanup() {
  # The pids from their files: a server whose start timed out never reached `servers`.
  for file in "$work"/*.pid; do
    [ -f "$file" ] || continue
    pid=$(cat "$file")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/empty" "$work/big"
# A consistent copy, WAL folded in, with the keys that sign its tokens.
sqlite3 "$source/ledger.sqlite" ".backup '$work/big/ledger.sqlite'"
cp -r "$source/keys" "$work/big/"
events=$(sqlite3 "$work/big/ledger.sqlite" "SELECT count(*) FROM events")
# A type is its name, or its code in schema/event_types_v1.json (a one-byte BLOB) since event_types_v1.
spend_codes=$(python3 -c "import json, sys; print(','.join(\"X'%02X'\" % i for i, n in enumerate(json.load(open(sys.argv[1]))) if n.startswith('Spend')))" schema/event_types_v1.json)
spends=$(sqlite3 "$work/big/ledger.sqlite" "SELECT count(*) FROM events WHERE type LIKE 'Spend%' OR type IN ($spend_codes)")
echo "big ledger: $events events ($spends spend events), $(( $(stat -c %s "$work/big/ledger.sqlite") / 1048576 )) MB"

export GRANTLEDGER_ADMIN_TOKEN="p99-growth-admin-token-$(date +%s)"
start() { # name: starts a server on $work/name, prints its base URL once it listens
  local name=$1 port=$((20000 + RANDOM % 20000))
  # shellcheck disable=SC2086
  "$binary" serve --data-dir "$work/$name" --port "$port" --log-level warning --dev-login \
    --demo-balance-msat 1000000000000000 ${SERVE_OPTIONS:-} > "$work/$name.out" 2>&1 &
  echo $! > "$work/$name.pid"
  for _ in $(seq 1 600); do
    grep -q "listening on" "$work/$name.out" 2>/dev/null && break
    sleep 0.1
  done
  grep -q "listening on" "$work/$name.out" || { echo "the $name server did not start:" >&2; cat "$work/$name.out" >&2; exit 1; }
  echo "http://127.0.0.1:$port"
}
# (start runs in a subshell: the pids come back through files, which cleanup reads.)
empty_base=$(start empty)
big_base=$(start big)
empty_token=$(nwc_token "$work/empty" "$empty_base" p99-payer-empty)
big_token=$(nwc_token "$work/big" "$big_base" p99-payer-big)

# Where growth would come from: bytes the server writes (WAL frames, checkpoints, statement
# journals, and its answers) and read syscalls it makes (requests, and SQLite pages not in its
# cache) per payment, from /proc/PID/io: a difference between the two ledgers is the log's.
printf '%-6s %-7s %12s %9s %9s %14s %14s\n' "round" "ledger" "payments/s" "p50 ms" "p99 ms" "written B/pay" "read calls/pay"
io() { awk -v key="$2" '$1 == key":" {print $2}' "/proc/$1/io"; }
run() { # round name base token
  local out pid written_before reads_before
  pid=$(cat "$work/$2.pid")
  written_before=$(io "$pid" wchar)
  reads_before=$(io "$pid" syscr)
  out=$(LOAD_NWC_TOKEN=$4 wrk -t2 -c"$connections" -d"${seconds}s" -s tools/keysend.lua "$3")
  local rate p50 p99 paid
  rate=$(echo "$out" | awk -F': ' '/^payments\/s/ {print $2}')
  paid=$(echo "$out" | awk -F'[:,] *' '/^payments answered 200/ {print $2}')
  p50=$(echo "$out" | awk '/^p50/ {print $2}')
  p99=$(echo "$out" | awk '/^p50/ {print $5}')
  printf '%-6s %-7s %12s %9s %9s %14.0f %14.2f\n' "$1" "$2" "$rate" "$p50" "$p99" \
    "$(echo "($(io "$pid" wchar) - $written_before) / $paid" | bc -l)" \
    "$(echo "($(io "$pid" syscr) - $reads_before) / $paid" | bc -l)"
  echo "$p99" >> "$work/$2.p99"
}
for round in $(seq 1 "$rounds"); do
  run "$round" empty "$empty_base" "$empty_token"
  run "$round" big "$big_base" "$big_token"
done
median() { sort -n "$1" | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
empty_p99=$(median "$work/empty.p99")
big_p99=$(median "$work/big.p99")
printf 'median p99: empty %s ms, big %s ms: %.2f x (goal: within 1.10 x)\n' "$empty_p99" "$big_p99" \
  "$(echo "$big_p99 / $empty_p99" | bc -l)"
