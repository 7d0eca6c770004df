# Sourced by the payment load scripts (after GRANTLEDGER_ADMIN_TOKEN is set to the server's admin
# credential). `grant_budget_connections BASE_URL COUNT FILE` grants COUNT connections through the
# admin API, each with a budget no load exhausts (1,000,000,000 sat, never renews) and the
# pay_invoice scope that tools/spend.lua reserves under, and writes their ids to FILE, one a line
# (for LOAD_CONNECTION_IDS); fails naming the grant that was not answered 201.
grant_budget_connections() {
  local base=$1 count=$2 file=$3 n answer status
  : > "$file"
  for n in $(seq 1 "$count"); do
    answer=$(curl -sS -w '\n%{http_code}' -X POST "$base/admin/connections" \
      -H "Authorization: Bearer $GRANTLEDGER_ADMIN_TOKEN" -H "Content-Type: application/json" \
      -d "{\"user_id\":\"load-$n\",\"name\":\"Load $n\",\"scopes\":[\"pay_invoice\"],\"budget\":\"1000000000/never\"}") || return 1
    status=${answer##*$'\n'}
    [ "$status" = 201 ] || { echo "granting connection $n answered $status: ${answer%$'\n'*}" >&2; return 1; }
    echo "${answer%$'\n'*}" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4 >> "$file"
  done
}
