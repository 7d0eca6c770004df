# Sourced by tools/replay-ratio.sh and tools/chain-ratio.sh after they cd to the repository's
# root, with `source` set to a data directory: builds the read-and-hash baseline
# (Benchmarks/ReadAndHash, in C) into .build-bench, and copies the ledger into `$work` (a temporary
# directory removed on exit), never changing the original.
mkdir -p .build-bench
# OpenSSL's one-shot SHA256_* calls are deprecated in 3.0 but are the cheapest per row.
cc -O2 -Wno-deprecated-declarations -o .build-bench/read-and-hash Benchmarks/ReadAndHash/read_and_hash.c -lsqlite3 -lcrypto
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A consistent copy, WAL included, even of a data directory a server is using.
sqlite3 "$source/ledger.sqlite" ".backup '$work/ledger.sqlite'"
