#!/usr/bin/env bash
# The least a replay can cost while projections are SQLite tables (issue 15, goal 1): SQLite
# writing the ledger's projection rows once each, as they stand, with their indexes, against a
# plain read-and-SHA-256 of the same log, in one run on one machine.
#
#   tools/projection-floor.sh DATA_DIR      # a data directory holding ledger.sqlite; it is copied, never changed
#
# No decoding, no deciding, no Swift: `INSERT INTO copy.t SELECT * FROM t WHERE 1` inside sqlite3,
# row by row in the table's own order (the `WHERE` keeps SQLite from copying whole pages and
# sorted indexes, which a replay cannot do), into a scratch file with no journal, no syncing and
# the replay's 1 GiB cache. Twice: with the indexes in place (as a replay writes), and with the
# indexes built after the rows (as a bulk load would). Whatever a replay does on top of this
# (reading and decoding events, folding them) only adds to it, so the floor's rate against the
# baseline's is the most a replay could reach. The time includes reading the source rows.
set -euo pipefail
cd "$(dirname "$0")/.."
source=${1:?usage: tools/projection-floor.sh DATA_DIR}
mkdir -p .build-bench
cc -O2 -Wno-deprecated-declarations -o .build-bench/read-and-hash Benchmarks/ReadAndHash/read_and_hash.c -lsqlite3 -lcrypto
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sqlite3 "$source/ledger.sqlite" ".backup '$work/ledger.sqlite'"
ledger=$work/ledger.sqlite
events=$(sqlite3 "$ledger" "SELECT count(*) FROM events")
# Every table replay rebuilds: all but the log itself, its checkpoints and the migrations record.
tables=$(sqlite3 "$ledger" "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
  AND name NOT IN ('events', 'checkpoints', 'grdb_migrations') ORDER BY name")
rows=0
for table in $tables; do rows=$((rows + $(sqlite3 "$ledger" "SELECT count(*) FROM \"$table\""))); done
echo "ledger: $events events, $rows projection rows in $(echo "$tables" | wc -w) tables"

seconds() { # command...: prints the command's wall-clock seconds
  /usr/bin/time -f "%e" -o "$work/time" "$@" > "$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }
  cat "$work/time"
}

# The SQL that writes every projection row into a fresh file: `indexes` is "first" or "after".
floor_sql() {
  local indexes=$1
  echo "PRAGMA temp_store = MEMORY; ATTACH '$work/copy.sqlite' AS copy;"
  echo "PRAGMA copy.journal_mode = OFF; PRAGMA copy.synchronous = OFF; PRAGMA copy.cache_size = -1048576;"
  for table in $tables; do
    sqlite3 "$ledger" "SELECT replace(sql, 'CREATE TABLE $table', 'CREATE TABLE copy.$table') || ';'
      FROM sqlite_schema WHERE type = 'table' AND name = '$table'"
  done
  local create_indexes
  create_indexes=$(for table in $tables; do
    sqlite3 "$ledger" "SELECT replace(replace(sql, 'CREATE INDEX ', 'CREATE INDEX copy.'), 'CREATE UNIQUE INDEX ',
      'CREATE UNIQUE INDEX copy.') || ';' FROM sqlite_schema WHERE type = 'index' AND tbl_name = '$table' AND sql IS NOT NULL"
  done)
  [ "$indexes" = first ] && echo "$create_indexes"
  echo "BEGIN;"
  for table in $tables; do echo "INSERT INTO copy.\"$table\" SELECT * FROM main.\"$table\" WHERE 1;"; done
  [ "$indexes" = after ] && echo "$create_indexes"
  echo "COMMIT;"
}

floor_sql first > "$work/first.sql"
floor_sql after > "$work/after.sql"
run_floor() { rm -f "$work/copy.sqlite"; sqlite3 -bail "$ledger" < "$work/$1.sql"; }
export -f run_floor
export work ledger

baseline=$(seconds .build-bench/read-and-hash "$ledger")
first=$(seconds bash -c 'run_floor first')
after=$(seconds bash -c 'run_floor after')
again=$(seconds .build-bench/read-and-hash "$ledger")
baseline=$(printf '%s\n%s\n' "$baseline" "$again" | sort -n | head -1)
floor=$(printf '%s\n%s\n' "$first" "$after" | sort -n | head -1)
printf '%-44s %8.2f s\n' "baseline read+sha256 (faster of two)" "$baseline" \
  "projection rows written, indexes in place" "$first" "projection rows written, indexes built after" "$after"
printf 'the floor'"'"'s rate is %.3f x the baseline'"'"'s: a replay writing its rows into SQLite can reach at most that\n' \
  "$(echo "$baseline / $floor" | bc -l)"
