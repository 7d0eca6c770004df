-- wrk script: token introspection (RFC 7662) by the client that owns the token:
--   POST /oauth/introspect  token=<access token>   (HTTP Basic)  -> 200 {"active":true,...}
-- The server checks the client's secret, the token's ES256 signature and its ledger record.
-- $LOAD_BASIC_AUTH is "Basic base64(client_id:client_secret)"; $LOAD_ACCESS_TOKEN the token.
wrk.method = "POST"
wrk.path = "/oauth/introspect"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = os.getenv("LOAD_BASIC_AUTH")
wrk.body = "token=" .. os.getenv("LOAD_ACCESS_TOKEN")

local threads = {}
setup = function(thread) table.insert(threads, thread) end

active = 0     -- answers 200 whose body says "active":true
inactive = 0   -- other 2xx answers (an inactive token: should stay 0)
non2xx = 0
statuses = ""
local statusCounts = {}

response = function(status, headers, body)
  if status == 200 and string.find(body, '"active"%s*:%s*true') then
    active = active + 1
  elseif status >= 200 and status < 300 then
    inactive = inactive + 1
  else
    non2xx = non2xx + 1
    statusCounts[status] = (statusCounts[status] or 0) + 1
    local parts = {}
    for s, c in pairs(statusCounts) do table.insert(parts, s .. "=" .. c) end
    statuses = table.concat(parts, " ")
  end
end

done = function(summary, latency, requests)
  local activeTotal, inactiveTotal, non2xxTotal, statusText = 0, 0, 0, {}
  for _, thread in ipairs(threads) do
    activeTotal = activeTotal + thread:get("active")
    inactiveTotal = inactiveTotal + thread:get("inactive")
    non2xxTotal = non2xxTotal + thread:get("non2xx")
    local s = thread:get("statuses")
    if s ~= "" then table.insert(statusText, s) end
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("http requests: %d in %.2f s = %.1f req/s\n", summary.requests, seconds,
    summary.requests / seconds))
  io.write(string.format("introspections answered active: %d\n", activeTotal))
  io.write(string.format("introspections/s: %.1f\n", activeTotal / seconds))
  io.write(string.format("non-2xx answers: %d%s\n", non2xxTotal,
    #statusText > 0 and (" (per thread, status=count: " .. table.concat(statusText, " | ") .. ")") or ""))
  io.write(string.format("other 2xx (not active): %d\n", inactiveTotal))
  io.write(string.format("socket errors: connect %d, read %d, write %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("latency: p50 %.2f ms, p99 %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
