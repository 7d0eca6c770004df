#!/usr/bin/env bash
# The chain check alone (`verify --chain-only`) against a plain read-and-SHA-256 of the same log
# (issue 15, goal 1), run many times in turns, since one run on this machine varies by a fifth.
#
#   tools/chain-ratio.sh DATA_DIR [runs=7]   # DATA_DIR holds ledger.sqlite; it is copied, never changed
#
# Each run times the baseline, then the check (and then COMPARE_BINARY's check, when set: another
# build, say the stop before, in the same turns). Prints every run's seconds and each check's rate
# as a multiple of the baseline run's next to it (the baseline's seconds over the check's), then
# the median. GRANTLEDGER_BINARY picks the binary (default: a release build into .build-bench).
set -euo pipefail
[ -z "${GRANTLEDGER_BINARY:-}" ] || GRANTLEDGER_BINARY=$(realpath "$GRANTLEDGER_BINARY")
[ -z "${COMPARE_BINARY:-}" ] || COMPARE_BINARY=$(realpath "$COMPARE_BINARY")
source=$(realpath "${1:?usage: tools/chain-ratio.sh DATA_DIR [runs]}")
cd "$(dirname "$0")/.."
runs=${2:-7}
source tools/binary.sh
source tools/baseline-copy.sh
# Any pending migration runs now, not in the first timed check.
"$binary" inspect no-such-stream --data-dir "$work" --limit 1 > /dev/null 2>&1 || true
events=$(sqlite3 "$work/ledger.sqlite" "SELECT count(*) FROM events")
echo "ledger: $events events, $(du -b "$work/ledger.sqlite" | cut -f1) bytes, $runs runs"

seconds() { # command...: its wall-clock seconds (at least 0.01, as time rounds); fails with its output when it fails
  /usr/bin/time -f "%e" -o "$work/time" "$@" > "$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }
  awk '{ print ($1 < 0.01) ? 0.01 : $1 }' "$work/time"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: > "$work/ratios"
: > "$work/compare-ratios"
for run in $(seq 1 "$runs"); do
  base=$(seconds .build-bench/read-and-hash "$work/ledger.sqlite")
  check=$(seconds "$binary" verify --chain-only --data-dir "$work")
  ratio=$(echo "$base / $check" | bc -l)
  echo "$ratio" >> "$work/ratios"
  line=$(printf 'run %2d: baseline %5.2f s, check %5.2f s = %.3f x' "$run" "$base" "$check" "$ratio")
  if [ -n "${COMPARE_BINARY:-}" ]; then
    other=$(seconds "$COMPARE_BINARY" verify --chain-only --data-dir "$work")
    echo "$base / $other" | bc -l >> "$work/compare-ratios"
    line+=$(printf '; compared build %5.2f s = %.3f x' "$other" "$(echo "$base / $other" | bc -l)")
  fi
  echo "$line"
done
printf 'median: the check %.3f x the baseline rate\n' "$(median < "$work/ratios")"
[ -z "${COMPARE_BINARY:-}" ] || printf 'median: the compared build %.3f x\n' "$(median < "$work/compare-ratios")"
