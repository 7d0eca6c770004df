# Sourced by the load and measurement scripts after they cd to the repository's root: sets
# `binary` to GRANTLEDGER_BINARY (which they resolve before their cd, so a relative path names a
# file from where they were started), or builds a release into .build-bench (gitignored, so it
# never takes the lock of a debug build in .build).
binary=${GRANTLEDGER_BINARY:-}
if [ -z "$binary" ]; then
  build_log=$(swift build -c release --product grantledger --scratch-path .build-bench 2>&1) || {
    echo "$build_log" >&2; exit 1; }
  binary=.build-bench/release/grantledger
fi
