#!/usr/bin/env bash
# Replay, verify and the chain check alone (verify --chain-only) against a plain read-and-SHA-256
# of the same log (issue 15, goal 1), and the
# time to open a ledger that needs a projection rebuild (goal 5), in one run on one machine.
#
#   tools/replay-ratio.sh DATA_DIR      # a data directory holding ledger.sqlite; it is copied, never changed
#
# Prints each phase's rate and peak RSS, and the ratios. GRANTLEDGER_BINARY picks the binary
# (default: a release build into .build-bench). The baseline is Benchmarks/ReadAndHash, in C.
set -euo pipefail
# A relative GRANTLEDGER_BINARY names a file from where the script was started.
[ -z "${GRANTLEDGER_BINARY:-}" ] || GRANTLEDGER_BINARY=$(realpath "$GRANTLEDGER_BINARY")
source=$(realpath "${1:?usage: tools/replay-ratio.sh DATA_DIR}")
cd "$(dirname "$0")/.."
source tools/binary.sh
source tools/baseline-copy.sh
events=$(.build-bench/read-and-hash "$work/ledger.sqlite" | awk '{print $1}')
echo "ledger: $events events, $(du -b "$work/ledger.sqlite" | cut -f1) bytes"

timed() { # label, command...: prints seconds and peak RSS (KB) of the command
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/out" 2>&1 || { cat "$work/out"; exit 1; }
  read -r seconds rss < "$work/time"
  printf '%-28s %8.2f s  %10.0f events/s  peak RSS %6d MB\n' "$label" "$seconds" \
    "$(echo "$events / $seconds" | bc -l)" "$((rss / 1024))"
  echo "$seconds" > "$work/$label.s"
}

# Opening runs any pending migration (goal 5): a ledger written by an older build has some; one
# written by this build has none, and this phase then times only the open.
# (`inspect` of a stream that does not exist opens the ledger and exits 1 having read nothing.)
timed "open (migrations)" bash -c '"$0" inspect no-such-stream --data-dir "$1" --limit 1 2>&1 | grep -q "no events in stream"' "$binary" "$work"
timed "baseline read+sha256" .build-bench/read-and-hash "$work/ledger.sqlite"
timed "replay" "$binary" replay --data-dir "$work"
timed "verify (chain+replay)" "$binary" verify --data-dir "$work"
timed "verify --chain-only" "$binary" verify --chain-only --data-dir "$work"
timed "baseline again" .build-bench/read-and-hash "$work/ledger.sqlite"
baseline=$(cat "$work/baseline read+sha256.s" "$work/baseline again.s" | sort -n | head -1)
for phase in "replay" "verify (chain+replay)" "verify --chain-only"; do
  printf '%-28s %.3f x the baseline rate\n' "$phase" "$(echo "$baseline / $(cat "$work/$phase.s")" | bc -l)"
done
