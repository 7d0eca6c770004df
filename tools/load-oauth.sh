#!/usr/bin/env bash
# OAuth 2.0 server throughput against the same server's /health per second (the HTTP ceiling), in
# one run on one machine, reported as ratios. Needs wrk (apt-get install wrk) and curl.
#
#   tools/load-oauth.sh [seconds=10] [connections=64]
#
# Measures, one after another against one server and one confidential client:
#   1. GET /health
#   2. client credentials issuance: POST /oauth/token grant_type=client_credentials (HTTP Basic)
#   3. authorization code grant: GET /oauth/authorize (user JWT) -> 302 code, then
#      POST /oauth/token grant_type=authorization_code -> 200 (tools/oauth-code.lua)
#   4. introspection of one access token by its client: POST /oauth/introspect (HTTP Basic)
# then stops the server and runs `grantledger verify` on the data directory.
# Builds into .build-bench (gitignored), so it never takes the lock of a debug build in .build.
# Set KEEP_DATA=1 to keep the data directory (its path is printed).
set -euo pipefail
# A relative GRANTLEDGER_BINARY names a file from where the script was started.
[ -z "${GRANTLEDGER_BINARY:-}" ] || GRANTLEDGER_BINARY=$(realpath "$GRANTLEDGER_BINARY")
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-64}
threads=2
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is missing" >&2; exit 1; }

source tools/binary.sh
data=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
export GRANTLEDGER_ADMIN_TOKEN="load-test-admin-token-$(date +%s)"
"$binary" serve --data-dir "$data" --port "$port" --log-level warning --dev-login --issuer "$base" \
  > "$data/server.out" 2>&1 &
server=$!
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ -n "${KEEP_DATA:-}" ]; then echo "data kept in $data"; else rm -rf "$data"; fi
}
trap cleanup EXIT
for _ in $(seq 1 100); do
  grep -q "listening on" "$data/server.out" 2>/dev/null && break
  sleep 0.1
done
grep -q "listening on" "$data/server.out" || { echo "the server did not start:" >&2; cat "$data/server.out" >&2; exit 1; }
echo "server pid $server, $base, data $data"

# One confidential client, registered through the admin API.
redirect_uri="http://localhost:33388/callback"
answer=$(curl -sS -w '\n%{http_code}' -X POST "$base/admin/clients" \
  -H "Authorization: Bearer $GRANTLEDGER_ADMIN_TOKEN" -H "Content-Type: application/json" \
  -d "{\"name\":\"load\",\"redirect_uris\":[\"$redirect_uri\"],\"public\":false,\"scopes\":[\"balance:read\",\"payments:send\"]}")
