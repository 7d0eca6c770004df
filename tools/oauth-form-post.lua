-- wrk script: one OAuth form POST, repeated, authenticated by a confidential client (HTTP Basic),
-- counting the answers that carry what a success must carry. load-oauth.sh uses it for
--   client credentials:  LOAD_PATH=/oauth/token       LOAD_BODY=grant_type=client_credentials&scope=balance:read
--                        LOAD_EXPECT='"access_token"'
--   introspection:       LOAD_PATH=/oauth/introspect  LOAD_BODY=token=<access token>  LOAD_EXPECT='"active":true'
-- $LOAD_BASIC_AUTH is "Basic base64(client_id:client_secret)".
wrk.method = "POST"
wrk.path = os.getenv("LOAD_PATH")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = os.getenv("LOAD_BASIC_AUTH")
wrk.body = os.getenv("LOAD_BODY")
local expected = os.getenv("LOAD_EXPECT")

-- Counters live in each thread's interpreter; done() runs in the main one and collects them.
local threads = {}
setup = function(thread) table.insert(threads, thread) end

matched = 0    -- answers 200 whose body holds LOAD_EXPECT
other = 0      -- other 2xx answers (should stay 0)
non2xx = 0
statuses = ""  -- "status=count ..." of every non-2xx status this thread saw
local statusCounts = {}

response = function(status, headers, body)
  if status == 200 and string.find(body, expected, 1, true) then
    matched = matched + 1
  elseif status >= 200 and status < 300 then
    other = other + 1
  else
    non2xx = non2xx + 1
    statusCounts[status] = (statusCounts[status] or 0) + 1
    local parts = {}
    for s, c in pairs(statusCounts) do table.insert(parts, s .. "=" .. c) end
    statuses = table.concat(parts, " ")
  end
end

done = function(summary, latency, requests)
  local matchedTotal, otherTotal, non2xxTotal, statusText = 0, 0, 0, {}
  for _, thread in ipairs(threads) do
    matchedTotal = matchedTotal + thread:get("matched")
    otherTotal = otherTotal + thread:get("other")
    non2xxTotal = non2xxTotal + thread:get("non2xx")
    local s = thread:get("statuses")
    if s ~= "" then table.insert(statusText, s) end
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("http requests: %d in %.2f s = %.1f req/s\n", summary.requests, seconds,
    summary.requests / seconds))
  io.write(string.format("answered 200 with %s: %d\n", expected, matchedTotal))
  io.write(string.format("matched/s: %.1f\n", matchedTotal / seconds))
  io.write(string.format("non-2xx answers: %d%s\n", non2xxTotal,
    #statusText > 0 and (" (per thread, status=count: " .. table.concat(statusText, " | ") .. ")") or ""))
  io.write(string.format("other 2xx: %d\n", otherTotal))
  io.write(string.format("socket errors: connect %d, read %d, write %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("latency: p50 %.2f ms, p99 %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
