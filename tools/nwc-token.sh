# Sourced by the payment load scripts after they cd to the repository's root and set `binary`
# (tools/binary.sh). `nwc_token DATA_DIR BASE_URL SUBJECT` prints a long-lived NWC connection
# token, with a budget no load exhausts, from the seed-000 exchange (the dev login key of the
# server's data directory stands in for the operator's login system), or fails saying what the
# exchange answered.
nwc_token() {
  local user answer token
  user=$("$binary" user-token --data-dir "$1" --sub "$3") || return 1
  answer=$(curl -sS -X POST "$2/umanwc/token" -H "Authorization: Bearer $user" \
    -d '{"permissions":["send_payments"],"budget":"1000000000000/never"}') || return 1
  token=$(echo "$answer" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  [ -n "$token" ] || { echo "no connection token from $2/umanwc/token: $answer" >&2; return 1; }
  echo "$token"
}
