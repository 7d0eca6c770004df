#!/usr/bin/env bash
# The NEN 7513 trail under load, in one run on one machine (issue 12's measurements):
#  1. records ingested per second through POST /audit/access in batches of 100, against the same
#     server's /health requests per second (goal: at least one record per /health request);
#  2. the log filled to RECORDS records, then query p99 by subject, user, a day's range and the
#     patient's overview (index look-ups: p99 must not depend on the log's size);
#  3. the export rate of `grantledger audit export` (ndjson, csv, fhir) and its peak memory.
# Needs wrk (apt-get install wrk) and GNU time (apt-get install time) for the memory figure.
#
#   tools/load-audit.sh [records=1000000] [seconds=10] [connections=64]
#
# GRANTLEDGER_BINARY picks the binary (two builds measured in turns each name theirs); without it,
# a release build into .build-bench, as the other load scripts make (tools/binary.sh).
set -euo pipefail
# A relative GRANTLEDGER_BINARY names a file from where the script was started.
[ -z "${GRANTLEDGER_BINARY:-}" ] || GRANTLEDGER_BINARY=$(realpath "$GRANTLEDGER_BINARY")
cd "$(dirname "$0")/.."
records=${1:-1000000}
seconds=${2:-10}
connections=${3:-64}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

source tools/binary.sh
data=${GRANTLEDGER_LOAD_DATA:-$(mktemp -d)}
port=$((20000 + RANDOM % 20000))
export GRANTLEDGER_ADMIN_TOKEN="load-test-admin-token-$(date +%s)"
start_server() {
  "$binary" serve --data-dir "$data" --port "$port" --log-level warning > "$data/server.out" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do
    grep -q "listening on" "$data/server.out" 2>/dev/null && break
    sleep 0.1
  done
}
start_server
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; [ -n "${GRANTLEDGER_LOAD_DATA:-}" ] || rm -rf "$data"' EXIT
base="http://127.0.0.1:$port"
rate() { awk '/Requests\/sec/ {print $2}'; }
head_seq() { curl -s "$base/ready" | sed -E 's/.*"head_seq":([0-9]+).*/\1/'; }

echo "== /health, $connections connections, ${seconds}s"
health_out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "$base/health")
echo "$health_out" | grep -E "Requests/sec|99%"
echo "== POST /audit/access, 100 records a request, $connections connections, ${seconds}s"
report_out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s tools/audit-report.lua "$base")
echo "$report_out" | grep -E "Requests/sec|99%|non-201"
health=$(echo "$health_out" | rate)
reports=$(echo "$report_out" | rate)
echo "records/s: $(awk -v r="$reports" 'BEGIN { printf "%.0f", r * 100 }')," \
  "ratio records/health: $(awk -v r="$reports" -v h="$health" 'BEGIN { printf "%.3f", r * 100 / h }')"

echo "== filling the log to $records records"
while [ "$(head_seq)" -lt "$records" ]; do
  wrk -t2 -c16 -d20s -s tools/audit-report.lua "$base" >/dev/null
  echo "  head_seq $(head_seq)"
done

for kind in subject user range overview; do
  echo "== GET $kind query, 16 connections, ${seconds}s, on $(head_seq) records"
  AUDIT_QUERY=$kind wrk -t2 -c16 -d"${seconds}s" --latency -s tools/audit-query.lua "$base" \
    | grep -E "Requests/sec|50%|99%|non-200"
done
echo "== the query plans"
# The trail's index (audit_trail) holds each value as its code in audit_terms, as the server
# looks it up before querying.
term() { echo "(SELECT code FROM audit_terms WHERE term = '$1')"; }
for kind in "subject_term = $(term 100000042)" \
  "(user_term = $(term uzi:000042) OR (responsible_user_term = $(term uzi:000042) AND responsible_user_term > 0) OR (responsible_user_term = 0 AND subject_term = $(term uzi:000042)))" \
  "(occurred_at_ms BETWEEN 1780000000000 AND 1780086399000 OR (occurred_at_ms IS NULL AND seq BETWEEN 1 AND 1023 AND (SELECT recorded_at FROM events WHERE seq = t.seq) BETWEEN 1780000000000 AND 1780086399000))"; do
  sqlite3 "$data/ledger.sqlite" "EXPLAIN QUERY PLAN SELECT seq FROM audit_trail t WHERE seq > 0 AND $kind ORDER BY seq LIMIT 51" 2>/dev/null \
    | sed "s/^/  $kind: /" || true
done

kill $server; wait $server 2>/dev/null || true
total=$(sqlite3 "$data/ledger.sqlite" "SELECT (SELECT count(*) FROM audit_records) + (SELECT count(*) FROM audit_trail)" 2>/dev/null || echo "?")
for format in ndjson csv fhir; do
  rm -f "$data/export.$format"
  echo "== audit export --format $format ($total records)"
  start=$(date +%s.%N)
  if command -v /usr/bin/time >/dev/null; then
    /usr/bin/time -f "  peak RSS %M KiB" "$binary" audit export --data-dir "$data" --format "$format" \
      --out "$data/export.$format" --operator load-audit 2>&1 | grep -E "peak RSS|wrote"
  else
    "$binary" audit export --data-dir "$data" --format "$format" --out "$data/export.$format" \
      --operator load-audit 2>&1 | grep wrote
  fi
  end=$(date +%s.%N)
  echo "  $(awk -v s="$start" -v e="$end" -v n="$total" 'BEGIN { printf "%.1f s, %.0f records/s", e - s, n / (e - s) }')," \
    "$(du -h "$data/export.$format" | cut -f1)"
done
"$binary" verify --data-dir "$data" | head -1