status=${answer##*$'\n'}
body=${answer%$'\n'*}
[ "$status" = 201 ] || { echo "registering the client answered $status: $body" >&2; exit 1; }
client_id=$(echo "$body" | grep -o '"client_id":"[^"]*"' | head -1 | cut -d'"' -f4)
client_secret=$(echo "$body" | grep -o '"client_secret":"[^"]*"' | head -1 | cut -d'"' -f4)
[ -n "$client_id" ] && [ -n "$client_secret" ] || { echo "no client_id/client_secret in: $body" >&2; exit 1; }
echo "registered client $client_id"
# Client ids and secrets are base64url, so form-urlencoding them (RFC 6749 §2.3.1) changes nothing.
basic="Basic $(printf '%s:%s' "$client_id" "$client_secret" | base64 -w0)"

# The user's operator JWT (the dev login key stands in for the operator's login system); it must
# outlive the four runs.
ttl=$((4 * seconds + 600)); [ "$ttl" -le 86400 ] || ttl=86400
user_token=$("$binary" user-token --data-dir "$data" --sub load-user --ttl "$ttl")
export LOAD_CLIENT_ID="$client_id" LOAD_BASIC_AUTH="$basic" LOAD_USER_TOKEN="$user_token"

echo "== GET /health, $connections connections, ${seconds}s"
health_out=$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$base/health")
echo "$health_out" | grep -E "Requests/sec|^ +50%|^ +99%|Non-2xx|Socket errors" | sed 's/^ */  /'
health=$(echo "$health_out" | awk '/Requests\/sec/ {print $2}')
health_p50=$(echo "$health_out" | awk '$1 == "50%" {print $2}')
health_p99=$(echo "$health_out" | awk '$1 == "99%" {print $2}')

echo "== client credentials (POST /oauth/token grant_type=client_credentials), $connections connections, ${seconds}s"
cc_out=$(LOAD_PATH=/oauth/token LOAD_BODY="grant_type=client_credentials&scope=balance:read" \
  LOAD_EXPECT='"access_token"' wrk -t"$threads" -c"$connections" -d"${seconds}s" -s tools/oauth-form-post.lua "$base")
echo "$cc_out" | sed -n '/^http requests/,$p' | sed 's/^/  /'
cc=$(echo "$cc_out" | awk -F': ' '/^matched\/s/ {print $2}')
cc_latency=$(echo "$cc_out" | sed -n 's/^latency: //p')

echo "== authorization code (GET /oauth/authorize -> 302 code; POST /oauth/token authorization_code), $connections connections, ${seconds}s"
code_out=$(wrk -t"$threads" -c"$connections" -d"${seconds}s" -s tools/oauth-code.lua "$base")
echo "$code_out" | sed -n '/^http requests/,$p' | sed 's/^/  /'
redemptions=$(echo "$code_out" | awk -F': ' '/^redemptions\/s/ {print $2}')
issued=$(echo "$code_out" | awk -F': ' '/^codes issued\/s/ {print $2}')
code_latency=$(echo "$code_out" | sed -n 's/^per-request latency (authorize or token): //p')
# A flow that stopped working must not pass as a slow one (it read 0/s for a while once new
# clients had to send PKCE).
[ "${redemptions%%.*}" -gt 0 ] 2>/dev/null || { echo "the code flow redeemed nothing:" >&2; echo "$code_out" >&2; exit 1; }

# One access token to introspect, from the same client.
answer=$(curl -sS -w '\n%{http_code}' -X POST "$base/oauth/token" -H "Authorization: $basic" \
  -H "Content-Type: application/x-www-form-urlencoded" -d "grant_type=client_credentials&scope=balance:read")
status=${answer##*$'\n'}
body=${answer%$'\n'*}
[ "$status" = 200 ] || { echo "client_credentials answered $status: $body" >&2; exit 1; }
access_token=$(echo "$body" | grep -o '"access_token":"[^"]*"' | cut -d'"' -f4)
echo "== introspection (POST /oauth/introspect, one access token, its own client), $connections connections, ${seconds}s"
intro_out=$(LOAD_PATH=/oauth/introspect LOAD_BODY="token=$access_token" LOAD_EXPECT='"active":true' \
  wrk -t"$threads" -c"$connections" -d"${seconds}s" -s tools/oauth-form-post.lua "$base")
echo "$intro_out" | sed -n '/^http requests/,$p' | sed 's/^/  /'
intro=$(echo "$intro_out" | awk -F': ' '/^matched\/s/ {print $2}')
intro_latency=$(echo "$intro_out" | sed -n 's/^latency: //p')

ratio() { awk -v a="$1" -v h="$health" 'BEGIN { printf "%.3f", a / h }'; }
echo "== result ($connections connections, $threads wrk threads, ${seconds}s each, $(nproc) CPUs)"
echo "  /health req/s:                 $health   (p50 $health_p50, p99 $health_p99)"
echo "  client_credentials tokens/s:   $cc   ratio $(ratio "$cc")   ($cc_latency)"
echo "  code redemptions/s:            $redemptions   ratio $(ratio "$redemptions")   (per request, authorize or token: $code_latency)"
echo "    codes issued (authorize)/s:  $issued   ratio $(ratio "$issued")"
echo "  introspections/s:              $intro   ratio $(ratio "$intro")   ($intro_latency)"
echo "  note: Ory Hydra publishes 5,109 introspections/s on 2 CPUs (a different machine; not same-run)"

if grep -qiE "warn|error|critical" "$data/server.out"; then
  echo "== server log (warnings and errors)"; grep -iE "warn|error|critical" "$data/server.out" | sort | uniq -c | head -10
fi
kill -TERM "$server"; wait "$server" 2>/dev/null || true
server=""
echo "== verify"
verify_status=0
verify_out=$("$binary" verify --data-dir "$data" 2>&1) || verify_status=$?
echo "$verify_out" | head -1 | sed 's/^/  /'
echo "  verify exit status: $verify_status"
[ "$verify_status" = 0 ]
